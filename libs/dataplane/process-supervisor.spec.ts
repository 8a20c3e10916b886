import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProcessSupervisor } from './process-supervisor.js';

const supervisors: ProcessSupervisor[] = [];
function supervise(opts: ConstructorParameters<typeof ProcessSupervisor>[0]) {
  const s = new ProcessSupervisor(opts);
  supervisors.push(s);
  return s;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
});

describe('ProcessSupervisor', () => {
  it('restarts a killed process and hands each new one to onStart', async () => {
    const started: number[] = [];
    const s = supervise({ name: 'sleeper', command: 'sleep', args: ['30'], backoff: { initialMs: 20 }, onStart: (c) => started.push(c.pid!) });
    s.start();
    const first = s.pid!;
    expect(alive(first)).toBe(true);
    process.kill(first, 'SIGKILL');
    await vi.waitFor(() => expect(s.pid).toBeDefined());
    await vi.waitFor(() => expect(s.pid).not.toBe(first));
    expect(alive(s.pid!)).toBe(true);
    expect(s.restarts).toBe(1);
    expect(started).toEqual([first, s.pid]);
  });

  it('stop ends the process and it stays ended', async () => {
    const exits: (string | number | null)[] = [];
    const s = supervise({ name: 'sleeper', command: 'sleep', args: ['30'], backoff: { initialMs: 10 }, onExit: (code, sig) => exits.push(sig ?? code) });
    s.start();
    const pid = s.pid!;
    await s.stop();
    expect(alive(pid)).toBe(false);
    expect(exits).toEqual(['SIGTERM']);
    await new Promise((r) => setTimeout(r, 60));
    expect(s.pid).toBeUndefined();
    expect(s.restarts).toBe(0);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'supervisor-spec-'));
    const trapped = join(dir, 'trapped');
    const exits: (string | number | null)[] = [];
    const s = supervise({
      name: 'stubborn',
      command: 'sh',
      args: ['-c', `trap '' TERM; touch ${trapped}; while :; do sleep 0.05; done`],
      stopTimeoutMs: 100,
      onExit: (code, sig) => exits.push(sig ?? code),
    });
    try {
      s.start();
      const pid = s.pid!;
      await vi.waitFor(() => expect(existsSync(trapped), 'the shell has set its trap').toBe(true), { timeout: 10_000 });
      await s.stop();
      expect(alive(pid)).toBe(false);
      // SIGTERM was ignored: only the escalation ended it.
      expect(exits).toEqual(['SIGKILL']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('backs off a process that keeps dying instead of spinning', async () => {
    const starts: number[] = [];
    const exits: number[] = [];
    const s = supervise({
      name: 'crasher',
      command: 'false',
      args: [],
      backoff: { initialMs: 40, maxMs: 1000 },
      onStart: () => starts.push(performance.now()),
      onExit: () => exits.push(performance.now()),
    });
    s.start();
    await vi.waitFor(() => expect(starts.length).toBeGreaterThanOrEqual(4), { timeout: 10_000 });
    // Each restart waits at least twice as long as the one before (40, 80, 160 ms), where no backoff would spin.
    // Only lower bounds: a loaded machine makes the waits longer, never shorter (how long they take is the bench's).
    const waits = starts.slice(1, 4).map((at, i) => at - exits[i]);
    waits.forEach((ms, i) => expect(ms, `wait before restart ${i + 1}`).toBeGreaterThanOrEqual(40 * 2 ** i - 1));
  });

  it('keeps trying when the program cannot be started at all', async () => {
    const s = supervise({ name: 'missing', command: '/nonexistent/worker', args: [], backoff: { initialMs: 10, maxMs: 20 } });
    s.start();
    await vi.waitFor(() => expect(s.restarts).toBeGreaterThanOrEqual(2));
    await s.stop();
  });
});
