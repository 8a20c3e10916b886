/**
 * The metering agent with the simulated driver against a stand-in for the server on the real in-process bus: what
 * it reports (report_state), what it asks (get_sync_data_metering: all at start, the named routers on a notice),
 * which counters it keeps, and the l3.meter notifications its measures add up to.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Bus, BusHandler } from '../../bus/bus.contract.js';
import { createBus } from '../../bus/index.js';
import {
  L3_METER_EVENT,
  type L3MeterNotification,
  METERING_AGENT_TOPIC,
  METERING_NOTIFICATIONS_TOPIC,
  meteringAgentTopic,
  type MeteringRouterInfo,
  type MeteringSyncRequest,
} from '../../rpc/metering-agent.contract.js';
import { StandInServer } from '../common/testing/stand-in-server.js';
import { SimulatedMeteringDriver } from './drivers/simulated-metering-driver.js';
import { MeteringAgent } from './metering-agent.js';
import { meteredRouter, meterLabel, meterLabelId, meterRouterId } from './testing/metered-routers.js';

const silent = pino({ level: 'silent' });
const HOST = 'node1';

/** Plays metering_rpc: the routers of each host with their labels; keeps the l3.meter notifications it receives. */
class MeteringServer extends StandInServer {
  readonly routers = new Map<string, { host: string; info: MeteringRouterInfo }>();
  readonly meters: L3MeterNotification[] = [];

  protected pluginMethods(): Record<string, BusHandler> {
    return {
      get_sync_data_metering: (p) =>
        this.answer('get_sync_data_metering', p, () => {
          const { host, router_ids } = p as MeteringSyncRequest;
          const wanted = router_ids ? new Set(router_ids) : null;
          return [...this.routers.values()]
            .filter((r) => r.host === host && (!wanted || wanted.has(r.info.id)) && r.info._metering_labels.length)
            .map((r) => structuredClone(r.info));
        }),
    };
  }

  override async listen(): Promise<void> {
    await super.listen();
    await this.bus.subscribe(METERING_NOTIFICATIONS_TOPIC, { [L3_METER_EVENT]: (n) => void this.meters.push(n as L3MeterNotification) });
  }

  async update(method: string, info: MeteringRouterInfo, host = HOST): Promise<void> {
    this.routers.set(info.id, { host, info });
    await this.bus.cast(meteringAgentTopic(host), method, { routers: [info] });
  }
}

let bus: Bus;
let server: MeteringServer;
let driver: SimulatedMeteringDriver;
let agent: MeteringAgent;
let now: number;

const A = meterLabelId(1);
const B = meterLabelId(2);
const R1 = meterRouterId(1);
const R2 = meterRouterId(2);
const egress = meterLabel(A, [{ direction: 'egress', remote_ip_prefix: '0.0.0.0/0' }]);
const shared = meterLabel(B, [{ direction: 'ingress', remote_ip_prefix: '0.0.0.0/0' }], { shared: true, project_id: 'admin' });

function newAgent(granular = false): MeteringAgent {
  return new MeteringAgent({
    host: HOST,
    bus,
    driver,
    reportIntervalSeconds: 3600,
    measureIntervalSeconds: 3600,
    meterReportIntervalSeconds: 300,
    granular,
    retryMs: 10,
    log: silent,
    clock: () => now,
  });
}

async function startSynced(): Promise<void> {
  await agent.start();
  await vi.waitFor(() => expect(server.count('get_sync_data_metering')).toBeGreaterThan(0));
  await agent.idle();
}

async function settle(done: () => void): Promise<void> {
  await vi.waitFor(done);
  await agent.idle();
}

/** The payloads the server received, by label (and router). */
const payloads = () => server.meters.map((m) => m.payload);
const syncs = () => server.calls.filter((c) => c.method === 'get_sync_data_metering').map((c) => c.payload);
/** Casts arrive after the measure returned: waits for `n` notifications (and a moment more, so none is missed). */
async function meters(n: number): Promise<void> {
  await vi.waitFor(() => expect(server.meters.length).toBeGreaterThanOrEqual(n));
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(server.meters).toHaveLength(n);
}

