import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Appliance } from './appliance.js';
import type { Json } from './http.js';

const OPENSTACK = '/usr/bin/openstack';
const PYTHON = '/usr/bin/python3';

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
    execFile(file, args, { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const code = typeof error.code === 'number' ? error.code : null;
        fail(new CliError(label, code, stdout, stderr));
      } else {
        ok(stdout);
      }
    });
  });
}

export function cliFor(app: Appliance): Cli {
  // Inside the data dir, so it goes away with the appliance.
  const home = join(app.dataDir, 'client-home');
  mkdirSync(home, { recursive: true });
  return {
    openstack: async (args, as = {}) => {
      const stdout = await run(OPENSTACK, args, clientEnv(app, home, as), `openstack ${args.join(' ')}`);
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
