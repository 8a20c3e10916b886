/**
 * Keeps one long-lived process running (a DHCP worker inside its namespace): restarts it when it exits, waiting
 * longer after each quick death so a process that cannot start does not spin, and stops it on request.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { pino, type Logger } from 'pino';

export interface BackoffOptions {
  /** wait before the first restart */
  initialMs: number;
  /** the wait doubles per restart up to this */
  maxMs: number;
  /** a process that ran this long is healthy: the next restart waits initialMs again */
  resetAfterMs: number;
}

export interface ProcessSupervisorOptions {
  /** for logs */
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** default: stdin ignored, stdout/stderr logged; add 'ipc' to talk to a Node worker */
  stdio?: StdioOptions;
  backoff?: Partial<BackoffOptions>;
  /** SIGTERM, then SIGKILL after this (default 2 s) */
  stopTimeoutMs?: number;
  /** runs for every (re)started process: the place to feed it its state again */
  onStart?: (child: ChildProcess) => void;
  /** runs for every exit, stop included */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  log?: Logger;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 10_000, resetAfterMs: 10_000 };

export class ProcessSupervisor {
  private readonly backoff: BackoffOptions;
  private readonly log: Logger;
  private current: ChildProcess | null = null;
  private startedAt = 0;
  private nextDelayMs: number;
  private restartTimer: NodeJS.Timeout | null = null;
  private running = false;
  private exited: Promise<void> = Promise.resolve();
  private restartCount = 0;

  constructor(private readonly opts: ProcessSupervisorOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.nextDelayMs = this.backoff.initialMs;
    this.log = (opts.log ?? pino({ level: 'silent' })).child({ process: opts.name });
  }

  /** The process running now (null between a death and its restart). */
  get child(): ChildProcess | null {
    return this.current;
  }

  get pid(): number | undefined {
    return this.current?.pid;
  }

  /** How many times it was started again after dying. */
  get restarts(): number {
    return this.restartCount;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.spawnOnce();
  }

  /** Stops supervising and ends the process (SIGTERM, then SIGKILL); resolves once it has exited. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.current;
    if (!child) return;
    const exited = this.exited;
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), this.opts.stopTimeoutMs ?? 2000);
    try {
      await exited;
    } finally {
      clearTimeout(killTimer);
    }
  }

  private spawnOnce(): void {
    const child = spawn(this.opts.command, [...this.opts.args], {
      env: this.opts.env,
      cwd: this.opts.cwd,
      stdio: this.opts.stdio ?? ['ignore', 'pipe', 'pipe'],
    });
    this.current = child;
    this.startedAt = Date.now();
    let done!: () => void;
    this.exited = new Promise((resolve) => (done = resolve));
    let finished = false;
    const onGone = (code: number | null, signal: NodeJS.Signals | null, err?: Error) => {
      if (finished) return;
      finished = true;
      if (this.current === child) this.current = null;
      done();
      this.opts.onExit?.(code, signal);
      if (!this.running) return;
      this.log.warn({ code, signal, err }, 'process exited; restarting');
      this.scheduleRestart();
    };
    child.on('error', (err) => onGone(null, null, err));
    child.on('exit', (code, signal) => onGone(code, signal));
    child.stdout?.on('data', (b: Buffer) => this.log.debug({ stdout: b.toString().trimEnd() }));
    child.stderr?.on('data', (b: Buffer) => this.log.warn({ stderr: b.toString().trimEnd() }));
    if (child.pid !== undefined) {
      this.log.info({ pid: child.pid }, 'process started');
      this.opts.onStart?.(child);
    }
  }

  private scheduleRestart(): void {
    if (Date.now() - this.startedAt >= this.backoff.resetAfterMs) this.nextDelayMs = this.backoff.initialMs;
    const delay = this.nextDelayMs;
    this.nextDelayMs = Math.min(this.nextDelayMs * 2, this.backoff.maxMs);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.running) return;
      this.restartCount++;
      this.spawnOnce();
    }, delay);
  }
}
