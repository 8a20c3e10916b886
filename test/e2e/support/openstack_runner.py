"""The `openstack` CLI, kept warm: /usr/bin/openstack is `sys.exit(openstackclient.shell.main())`, and this runs the
same main() for each command it reads, in one Python process, so each command costs its own work and not the second
of imports and plug-in discovery every process start pays. One JSON line in ({"argv": [...], "env": {...}}), one out
({"code": n, "stdout": "...", "stderr": "..."}). Used by cli.ts; the walkthrough still starts the real binary."""

import contextlib
import io
import json
import logging
import os
import sys

from openstackclient import shell
from openstackclient.common import clientmanager
from osc_lib.clientmanager import ClientCache


def run(argv, env):
    os.environ.clear()
    os.environ.update(env)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = shell.main(argv)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        except BaseException as error:  # what the real process would print before dying
            print(f'{type(error).__name__}: {error}', file=sys.stderr)
            code = 1
    forget_run_state()
    return {'code': code or 0, 'stdout': out.getvalue(), 'stderr': err.getvalue()}


def forget_run_state():
    """What one process-per-command never carries over: the API clients osc caches on ClientManager's class (for the
    life of the process, so a second command would reuse the first one's token and endpoints), and the logging
    handlers each run points at its own stderr buffer."""
    for cls in clientmanager.ClientManager.__mro__:
        for attribute in vars(cls).values():
            if isinstance(attribute, ClientCache):
                attribute._handle = None
    for handler in list(logging.root.handlers):
        logging.root.removeHandler(handler)


def serve():
    reply = sys.__stdout__
    for line in sys.stdin:
        request = json.loads(line)
        reply.write(json.dumps(run(request['argv'], request['env'])) + '\n')
        reply.flush()


if __name__ == '__main__':
    serve()
