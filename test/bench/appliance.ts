import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpClient, describe, parseJson } from './http-client.js';

/** The V8 flags `npm run start:dist` and the Dockerfile start the appliance with: a small young generation and a 128 MB old space keep RSS under 150 MB (a 20,000-port list still fits). */
const APPLIANCE_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=128'];
/**
 * The environment they add (unless the caller chose): two glibc malloc arenas instead of up to 8 per core, and blocks
 * of 128 KiB or more mapped on their own, so that freeing them gives the memory back.
 */
const APPLIANCE_NODE_ENV = {
  MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
  MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '131072',
};

export interface ApplianceOptions {
  /** Path of dist/apps/appliance/main.js. */
  entry: string;
  cwd: string;
  dataDir: string;
  /** '' = SQLite in dataDir. */
  databaseUrl: string;
  apiPort: number;
  identityPort: number;
  adminPassword: string;
  logLevel: string;
}

export interface StartTiming {
  /** spawn → POST /v3/auth/tokens answered 201. */
  tokenMs: number;
  /** spawn → the first authenticated GET /v2.0/networks answered 200. */
  firstAuthenticated200Ms: number;
}

export interface MemoryInfo {
  rssMb: number;
  /** Peak RSS of the process so far (VmHWM). */
  peakRssMb: number;
}

/** The appliance as a child process: spawn, wait for the first authenticated 200, read its memory, stop it. */
export class ApplianceProcess {
  private child?: ChildProcess;
  private output = '';
  private exited?: { code: number | null; signal: NodeJS.Signals | null };
  /** Keep-alive clients for this run of the process (new ones at every start). */
  api: HttpClient;
  identity: HttpClient;

  constructor(readonly opts: ApplianceOptions) {
    this.api = new HttpClient('127.0.0.1', opts.apiPort);
    this.identity = new HttpClient('127.0.0.1', opts.identityPort);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and measures until it answers an authenticated request; returns the token it got. */
  async start(timeoutMs = 60_000): Promise<{ timing: StartTiming; token: string; projectId: string }> {
    this.output = '';
    this.exited = undefined;
    this.api.close();
    this.identity.close();
    this.api = new HttpClient('127.0.0.1', this.opts.apiPort);
    this.identity = new HttpClient('127.0.0.1', this.opts.identityPort);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...APPLIANCE_NODE_ENV,
      APPLIANCE_API_PORT: String(this.opts.apiPort),
      APPLIANCE_IDENTITY_PORT: String(this.opts.identityPort),
      APPLIANCE_HOST: '127.0.0.1',
      APPLIANCE_DATA_DIR: this.opts.dataDir,
      APPLIANCE_DATABASE_URL: this.opts.databaseUrl,
      APPLIANCE_ADMIN_PASSWORD: this.opts.adminPassword,
      APPLIANCE_LOG_LEVEL: this.opts.logLevel,
    };
    delete env.APPLIANCE_CONFIG;
    const t0 = performance.now();
    const child = spawn(process.execPath, [...APPLIANCE_NODE_FLAGS, this.opts.entry], { cwd: this.opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-64 * 1024);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => {
      this.exited = { code, signal };
    });

    const deadline = t0 + timeoutMs;
    let token: string | undefined;
    let projectId = '';
    let tokenMs = 0;
    let lastProblem = 'no answer yet';
    while (performance.now() < deadline) {
      if (this.exited) throw new Error(`appliance exited (${this.describeExit()}) before answering:\n${this.outputTail()}`);
      try {
        if (!token) {
          const res = await this.identity.request('POST', '/v3/auth/tokens', {
            body: passwordAuth(this.opts.adminPassword),
            timeoutMs: 10_000,
          });
          if (res.status !== 201) {
            lastProblem = `token: ${describe(res)}`;
          } else {
            token = String(res.headers['x-subject-token'] ?? '');
            projectId = parseJson<{ token: { project?: { id: string } } }>(res).token.project?.id ?? '';
            tokenMs = performance.now() - t0;
          }
        }
        if (token) {
          const res = await this.api.request('GET', '/v2.0/networks', { headers: { 'x-auth-token': token }, timeoutMs: 10_000 });
          if (res.status === 200) {
            return { timing: { tokenMs, firstAuthenticated200Ms: performance.now() - t0 }, token, projectId };
          }
          lastProblem = `GET /v2.0/networks: ${describe(res)}`;
        }
      } catch (error) {
        lastProblem = (error as Error).message; // not listening yet
      }
      await sleep(5);
    }
    throw new Error(`appliance did not answer an authenticated request within ${timeoutMs} ms (${lastProblem}):\n${this.outputTail()}`);
  }

  /** VmRSS / VmHWM from /proc (Linux). */
  memory(): MemoryInfo | null {
    if (!this.child?.pid || this.exited) return null;
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
    } catch {
      return null;
    }
  }

  /** SIGTERM, wait for exit (SIGKILL after the grace period); returns how long the graceful shutdown took. */
  async stop(graceMs = 10_000): Promise<{ ms: number; graceful: boolean }> {
    const child = this.child;
    this.api.close();
    this.identity.close();
    if (!child || this.exited) return { ms: 0, graceful: true };
    const t0 = performance.now();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const graceful = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!graceful) {
      child.kill('SIGKILL');
      await exited;
    }
    return { ms: performance.now() - t0, graceful };
  }

  /** Synchronous last resort for signal handlers. */
  kill(): void {
    if (this.child && !this.exited) this.child.kill('SIGKILL');
  }

  describeExit(): string {
    return this.exited ? `code ${this.exited.code}, signal ${this.exited.signal}` : 'running';
  }

  outputTail(lines = 40): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }
}

export function passwordAuth(password: string, user = 'admin', project = 'admin'): unknown {
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: user, domain: { name: 'Default' }, password } } },
      scope: { project: { name: project, domain: { name: 'Default' } } },
    },
  };
}

export function tokenAuth(token: string, project = 'admin'): unknown {
  return {
    auth: {
      identity: { methods: ['token'], token: { id: token } },
      scope: { project: { name: project, domain: { name: 'Default' } } },
    },
  };
}

/** A port that was free a moment ago (bound to 0, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
