import { afterEach, describe, expect, it, vi } from 'vitest';
import { NOVA_EVENTS_QUEUE } from '../rpc/nova-events.contract.js';
import type { Bus, EnqueueOptions } from '../bus/bus.contract.js';
import { testConfig } from '../identity/testing/identity-harness.js';
import type { PortChange } from './nova-events.js';
import { NovaNotifier } from './nova-notifier.service.js';
import { PortChangeEvents } from './testing/port-change-events.js';

const SERVER = '0b5c6a33-8e6f-4f7c-9a49-3f4b1c2d7e10';
const plugged = (port: string): PortChange => ({
  port_id: port,
  device_id: SERVER,
  device_owner: 'compute:nova',
  status_before: 'DOWN',
  status_after: 'ACTIVE',
});

/** Records enqueues; the worker side is not exercised here (see nova-notifier.module.spec.ts). */
function recordingBus() {
  const enqueued: { queue: string; job: unknown; opts?: EnqueueOptions }[] = [];
  const bus = {
    enqueue: vi.fn(async (queue: string, job: unknown, opts?: EnqueueOptions) => void enqueued.push({ queue, job, opts })),
    process: vi.fn(async () => ({ close: async () => undefined })),
  } as unknown as Bus;
  return { bus, enqueued };
}

function notifier(url: string, bus: Bus, interval = 2) {
  const events = new PortChangeEvents();
  const config = testConfig({ nova: { url, send_events_interval: interval } });
  return { events, notifier: new NovaNotifier(config, events.registry, bus) };
}

describe('NovaNotifier (publishing side)', () => {
  afterEach(() => vi.useRealTimers());

  it('enqueues one retried job per batch on the Nova queue', async () => {
    const { bus, enqueued } = recordingBus();
    const { events, notifier: n } = notifier('http://nova.invalid:8774', bus);
    n.onModuleInit();
    events.publish(plugged('p1'));
    events.publish({ ...plugged('p2'), device_owner: 'network:dhcp' });
    events.publish(plugged('p3'));
    expect(enqueued).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(enqueued).toHaveLength(1);
    expect(enqueued[0].queue).toBe(NOVA_EVENTS_QUEUE);
    expect(enqueued[0].job).toEqual({
      events: [
        { name: 'network-vif-plugged', server_uuid: SERVER, tag: 'p1', status: 'completed' },
        { name: 'network-vif-plugged', server_uuid: SERVER, tag: 'p3', status: 'completed' },
      ],
    });
    expect(enqueued[0].opts?.attempts).toBeGreaterThan(1);
    await n.onModuleDestroy();
  });

  it('enqueues the batch still collecting when the module is destroyed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    const { bus, enqueued } = recordingBus();
    const { events, notifier: n } = notifier('http://nova.invalid:8774', bus);
    n.onModuleInit();
    events.publish(plugged('p1'));
    await vi.advanceTimersByTimeAsync(0);
    events.publish(plugged('p2'));
    expect(enqueued).toHaveLength(1);
    await n.onModuleDestroy();
    expect(enqueued.map((e) => (e.job as { events: { tag: string }[] }).events.map((x) => x.tag))).toEqual([['p1'], ['p2']]);
  });

  it('an enqueue that fails is logged, never thrown at the publisher', async () => {
    const bus = { enqueue: vi.fn(async () => Promise.reject(new Error('redis down'))) } as unknown as Bus;
    const { events, notifier: n } = notifier('http://nova.invalid:8774', bus);
    n.onModuleInit();
    expect(() => events.publish(plugged('p1'))).not.toThrow();
    await new Promise((r) => setImmediate(r));
    expect(bus.enqueue).toHaveBeenCalledTimes(1);
  });

  it('does nothing without nova.url: no listener, no queue worker', async () => {
    const { bus, enqueued } = recordingBus();
    const { events, notifier: n } = notifier('', bus);
    n.onModuleInit();
    await n.onApplicationBootstrap();
    events.publish(plugged('p1'));
    await new Promise((r) => setImmediate(r));
    expect(enqueued).toEqual([]);
    expect(bus.process).not.toHaveBeenCalled();
  });

  it('drops a malformed job instead of retrying it forever', async () => {
    const { bus } = recordingBus();
    const { notifier: n } = notifier('http://nova.invalid:8774', bus);
    await expect(n.deliver({})).resolves.toBeUndefined();
    await expect(n.deliver(null)).resolves.toBeUndefined();
  });
});