describe('MeteringAgent (simulated driver)', () => {
  beforeEach(async () => {
    now = 1_000_000;
    bus = createBus({ bus: { transport: 'in-process', redis_url: 'redis://127.0.0.1:6379', redis_prefix: 'neutron', rpc_timeout_ms: 1000 } }, silent);
    server = new MeteringServer(bus);
    await server.listen();
    driver = new SimulatedMeteringDriver();
    server.routers.set(R1, { host: HOST, info: meteredRouter(R1, [egress, shared], { project_id: 'p1' }) });
    server.routers.set(R2, { host: HOST, info: meteredRouter(R2, [shared], { project_id: 'p2' }) });
    server.routers.set(meterRouterId(3), { host: 'elsewhere', info: meteredRouter(meterRouterId(3), [shared]) });
    agent = newAgent();
  });

  afterEach(async () => {
    await agent.stop();
    await bus.close();
  });

  it('reports itself as neutron-metering-agent with its driver and intervals', async () => {
    await startSynced();
    await vi.waitFor(() => expect(server.reports.length).toBeGreaterThan(0));
    expect(server.reports[0]).toMatchObject({
      agent_type: 'Metering agent',
      binary: 'neutron-metering-agent',
      topic: 'metering_agent',
      host: HOST,
      start_flag: true,
      configurations: { metering_driver: 'simulated', measure_interval: 3600, report_interval: 300, granular_traffic_data: false },
    });
    expect(agent.configurations()).toMatchObject({ routers: 2, metering_labels: 2 });
  });

  it('keeps a counter per label on each router of its host: a shared label on both projects\' routers', async () => {
    await startSynced();
    expect(syncs()[0]).toEqual({ host: HOST });
    expect(driver.table(R1)?.labels.map((l) => l.id)).toEqual([A, B]);
    expect(driver.table(R2)?.labels.map((l) => l.id)).toEqual([B]);
    expect(driver.table(meterRouterId(3))).toBeUndefined();
  });

  it('reports each label\'s counts as l3.meter: the first measure at once, then every report_interval, zeroed', async () => {
    await startSynced();
    driver.count(R1, A, 5, 640);
    driver.count(R1, B, 2, 200);
    driver.count(R2, B, 3, 300);
    await agent.measureTick();
    await meters(2);
    expect(server.meters[0]).toMatchObject({ event_type: 'l3.meter', publisher_id: `metering.${HOST}`, priority: 'INFO' });
    expect(payloads()).toEqual([
      { label_id: A, project_id: 'project-1', pkts: 5, bytes: 640, time: 0, first_update: now, last_update: now, host: HOST },
      { label_id: B, project_id: 'admin', pkts: 5, bytes: 500, time: 0, first_update: now, last_update: now, host: HOST },
    ]);
    server.meters.length = 0;
    now += 30;
    driver.count(R1, A, 1, 100);
    await agent.measureTick();
    await meters(0);
    now += 300;
    await agent.measureTick();
    await meters(2);
    expect(payloads().map((p) => [p.label_id, p.pkts, p.bytes, p.time])).toEqual([
      [A, 1, 100, 330],
      [B, 0, 0, 330],
    ]);
  });

  it('reports per label and router in granular mode', async () => {
    agent = newAgent(true);
    await startSynced();
    driver.count(R1, B, 2, 200);
    driver.count(R2, B, 3, 300);
    await agent.measureTick();
    await meters(3);
    expect(payloads().filter((p) => p.label_id === B).map((p) => [p.router_id, p.pkts])).toEqual([
      [R1, 2],
      [R2, 3],
    ]);
  });

  it('refetches only the routers a notice names; keeps counts across a rules change; reads a label before it goes', async () => {
    await startSynced();
    driver.count(R1, A, 5, 640);
    // a rule added to A: the counter stays, with what it counted
    const changed = meterLabel(A, [{ direction: 'egress', remote_ip_prefix: '0.0.0.0/0' }, { direction: 'egress', remote_ip_prefix: '10.0.0.0/8', excluded: true }]);
    await server.update('add_metering_label_rule', meteredRouter(R1, [changed, shared], { project_id: 'p1' }));
    await settle(() => expect(server.count('get_sync_data_metering')).toBe(2));
    expect(syncs()[1]).toEqual({ host: HOST, router_ids: [R1] });
    expect(driver.applied.get(R1)?.at(-1)).toContain('flush chain inet neutron-meter neutron-meter-r-');
    expect(driver.applied.get(R1)?.at(-1)).not.toContain('add counter');
    driver.count(R1, A, 1, 128);
    // label A deleted: its counts are read before its counter goes
    await server.update('remove_metering_label', meteredRouter(R1, [shared], { project_id: 'p1' }));
    await settle(() => expect(server.count('get_sync_data_metering')).toBe(3));
    expect(driver.table(R1)?.labels.map((l) => l.id)).toEqual([B]);
    await agent.measureTick();
    await meters(2);
    expect(payloads().find((p) => p.label_id === A)).toMatchObject({ pkts: 6, bytes: 768 });
  });

  it('drops a deleted router (fanout) after reading it; waits for a router whose namespace is not built yet', async () => {
    driver.missing.add(R2);
    await startSynced();
    expect(driver.table(R2)).toBeUndefined();
    expect(agent.configurations().routers).toBe(1);
    driver.missing.delete(R2);
    await agent.measureTick();
    expect(driver.table(R2)?.labels.map((l) => l.id)).toEqual([B]);
    driver.count(R2, B, 4, 400);
    server.routers.delete(R2);
    await bus.fanout(METERING_AGENT_TOPIC, 'router_deleted', { router_id: R2 });
    await settle(() => expect(driver.table(R2)).toBeUndefined());
    server.meters.length = 0;
    now += 300;
    await agent.measureTick();
    await vi.waitFor(() => expect(payloads().find((p) => p.label_id === B)).toMatchObject({ pkts: 4, bytes: 400 }));
  });

  it('builds anew a router whose counters vanished (the L3 agent rebuilt its namespace)', async () => {
    await startSynced();
    driver.forget(R1);
    await agent.measureTick();
    expect(agent.routers().has(R1)).toBe(false);
    await agent.measureTick();
    expect(driver.table(R1)?.labels.map((l) => l.id)).toEqual([A, B]);
    expect(driver.applied.get(R1)?.at(-1)).toMatch(/^add table inet neutron-meter\ndelete table inet neutron-meter\n/);
  });
});
