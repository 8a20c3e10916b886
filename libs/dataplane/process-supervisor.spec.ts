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
    const s = supervise({ name: 'stubborn', command: 'sh', args: ['-c', "trap '' TERM; while :; do sleep 0.05; done"], stopTimeoutMs: 100 });
    s.start();
    const pid = s.pid!;
    await new Promise((r) => setTimeout(r, 50)); // let the shell set its trap
    const t0 = Date.now();
    await s.stop();
    expect(alive(pid)).toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
  });

  it('backs off a process that keeps dying instead of spinning', async () => {
    const s = supervise({ name: 'crasher', command: 'false', args: [], backoff: { initialMs: 40, maxMs: 1000 } });
    s.start();
    await new Promise((r) => setTimeout(r, 500));
    // waits 40, 80, 160, 320 ms: about 3 restarts in 500 ms, where no backoff would give dozens
    expect(s.restarts).toBeGreaterThanOrEqual(2);
    expect(s.restarts).toBeLessThanOrEqual(4);
  });

  it('keeps trying when the program cannot be started at all', async () => {
    const s = supervise({ name: 'missing', command: '/nonexistent/worker', args: [], backoff: { initialMs: 10, maxMs: 20 } });
    s.start();
    await vi.waitFor(() => expect(s.restarts).toBeGreaterThanOrEqual(2));
    await s.stop();
  });
});
