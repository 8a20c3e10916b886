/**
 * Runs a program with execFile (never a shell): arguments go to the program as they are, so a name that came from
 * the API cannot become a second command. A failure carries the command line and the program's stderr.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export class CommandError extends Error {
  constructor(
    /** the program and its arguments, as run */
    readonly command: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly signal: NodeJS.Signals | null = null,
    /** what it printed before failing (ping's summary, for one) */
    readonly stdout = '',
  ) {
    super(`\`${command.join(' ')}\` failed (${signal ?? `exit ${exitCode}`}): ${stderr.trim() || '(no stderr)'}`);
    this.name = 'CommandError';
  }
}

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** default 10 s: a hung `ip` must not hold the agent's loop forever */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** written to the program's stdin, which is then closed (e.g. iptables-restore's ruleset) */
  input?: string;
}

export function runCommand(file: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { timeout: opts.timeoutMs ?? 10_000, maxBuffer: 64 * 1024 * 1024, env: opts.env, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout, stderr });
        const e = err as NodeJS.ErrnoException & { code?: number | string; signal?: NodeJS.Signals | null };
        const exitCode = typeof e.code === 'number' ? e.code : null;
        const detail = stderr || (typeof e.code === 'string' ? `${e.code}: ${e.message}` : '');
        reject(new CommandError([file, ...args], exitCode, detail, e.signal ?? null, stdout));
      },
    );
    if (opts.input !== undefined) {
      // a program that exits without reading all of it fails on its own exit code; EPIPE adds nothing
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(opts.input);
    }
  });
}

/** `ip` from iproute2: root's PATH has /usr/sbin, a test runner's may not. */
export const IP_BINARY = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => existsSync(p)) ?? 'ip';

/** Kinds of failure a caller decides on; everything else is an error to report. */
export function failureKind(err: unknown): 'no-namespace' | 'not-found' | 'exists' | 'unsupported' | null {
  if (!(err instanceof CommandError)) return null;
  const text = err.stderr;
  if (/Cannot open network namespace/i.test(text)) return 'no-namespace';
  if (/Cannot find device|does not exist|No such device/i.test(text)) return 'not-found';
  if (/File exists/i.test(text)) return 'exists';
  if (/Unknown device type|Operation not supported|not supported/i.test(text)) return 'unsupported';
  return null;
}
