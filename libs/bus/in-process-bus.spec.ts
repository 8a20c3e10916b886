import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { BUS, type Bus, BusRemoteError, BusTimeoutError } from './bus.contract.js';
import { BusModule, createBus } from './bus.module.js';
import { InProcessBus } from './in-process-bus.js';
import { waitUntil } from './testing/wait-until.js';

function capturingLog() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

const waitFor = waitUntil;

describe('InProcessBus', () => {
  let bus: InProcessBus;
  let lines: Array<Record<string, unknown>>;
  afterEach(() => bus?.close());

  const open = (rpcTimeoutMs = 1_000) => {
    const captured = capturingLog();
    lines = captured.lines;
    bus = new InProcessBus({ rpcTimeoutMs, log: captured.log });
    return bus;
  };

  it('answers a call with the handler result, both sides seeing only JSON', async () => {
    open();
    let seen: unknown;
    await bus.subscribe('q-plugin', {
      echo: (payload) => {
        seen = payload;
        return { at: new Date(0), missing: undefined, list: [1, 'a'] };
      },
    });
    const sent = { when: new Date(0), n: 1 };
    const result = await bus.call('q-plugin', 'echo', sent);
    expect(seen).toEqual({ when: '1970-01-01T00:00:00.000Z', n: 1 });
    expect(seen).not.toBe(sent);
    expect(result).toEqual({ at: '1970-01-01T00:00:00.000Z', list: [1, 'a'] });
  });

  it('resolves undefined when the handler returns nothing', async () => {
    open();
    await bus.subscribe('t', { nothing: () => undefined });
    await expect(bus.call('t', 'nothing', {})).resolves.toBeUndefined();
  });

  it('shares calls and casts round-robin between the subscribers of a topic', async () => {
    open();
    const got: string[] = [];
    await bus.subscribe('t', { m: () => void got.push('a') });
    await bus.subscribe('t', { m: () => void got.push('b') });
    for (let i = 0; i < 4; i++) await bus.call('t', 'm', i);
    await bus.cast('t', 'm', 0);
    await bus.cast('t', 'm', 0);
    await waitFor(() => got.length === 6);
    expect(got).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
  });

  it('fans out to every fanout subscriber and to no work-sharing one', async () => {
    open();
    const got: string[] = [];
    await bus.subscribe('fan', { note: (p) => void got.push(`x:${(p as { id: string }).id}`) }, { fanout: true });
    await bus.subscribe('fan', { note: (p) => void got.push(`y:${(p as { id: string }).id}`) }, { fanout: true });
    await bus.subscribe('fan', { note: () => void got.push('worker') });
    await bus.fanout('fan', 'note', { id: '1' });
    await waitFor(() => got.length >= 2);
    await new Promise((r) => setTimeout(r, 20));
    expect(got.sort()).toEqual(['x:1', 'y:1']);
  });

  it('turns a handler exception into BusRemoteError(name, message) for the caller', async () => {
    open();
    class PortNotFound extends Error {
      override name = 'PortNotFound';
    }
    await bus.subscribe('t', {
      fail: () => {
        throw new PortNotFound('Port p1 could not be found.');
      },
    });
    const err = await bus.call('t', 'fail', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusRemoteError);
    expect(err).toMatchObject({ remoteName: 'PortNotFound', message: 'Port p1 could not be found.' });
  });

  it('rejects a call to a method the subscriber does not have', async () => {
    open();
    await bus.subscribe('t', { known: () => 1 });
    await expect(bus.call('t', 'toString', {})).rejects.toMatchObject({ remoteName: 'NoSuchMethod' });
  });

  it('logs a failing cast or fanout handler and never throws it to the sender', async () => {
    open();
    const boom = () => {
      throw new Error('boom');
    };
    await bus.subscribe('t', { m: boom });
    await bus.subscribe('f', { m: boom }, { fanout: true });
    await expect(bus.cast('t', 'm', {})).resolves.toBeUndefined();
    await expect(bus.fanout('f', 'm', {})).resolves.toBeUndefined();
    await waitFor(() => lines.filter((l) => l.msg === 'bus handler failed').length === 2);
    expect(lines.find((l) => l.topic === 't')).toMatchObject({ method: 'm', error: 'Error: boom' });
  });

  it('times a call out when no subscriber appears', async () => {
    open(50);
    const started = Date.now();
    const err = await bus.call('nobody', 'm', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusTimeoutError);
    expect((err as Error).message).toBe('bus call nobody.m timed out after 50 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('times a call out when the handler is too slow, with the per-call timeout', async () => {
    open(5_000);
    await bus.subscribe('t', { slow: () => new Promise((r) => setTimeout(r, 200)) });
    await expect(bus.call('t', 'slow', {}, { timeoutMs: 30 })).rejects.toBeInstanceOf(BusTimeoutError);
  });

  it('holds calls and casts until a subscriber appears', async () => {
    open();
    const casts: unknown[] = [];
    const answer = bus.call('late', 'add', { a: 1, b: 2 });
    await bus.cast('late', 'note', { n: 1 });
    await new Promise((r) => setTimeout(r, 20));
    await bus.subscribe('late', { add: (p) => (p as { a: number; b: number }).a + (p as { a: number; b: number }).b, note: (p) => void casts.push(p) });
    await expect(answer).resolves.toBe(3);
    await waitFor(() => casts.length === 1);
    expect(casts).toEqual([{ n: 1 }]);
  });

  it('does not deliver a timed-out call to a subscriber that comes later', async () => {
    open(20);
    const got: unknown[] = [];
    await expect(bus.call('late', 'm', 1)).rejects.toBeInstanceOf(BusTimeoutError);
    await bus.subscribe('late', { m: (p) => void got.push(p) });
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([]);
  });

  it('stops delivering to a closed subscription', async () => {
    open(30);
    const got: string[] = [];
    const a = await bus.subscribe('t', { m: () => void got.push('a') });
    await bus.subscribe('t', { m: () => void got.push('b') });
    await a.close();
    await bus.call('t', 'm', 0);
    await bus.call('t', 'm', 0);
    expect(got).toEqual(['b', 'b']);
  });

  it('rejects calls still waiting when the bus closes, and everything after', async () => {
    open();
    const waiting = bus.call('nobody', 'm', {});
    await bus.close();
    await expect(waiting).rejects.toThrow('bus closed');
    await expect(bus.cast('t', 'm', {})).rejects.toThrow('bus closed');
  });
});

describe('InProcessBus queues', () => {
  let bus: InProcessBus;
  let lines: Array<Record<string, unknown>>;
  afterEach(() => bus?.close());

  const open = () => {
    const captured = capturingLog();
    lines = captured.lines;
    bus = new InProcessBus({ rpcTimeoutMs: 1_000, log: captured.log });
  };

  it('keeps jobs enqueued before a processor exists, and hands them over in order', async () => {
    open();
    await bus.enqueue('nova-events', { n: 1, at: new Date(0) });
    await bus.enqueue('nova-events', { n: 2 });
    const got: unknown[] = [];
    await bus.process('nova-events', async (job) => void got.push(job));
    await waitFor(() => got.length === 2);
    expect(got).toEqual([{ n: 1, at: '1970-01-01T00:00:00.000Z' }, { n: 2 }]);
  });

  it('retries a failing job with doubling delays until it succeeds', async () => {
    open();
    const times: number[] = [];
    await bus.process('q', async () => {
      times.push(Date.now());
      if (times.length < 4) throw new Error('nova unreachable');
    });
    await bus.enqueue('q', {}, { backoffMs: 20 });
    await waitFor(() => times.length === 4);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[1]).toBeGreaterThanOrEqual(38);
    expect(gaps[2]).toBeGreaterThanOrEqual(78);
    expect(lines.filter((l) => l.msg === 'bus job failed, will retry')).toHaveLength(3);
  });

  it('gives a job up after its attempts, logging it', async () => {
    open();
    let tries = 0;
    await bus.process('q', async () => {
      tries++;
      throw new Error('still down');
    });
    await bus.enqueue('q', {}, { attempts: 3, backoffMs: 1 });
    await waitFor(() => lines.some((l) => l.msg === 'bus job given up'));
    await new Promise((r) => setTimeout(r, 30));
    expect(tries).toBe(3);
    expect(lines.find((l) => l.msg === 'bus job given up')).toMatchObject({ queue: 'q', attempts: 3, error: 'Error: still down' });
  });

  it('starts a delayed job no earlier than its delay', async () => {
    open();
    const started = Date.now();
    let ranAt = 0;
    await bus.process('q', async () => void (ranAt = Date.now()));
    await bus.enqueue('q', {}, { delayMs: 60 });
    await waitFor(() => ranAt > 0);
    expect(ranAt - started).toBeGreaterThanOrEqual(55);
  });

  it('runs at most `concurrency` jobs at once in a processor', async () => {
    open();
    let active = 0;
    let peak = 0;
    let done = 0;
    await bus.process(
      'q',
      async () => {
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 10));
        active--;
        done++;
      },
      { concurrency: 2 },
    );
    for (let i = 0; i < 6; i++) await bus.enqueue('q', i);
    await waitFor(() => done === 6);
    expect(peak).toBe(2);
  });
});

describe('createBus and BusModule', () => {
  const config = { bus: { transport: 'in-process' as const, redis_url: 'redis://127.0.0.1:6379', redis_prefix: 'neutron', rpc_timeout_ms: 40 } };

  it('createBus gives the configured transport with the configured timeout', async () => {
    const bus: Bus = createBus(config, pino({ level: 'silent' }));
    expect(bus).toBeInstanceOf(InProcessBus);
    await expect(bus.call('nobody', 'm', {})).rejects.toThrow('timed out after 40 ms');
    await bus.close();
  });

  it('BusModule provides BUS globally and closes it on shutdown', async () => {
    const app = await NestFactory.createApplicationContext(BusModule.forRoot(config, pino({ level: 'silent' })), { logger: false });
    const bus = app.get<Bus>(BUS);
    await bus.subscribe('t', { ping: () => 'pong' });
    await expect(bus.call('t', 'ping', {})).resolves.toBe('pong');
    await app.close();
    await expect(bus.call('t', 'ping', {})).rejects.toThrow('bus closed');
  });
});
