/**
 * Horizon (Debian's openstack-dashboard) and a headless Chromium driven by Selenium, for test/e2e/horizon.e2e.ts.
 * Horizon runs with Django's runserver on a free port, with the checked-in settings `test/horizon/appliance_settings.py`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, REPO_ROOT } from './appliance.js';

const PYTHON = '/usr/bin/python3';
const MANAGE = '/usr/share/openstack-dashboard/manage.py';
const CHROMIUM = '/usr/bin/chromium';
const CHROMEDRIVER = '/usr/bin/chromedriver';
export const HORIZON_DIR = join(REPO_ROOT, 'test/horizon');

/** Why the Horizon test cannot run here (null: it can). */
export async function horizonUnavailableReason(): Promise<string | null> {
  const missing = [
    [MANAGE, 'openstack-dashboard'],
    [CHROMIUM, 'chromium'],
    [CHROMEDRIVER, 'chromium-driver'],
    [PYTHON, 'python3'],
  ].filter(([path]) => !existsSync(path));
  if (missing.length) return `missing ${missing.map(([path, pkg]) => `${path} (Debian ${pkg})`).join(', ')}`;
  const selenium = await new Promise<boolean>((ok) => execFile(PYTHON, ['-c', 'import selenium'], (error) => ok(!error)));
  return selenium ? null : `${PYTHON} cannot import selenium (Debian python3-selenium)`;
}

/** Warns on the console (a skipped test must be seen) and returns the reason for `describe.skipIf`. */
export async function skipUnlessHorizon(what: string): Promise<string | null> {
  const reason = await horizonUnavailableReason();
  if (reason) console.warn(`SKIPPED ${what}: ${reason}. .ci/run installs them.`);
  return reason;
}

export interface Horizon {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts Horizon against the appliance's Keystone; resolves once its login page answers. */
export async function startHorizon(keystoneUrl: string): Promise<Horizon> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc: ChildProcess = spawn(PYTHON, [MANAGE, 'runserver', '--insecure', '--noreload', `127.0.0.1:${port}`], {
    cwd: HORIZON_DIR,
    env: {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: HORIZON_DIR,
      LANG: 'C.UTF-8',
      PYTHONPATH: HORIZON_DIR,
      PYTHONWARNINGS: 'ignore',
      DJANGO_SETTINGS_MODULE: 'appliance_settings',
      APPLIANCE_KEYSTONE_URL: `${keystoneUrl}/v3`,
      NO_PROXY: '*',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const append = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-200_000);
  };
  proc.stdout?.on('data', append);
  proc.stderr?.on('data', append);
  const exited = new Promise<void>((ok) => proc.once('exit', () => ok()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  };

  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`Horizon exited with ${proc.exitCode}:\n${out}`);
    try {
      const res = await fetch(`${url}/auth/login/`);
      if (res.status === 200) return { url, output: () => out, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`Horizon did not answer on ${url} within 90 s:\n${out}`);
}

export interface PageResult {
  step: string;
  url: string;
  errors: string[];
  screenshot: string | null;
}

/** Runs test/horizon/drive_horizon.py (one browser session for one user); resolves with its per-page results. */
export function driveHorizon(args: string[]): Promise<{ pages: PageResult[]; stderr: string }> {
  return new Promise((ok, fail) => {
    execFile(
      PYTHON,
      [join(HORIZON_DIR, 'drive_horizon.py'), ...args],
      { env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: HORIZON_DIR, LANG: 'C.UTF-8', NO_PROXY: '*' }, timeout: 420_000, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const pages = stdout
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as PageResult);
        if (error && pages.length === 0) fail(new Error(`drive_horizon.py failed: ${error.message}\n${stderr}`));
        else ok({ pages, stderr });
      },
    );
  });
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

/** The appliance's request log lines (pino JSON, `request` and `identity request`) in a piece of its output. */
export function loggedRequests(output: string): LoggedRequest[] {
  const requests: LoggedRequest[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{') || !line.includes('request"')) continue;
    try {
      const entry = JSON.parse(line) as { method?: string; path?: string; status?: number };
      if (entry.method && entry.path && typeof entry.status === 'number') {
        requests.push({ method: entry.method, path: entry.path, status: entry.status });
      }
    } catch {
      // a partial line at the start of the kept output
    }
  }
  return requests;
}
