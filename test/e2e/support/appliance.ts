import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createTempDatabase, type TempDatabase } from './postgres.js';

/** The V8 flags `npm run start:dist` and the Dockerfile start the appliance with: a small young generation and a 128 MB old space keep RSS under 150 MB (a 20,000-port list still fits). */
const APPLIANCE_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=128'];

export type Dialect = 'sqlite' | 'postgres';
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const bundle = (name: string) => join(REPO_ROOT, `dist/bundle/${name}.js`);
const HOST = '127.0.0.1';
const ADMIN_PASSWORD = 'admin';

export interface StartOptions {
  dialect: Dialect;
  /** Which process shape to run: the all-in-one appliance (default) or the split deployment's neutron-server. */
  shape?: 'appliance' | 'neutron-server';
  /** Extra APPLIANCE_* variables. */
  env?: Record<string, string>;
  /** How many characters of stdout + stderr output() keeps (the last ones); default 20,000. */
  outputLimit?: number;
  /** postgres: this database (kept by stop()) instead of a fresh one (replicas of one deployment). */
  databaseUrl?: string;
  /** A copy of dist/bundle to start from instead (one whose code cache a test damaged). */
  bundleDir?: string;
}

/** Resolves true once the appliance answers as the caller needs (connection errors count as "not yet"). */
export type ReadyProbe = (app: { apiUrl: string; identityUrl: string }) => Promise<boolean>;

export interface Appliance {
  dialect: Dialect;
  /** Networking API root, e.g. http://127.0.0.1:40123 */
  apiUrl: string;
  /** Keystone root, e.g. http://127.0.0.1:40124 (the v3 API is `${identityUrl}/v3`). */
  identityUrl: string;
  dataDir: string;
  adminPassword: string;
  /** stdout + stderr of the current process (for failure messages). */
  output(): string;
  /** SIGTERM; resolves with the exit code once the process is gone. Data dir and database are kept. */
  terminate(): Promise<number | null>;
  /** terminate() then start again on the same ports, data dir and database; resolves with ms from spawn to ready. */
  restart(probe?: ReadyProbe): Promise<number>;
  /** terminate() and remove the data dir and the database. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

export const healthProbe: ReadyProbe = async ({ apiUrl }) => {
  const res = await fetch(`${apiUrl}/healthcheck`);
  return res.status === 200 && (await res.text()).trim() === 'OK';
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startAppliance(opts: StartOptions): Promise<Appliance> {
  const main = opts.bundleDir ? join(opts.bundleDir, `${opts.shape ?? 'appliance'}.js`) : bundle(opts.shape ?? 'appliance');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const [apiPort, identityPort] = [await freePort(), await freePort()];
  const dataDir = await mkdtemp(join(tmpdir(), `appliance-e2e-${opts.dialect}-`));
  let db: TempDatabase | undefined;
  if (opts.dialect === 'postgres' && !opts.databaseUrl) db = await createTempDatabase();

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dataDir,
    APPLIANCE_API_PORT: String(apiPort),
    APPLIANCE_IDENTITY_PORT: String(identityPort),
    APPLIANCE_HOST: HOST,
    APPLIANCE_DATA_DIR: dataDir,
    APPLIANCE_DATABASE_URL: opts.databaseUrl ?? db?.url ?? '',
    APPLIANCE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    APPLIANCE_LOG_LEVEL: 'warn',
    ...opts.env,
  };
  const urls = { apiUrl: `http://${HOST}:${apiPort}`, identityUrl: `http://${HOST}:${identityPort}` };

  let child: ChildProcess | undefined;
  let exited: Promise<number | null> = Promise.resolve(null);
  let out = '';

  const launch = async (probe: ReadyProbe): Promise<number> => {
    out = '';
    const t0 = performance.now();
    const proc = spawn(process.execPath, [...APPLIANCE_NODE_FLAGS, main], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    live.add(proc);
    const append = (chunk: Buffer) => {
      out = (out + chunk.toString('utf8')).slice(-(opts.outputLimit ?? 20_000));
    };
    proc.stdout?.on('data', append);
    proc.stderr?.on('data', append);
    let exitCode: number | null | undefined;
    exited = new Promise((ok) =>
      proc.once('exit', (code, signal) => {
        live.delete(proc);
        exitCode = code ?? (signal ? -1 : null);
        ok(code);
      }),
    );
    const deadline = t0 + 60_000;
    while (performance.now() < deadline) {
      if (exitCode !== undefined) {
        throw new Error(`appliance (${opts.dialect}) exited with ${exitCode} before it was ready:\n${out}`);
      }
      try {
        if (await probe(urls)) return performance.now() - t0;
      } catch (e) {
        // Connection refused while the process boots is "not yet"; anything else is the probe's verdict.
        if (!(e instanceof TypeError && e.message === 'fetch failed')) throw e;
      }
      await sleep(10);
    }
    proc.kill('SIGKILL');
    throw new Error(`appliance (${opts.dialect}) not ready after 60 s:\n${out}`);
  };

  const terminate = async (): Promise<number | null> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return proc?.exitCode ?? null;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    await launch(healthProbe);
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    await db?.drop();
    throw e;
  }

  return {
    dialect: opts.dialect,
    ...urls,
    dataDir,
    adminPassword: ADMIN_PASSWORD,
    output: () => out,
    terminate,
    restart: async (probe = healthProbe) => {
      await terminate();
      return launch(probe);
    },
    stop: async () => {
      await terminate();
      await rm(dataDir, { recursive: true, force: true });
      await db?.drop();
    },
  };
}

export interface AgentProcess {
  output(): string;
  /** SIGTERM (or SIGKILL); resolves once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `node dist/bundle/agent.js …args` with the given environment (the split deployment's agent process). */
export function startAgentProcess(args: string[], env: Record<string, string>): AgentProcess {
  const main = bundle('agent');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const proc = spawn(process.execPath, [main, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, APPLIANCE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  let out = '';
  const append = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-20_000);
  };
  proc.stdout?.on('data', append);
  proc.stderr?.on('data', append);
  const exited = new Promise<void>((ok) =>
    proc.once('exit', () => {
      live.delete(proc);
      ok();
    }),
  );
  return {
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
}
