/**
 * The Redis transport against the machine's real Redis (127.0.0.1:6379, or BUS_TEST_REDIS_URL). Each test uses its
 * own key prefix and deletes its keys afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { build } from 'rolldown';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Bus, BusRemoteError, BusTimeoutError } from './bus.contract.js';
import { createBus } from './bus.module.js';
import { RedisBus } from './redis-bus.js';
import { waitUntil } from './testing/wait-until.js';

const url = process.env.BUS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const here = dirname(fileURLToPath(import.meta.url));
const silent = pino({ level: 'silent' });

const waitFor = (check: () => boolean, ms = 3_000) => waitUntil(check, ms);

describe('RedisBus (real Redis)', () => {
  let prefix: string;
  let buses: Bus[];
  const admin = new Redis(url);

  const open = (opts: { rpcTimeoutMs?: number; log?: pino.Logger } = {}) => {
    const bus = new RedisBus({ url, prefix, rpcTimeoutMs: opts.rpcTimeoutMs ?? 2_000, log: opts.log ?? silent });
    buses.push(bus);
    return bus;
  };

  const keys = () => admin.keys(`${prefix}:*`);

  const waitForBlockedConsumers = async (n: number) => {
    const until = Date.now() + 3_000;
    for (;;) {
      const clients = String(await admin.client('LIST')).split('\n');
      if (clients.filter((c) => c.includes(`name=${prefix}-bus-consumer:`) && c.includes('cmd=brpop')).length >= n) return;
      if (Date.now() > until) throw new Error(`${n} consumers not blocked in time`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  beforeEach(() => {
    prefix = `neutron-test-${randomUUID().slice(0, 8)}`;
    buses = [];
  });

  afterEach(async () => {
    await Promise.all(buses.map((b) => b.close()));
    const left = await keys();
    if (left.length > 0) await admin.del(...left);
  });

  afterAll(() => admin.quit());

  it('calls and casts from one bus reach a subscriber on another, through JSON', async () => {
    const server = open();
    const agent = open();
    const casts: unknown[] = [];
    await server.subscribe('q-plugin', {
      get_devices: (p) => ({ asked: p, at: new Date(0) }),
      update_device_up: (p) => void casts.push(p),
    });
    await expect(agent.call('q-plugin', 'get_devices', { host: 'compute1', ids: [1, 2] })).resolves.toEqual({
      asked: { host: 'compute1', ids: [1, 2] },
      at: '1970-01-01T00:00:00.000Z',
    });
    await agent.cast('q-plugin', 'update_device_up', { device: 'tap1' });
    await waitFor(() => casts.length === 1);
    expect(casts).toEqual([{ device: 'tap1' }]);
  });

  it('keeps every key under its prefix', async () => {
    const bus = open();
    await bus.cast('nobody-listens', 'm', {});
    await bus.enqueue('jobs', { n: 1 });
    const written = await keys();
    expect(written).toContain(`${prefix}:rpc:nobody-listens`);
    expect(written.some((k) => k.startsWith(`${prefix}:queue:jobs:`))).toBe(true);
  });

  it('delivers each call and cast to exactly one of two subscribers, sharing them', async () => {
    const got: Record<string, number[]> = { a: [], b: [] };
    await open().subscribe('q-plugin', { m: (p) => void got.a.push(p as number) });
    await open().subscribe('q-plugin', { m: (p) => void got.b.push(p as number) });
    const caller = open();
    // both consumers blocked on the list, so Redis serves them in turn
    await waitForBlockedConsumers(2);
    for (let i = 0; i < 6; i++) await caller.call('q-plugin', 'm', i);
    for (let i = 6; i < 12; i++) await caller.cast('q-plugin', 'm', i);
    await waitFor(() => got.a.length + got.b.length === 12);
    await new Promise((r) => setTimeout(r, 50));
    expect([...got.a, ...got.b].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(got.a.length).toBeGreaterThan(0);
    expect(got.b.length).toBeGreaterThan(0);
  });

  it('sends nothing more to a closed subscription', async () => {
    const got: string[] = [];
    const first = await open().subscribe('t', { m: () => void got.push('a') });
    await open().subscribe('t', { m: () => void got.push('b') });
    await first.close();
    const caller = open();
    for (let i = 0; i < 4; i++) await caller.call('t', 'm', i);
    expect(got).toEqual(['b', 'b', 'b', 'b']);
  });

  it('fans out to every fanout subscriber on every bus, and to no work-sharing one', async () => {
    const got: string[] = [];
    await open().subscribe('q-agent-notifier', { port_update: (p) => void got.push(`1:${(p as { id: string }).id}`) }, { fanout: true });
    const second = open();
    await second.subscribe('q-agent-notifier', { port_update: (p) => void got.push(`2:${(p as { id: string }).id}`) }, { fanout: true });
    await second.subscribe('q-agent-notifier', { port_update: () => void got.push('worker') });
    await open().fanout('q-agent-notifier', 'port_update', { id: 'p1' });
    await waitFor(() => got.length >= 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(got.sort()).toEqual(['1:p1', '2:p1']);
  });

  it('fans out to two subscriptions of one bus made at the same time (two agents in one process)', async () => {
    const got: string[] = [];
    const bus = open();
    await Promise.all([
      bus.subscribe('q-agent-notifier', { port_delete: () => void got.push('host1') }, { fanout: true }),
      bus.subscribe('q-agent-notifier', { port_delete: () => void got.push('host2') }, { fanout: true }),
    ]);
    await open().fanout('q-agent-notifier', 'port_delete', { port_id: 'p1' });
    await waitFor(() => got.length === 2);
    expect(got.sort()).toEqual(['host1', 'host2']);
  });

  it('stops fanning out to a closed fanout subscription', async () => {
    const got: string[] = [];
    const bus = open();
    const sub = await bus.subscribe('f', { m: () => void got.push('x') }, { fanout: true });
    await sub.close();
    await bus.fanout('f', 'm', {});
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([]);
  });

  it("carries a remote handler's error back as BusRemoteError(name, message)", async () => {
    await open().subscribe('t', {
      fail: () => {
        throw new TypeError('segmentation id 5000 is out of range');
      },
    });
    const err = await open()
      .call('t', 'fail', {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusRemoteError);
    expect(err).toMatchObject({ remoteName: 'TypeError', message: 'segmentation id 5000 is out of range' });
  });

  it('logs a failing cast handler on the subscriber side; the sender never sees it', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({}, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    await open({ log }).subscribe('t', {
      m: () => {
        throw new Error('boom');
      },
    });
    await expect(open().cast('t', 'm', {})).resolves.toBeUndefined();
    await waitFor(() => lines.some((l) => l.msg === 'bus handler failed'));
    expect(lines.find((l) => l.msg === 'bus handler failed')).toMatchObject({ topic: 't', method: 'm', error: 'Error: boom' });
  });

  it('times a call out when nobody answers, and never runs it later', async () => {
    const caller = open({ rpcTimeoutMs: 100 });
    const started = Date.now();
    const err = await caller.call('nobody', 'm', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    const got: unknown[] = [];
    await open().subscribe('nobody', { m: (p) => void got.push(p) });
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([]);
  });

  it('times a call out, rather than hanging, when Redis cannot be reached', async () => {
    const bus = new RedisBus({ url: 'redis://127.0.0.1:1', prefix, rpcTimeoutMs: 100, log: silent });
    buses.push(bus);
    await expect(bus.call('t', 'm', {})).rejects.toBeInstanceOf(BusTimeoutError);
  });

  it('answers a call sent before its subscriber started, within the timeout', async () => {
    const answer = open().call('late', 'add', { a: 2, b: 3 });
    await new Promise((r) => setTimeout(r, 100));
    await open().subscribe('late', { add: (p) => (p as { a: number }).a + (p as { b: number }).b });
    await expect(answer).resolves.toBe(5);
  });

  it('keeps a job enqueued with no processor across a restart of the bus', async () => {
    const before = open();
    await before.enqueue('nova-events', { name: 'network-vif-plugged', tag: 'p1' });
    await before.close();
    const got: unknown[] = [];
    await open().process('nova-events', async (job) => void got.push(job));
    await waitFor(() => got.length === 1);
    expect(got).toEqual([{ name: 'network-vif-plugged', tag: 'p1' }]);
  });

  it('retries a failing job with exponential backoff until it succeeds', async () => {
    const bus = open();
    const times: number[] = [];
    await bus.process('q', async () => {
      times.push(Date.now());
      if (times.length < 3) throw new Error('nova unreachable');
    });
    await bus.enqueue('q', { n: 1 }, { backoffMs: 100 });
    await waitFor(() => times.length === 3);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(95);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(195);
  });

  it('createBus gives the Redis transport when configured', async () => {
    const bus = createBus({ bus: { transport: 'redis', redis_url: url, redis_prefix: 'unused', rpc_timeout_ms: 1_000 } }, silent, { prefix });
    buses.push(bus);
    await bus.subscribe('t', { ping: () => 'pong' });
    await expect(open().call('t', 'ping', null)).resolves.toBe('pong');
  });

  describe('with a subscriber in another process', () => {
    let child: ChildProcess | undefined;
    const outDir = join(here, '../../node_modules/.cache/bus-spec', randomUUID());

    afterEach(() => {
      child?.kill('SIGTERM');
    });
    afterAll(() => rmSync(outDir, { recursive: true, force: true }));

    it('serves calls, errors and fanouts across processes', async () => {
      mkdirSync(outDir, { recursive: true });
      const script = join(outDir, 'bus-subscriber.mjs');
      await build({
        input: join(here, 'testing/bus-subscriber.process.ts'),
        platform: 'node',
        external: [/^[^./]/],
        logLevel: 'silent',
        output: { file: script, format: 'esm' },
      });
      const proc = spawn(process.execPath, [script, url, prefix, 'q-plugin'], { stdio: ['ignore', 'pipe', 'inherit'] });
      child = proc;
      let out = '';
      proc.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await waitFor(() => out.includes('ready\n'), 5_000);

      const server = open();
      await expect(server.call('q-plugin', 'whoami', {})).resolves.toEqual({ pid: proc.pid });
      await expect(server.call('q-plugin', 'add', { a: 40, b: 2 })).resolves.toBe(42);
      await expect(server.call('q-plugin', 'fail', {})).rejects.toMatchObject({ remoteName: 'RangeError', message: 'out of range in the other process' });
      await server.fanout('q-plugin', 'note', { port: 'p1' });
      await waitFor(() => out.includes('fanout {"port":"p1"}\n'));

      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
      child = undefined;
    });
  });
});
