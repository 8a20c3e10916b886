import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Appliance } from './appliance.js';
import type { Json } from './http.js';

const OPENSTACK = '/usr/bin/openstack';
const PYTHON = '/usr/bin/python3';
const WARM_RUNNER = fileURLToPath(new URL('./openstack_runner.py', import.meta.url));
const TIMEOUT_MS = 60_000;

export interface As {
  user?: string;
  password?: string;
  project?: string;
}

export class CliError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`\`${command}\` exited with ${exitCode}:\n${stderr || stdout}`);
  }
}

export interface Cli {
  /** Runs `openstack …`; returns the parsed JSON of stdout (add `-f json`), null when stdout is empty. */
  openstack(args: string[], as?: As): Promise<Json>;
  /** Runs `python3 -c code` with openstacksdk and the same OS_* environment; returns stdout. */
  sdk(code: string, as?: As): Promise<string>;
}

/** A clean client environment: only our OS_* variables, a throw-away HOME (no clouds.yaml), no proxies. */
function clientEnv(app: Appliance, home: string, as: As): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    PYTHONIOENCODING: 'utf-8',
    NO_PROXY: '*',
    OS_AUTH_URL: `${app.identityUrl}/v3`,
    OS_USERNAME: as.user ?? 'admin',
    OS_PASSWORD: as.password ?? app.adminPassword,
    OS_PROJECT_NAME: as.project ?? 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_IDENTITY_API_VERSION: '3',
    OS_INTERFACE: 'public',
  };
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, label: string): Promise<string> {
  return new Promise((ok, fail) => {
    execFile(file, args, { env, timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const code = typeof error.code === 'number' ? error.code : null;
        fail(new CliError(label, code, stdout, stderr));
      } else {
        ok(stdout);
      }
    });
  });
}

interface RunnerReply {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * One warm `openstack` (openstack_runner.py): the CLI's own main() run per command in a Python process that stays up,
 * so a command costs what it does and not the 1.5 s of imports each process start pays. Unref'd: it never keeps the
 * test worker alive, and it ends when its stdin closes with the worker.
 */
class WarmOpenstack {
  private readonly child: ChildProcessWithoutNullStreams;
  private waiting?: { ok: (reply: RunnerReply) => void; fail: (error: Error) => void };
  alive = true;

  constructor() {
    this.child = spawn(PYTHON, [WARM_RUNNER], { env: { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', PYTHONIOENCODING: 'utf-8' } });
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    let stderr = '';
    this.child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.ok(JSON.parse(line) as RunnerReply);
    });
    this.child.on('exit', (code) => {
      this.alive = false;
      this.waiting?.fail(new Error(`the warm openstack runner exited with ${code}: ${stderr}`));
      this.waiting = undefined;
    });
  }

  run(argv: string[], env: NodeJS.ProcessEnv): Promise<RunnerReply> {
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        fail(new Error(`openstack ${argv.join(' ')}: no answer in ${TIMEOUT_MS / 1000} s`));
      }, TIMEOUT_MS);
      this.waiting = {
        ok: (reply) => (clearTimeout(timer), ok(reply)),
        fail: (error) => (clearTimeout(timer), fail(error)),
      };
      this.child.stdin.write(`${JSON.stringify({ argv, env })}\n`);
    });
  }
}

/** Idle warm runners; concurrent commands each take one (a new one when none is idle). */
const idleRunners: WarmOpenstack[] = [];

async function runWarm(args: string[], env: NodeJS.ProcessEnv, label: string): Promise<string> {
  const runner = idleRunners.pop() ?? new WarmOpenstack();
  try {
    const reply = await runner.run(args, env);
    if (reply.code !== 0) throw new CliError(label, reply.code, reply.stdout, reply.stderr);
    return reply.stdout;
  } finally {
    if (runner.alive) idleRunners.push(runner);
  }
}

export interface CliOptions {
  /** Start /usr/bin/openstack for every command (the real binary, as a user runs it) instead of the warm runner. */
  binary?: boolean;
}

export function cliFor(app: Appliance, opts: CliOptions = {}): Cli {
  // Inside the data dir, so it goes away with the appliance.
  const home = join(app.dataDir, 'client-home');
  mkdirSync(home, { recursive: true });
  return {
    openstack: async (args, as = {}) => {
      const label = `openstack ${args.join(' ')}`;
      const env = clientEnv(app, home, as);
      const stdout = opts.binary ? await run(OPENSTACK, args, env, label) : await runWarm(args, env, label);
      const text = stdout.trim();
      if (!text) return null;
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    },
    sdk: async (code, as = {}) => (await run(PYTHON, ['-c', code], clientEnv(app, home, as), `python3 -c ${code}`)).trim(),
  };
}

/** Runs a CLI call that must fail; returns its error (stderr holds the server's message). */
export async function cliFailure(call: Promise<unknown>): Promise<CliError> {
  try {
    await call;
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('the command succeeded but was expected to fail');
}
