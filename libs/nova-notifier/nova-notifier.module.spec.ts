import { Global, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BusModule } from '../bus/bus.module.js';
import { ConfigModule } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { freePort, type RunningIdentity, startIdentity } from '../identity/testing/identity-harness.js';
import { ResourceEvents } from '../api/events/resource-events.js';
import type { PortChange } from './nova-events.js';
import { NovaNotifierModule } from './nova-notifier.module.js';
import { FakeNova } from './testing/fake-nova.js';
import { PortChangeEvents } from './testing/port-change-events.js';

/** The resource events registry, global as the API module provides it in a server. */
@Global()
@Module({ providers: [ResourceEvents], exports: [ResourceEvents] })
class ResourceEventsModule {}

const SERVER = '0b5c6a33-8e6f-4f7c-9a49-3f4b1c2d7e10';
const INTERVAL_S = 0.4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const plugged = (port: string): PortChange => ({
  port_id: port,
  device_id: SERVER,
  device_owner: 'compute:nova',
  status_before: 'DOWN',
  status_after: 'ACTIVE',
});

/** The notifier as a server process composes it: config, the in-process bus, NovaNotifierModule. */
async function notifierContext(config: AppConfig): Promise<INestApplicationContext> {
  @Module({ imports: [ConfigModule.forRoot(config), BusModule.forRoot(config, pino({ level: 'silent' })), ResourceEventsModule, NovaNotifierModule] })
  class NotifierTestModule {}
  const ctx = await NestFactory.createApplicationContext(NotifierTestModule, { logger: false, abortOnError: false });
  await ctx.init();
  return ctx;
}

describe('Nova notifications: in-process bus, the Identity stub, Nova over HTTP', () => {
  let nova: FakeNova;
  let identity: RunningIdentity;
  let ctx: INestApplicationContext;
  let ports: PortChangeEvents;

  beforeEach(async () => {
    nova = new FakeNova(await freePort());
    identity = await startIdentity({ config: { nova: { url: nova.origin, send_events_interval: INTERVAL_S } } });
    ctx = await notifierContext(identity.config);
    ports = new PortChangeEvents(ctx.get(ResourceEvents));
  });

  afterEach(async () => {
    await ctx?.close();
    await nova?.stop();
    await identity?.close();
  });

  it('delivers batches to os-server-external-events with a token Keystone issued to the nova service user', async () => {
    await nova.start();
    const t0 = Date.now();
    ports.publish(plugged('p1'));
    ports.publish({ ...plugged('p2'), status_after: 'ERROR' });
    ports.publish({ ...plugged('dhcp'), device_owner: 'network:dhcp' });
    const [first] = await nova.waitForRequests(1);
    ports.publish({ ...plugged('p1'), status_before: 'ACTIVE', status_after: 'DOWN' });
    ports.publish({ ...plugged('p2'), status_before: 'ERROR', status_after: 'ERROR', data_changed: true });
    ports.publish({ ...plugged('p2'), deleted: true });
    const [, second] = await nova.waitForRequests(2);

    expect(first.method).toBe('POST');
    expect(first.url).toBe('/v2.1/os-server-external-events');
    expect(first.events).toEqual([
      { name: 'network-vif-plugged', server_uuid: SERVER, tag: 'p1', status: 'completed' },
      { name: 'network-vif-plugged', server_uuid: SERVER, tag: 'p2', status: 'failed' },
    ]);
    expect(second.events).toEqual([
      { name: 'network-vif-unplugged', server_uuid: SERVER, tag: 'p1', status: 'completed' },
      { name: 'network-changed', server_uuid: SERVER, tag: 'p2' },
      { name: 'network-vif-deleted', server_uuid: SERVER, tag: 'p2' },
    ]);
    // The second burst waited for the batch interval that the first batch opened when it was enqueued.
    expect(second.at - t0).toBeGreaterThanOrEqual(INTERVAL_S * 1000 - 5);

    const token = first.headers['x-auth-token'] as string;
    expect(second.headers['x-auth-token']).toBe(token);
    const caller = await identity.services.tokens.validate(token);
    expect(caller).toMatchObject({ user_name: 'nova', project_name: 'service', is_admin: true });
    expect(caller?.roles).toContain('admin');
  });

  it('retries a batch Nova answered with a 5xx, and delivers it once', async () => {
    await nova.start();
    nova.answers = [{ status: 503, body: { message: 'Service Unavailable' } }];
    ports.publish(plugged('p1'));
    const [failed, delivered] = await nova.waitForRequests(2);
    expect(delivered.events).toEqual(failed.events);
    expect(delivered.events).toEqual([{ name: 'network-vif-plugged', server_uuid: SERVER, tag: 'p1', status: 'completed' }]);
    // The next retry, had the 200 not ended the job, would come 2 s after the first.
    await sleep(2_500);
    expect(nova.requests).toHaveLength(2);
  });

  it('does not retry what Nova answered 404 (no such servers) or 207 with per-event 404s', async () => {
    await nova.start();
    nova.answers = [
      { status: 404, body: { itemNotFound: { code: 404, message: 'No instances found for any event' } } },
      {
        status: 207,
        body: {
          events: [
            { name: 'network-vif-plugged', server_uuid: SERVER, tag: 'p2', status: 'completed', code: 200 },
            { name: 'network-vif-plugged', server_uuid: SERVER, tag: 'p3', status: 'failed', code: 404 },
          ],
        },
      },
    ];
    ports.publish(plugged('p1'));
    await nova.waitForRequests(1);
    ports.publish(plugged('p2'));
    ports.publish({ ...plugged('p3'), device_id: '2b5c6a33-8e6f-4f7c-9a49-3f4b1c2d7e10' });
    await nova.waitForRequests(2);
    // A retry would come 1 s after a failure.
    await sleep(1_500);
    expect(nova.requests.map((r) => r.events.map((e) => e.tag))).toEqual([['p1'], ['p2', 'p3']]);
  });

  it('re-authenticates at once when Nova answers 401, then delivers with the new token', async () => {
    await nova.start();
    nova.answers = [{ status: 401, body: { error: { code: 401, message: 'Unauthorized' } } }];
    ports.publish(plugged('p1'));
    const [refused, delivered] = await nova.waitForRequests(2);
    expect(delivered.at - refused.at).toBeLessThan(900);
    expect(delivered.headers['x-auth-token']).not.toBe(refused.headers['x-auth-token']);
    expect(await identity.services.tokens.validate(delivered.headers['x-auth-token'] as string)).toMatchObject({
      user_name: 'nova',
    });
    expect(delivered.events.map((e) => e.tag)).toEqual(['p1']);
  });

  it('with Nova down, publishing returns at once and the event arrives once Nova is up', async () => {
    const started = performance.now();
    ports.publish(plugged('p1'));
    ports.publish(plugged('p2'));
    expect(performance.now() - started).toBeLessThan(20);
    await sleep(300);
    expect(nova.requests).toHaveLength(0);
    await nova.start();
    const [delivered] = await nova.waitForRequests(1, 8_000);
    expect(delivered.events.map((e) => e.tag)).toEqual(['p1', 'p2']);
    await sleep(300);
    expect(nova.requests).toHaveLength(1);
  });

  it('shutting down does not wait for a Nova that never answers', async () => {
    await nova.start();
    nova.answers = [{ hang: true }];
    ports.publish(plugged('p1'));
    await nova.waitForRequests(1);
    const started = Date.now();
    await ctx.close();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
