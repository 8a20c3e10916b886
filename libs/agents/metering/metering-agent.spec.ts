/**
 * The metering agent with the simulated driver against a stand-in for the server on the real in-process bus: what
 * it reports (report_state), what it asks (get_metering_labels and get_metering_routers: every page at start, the
 * named labels or routers on a notice), which counters it keeps, and the l3.meter notifications its measures add up to.
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
  type MeteringLabelInfo,
  type MeteringLabelsRequest,
  type MeteringRouterInfo,
  type MeteringRoutersRequest,
} from '../../rpc/metering-agent.contract.js';
import { StandInServer } from '../common/testing/stand-in-server.js';
import { SimulatedMeteringDriver } from './drivers/simulated-metering-driver.js';
import { MeteringAgent } from './metering-agent.js';
import { meterLabel, meterLabelId, meterRouter, meterRouterId } from './testing/metered-routers.js';

const silent = pino({ level: 'silent' });
const HOST = 'node1';

/** keyset pages of `items` (sorted by id) as metering_rpc gives them */
function page<T extends { id: string }>(items: T[], req: { after?: string; limit?: number }, ids?: string[]): { items: T[]; next: string | null } {
  if (ids) return { items: items.filter((i) => ids.includes(i.id)), next: null };
  const after = items.filter((i) => req.after === undefined || i.id > req.after).sort((a, b) => (a.id < b.id ? -1 : 1));
  const size = req.limit ?? 500;
  return after.length > size ? { items: after.slice(0, size), next: after[size - 1].id } : { items: after, next: null };
}

/** Plays metering_rpc: every label, the routers of each host; keeps the l3.meter notifications it receives. */
class MeteringServer extends StandInServer {
  readonly labels = new Map<string, MeteringLabelInfo>();
  readonly routers = new Map<string, { host: string; info: MeteringRouterInfo }>();
  readonly meters: L3MeterNotification[] = [];

  protected pluginMethods(): Record<string, BusHandler> {
    return {
      get_metering_labels: (p) =>
        this.answer('get_metering_labels', p, () => {
          const req = p as MeteringLabelsRequest;
          const { items, next } = page([...this.labels.values()], req, req.label_ids);
          return { labels: items.map((l) => structuredClone(l)), next };
        }),
      get_metering_routers: (p) =>
        this.answer('get_metering_routers', p, () => {
          const req = p as MeteringRoutersRequest;
          const mine = [...this.routers.values()].filter((r) => r.host === req.host && (!req.project_ids || req.project_ids.includes(r.info.project_id))).map((r) => r.info);
          const { items, next } = page(mine, req, req.router_ids);
          return { routers: items.map((r) => structuredClone(r)), next };
        }),
    };
  }

  override async listen(): Promise<void> {
    await super.listen();
    await this.bus.subscribe(METERING_NOTIFICATIONS_TOPIC, { [L3_METER_EVENT]: (n) => void this.meters.push(n as L3MeterNotification) });
  }

  /** A label created or changed (null: deleted), and the fanout notice naming it. */
  async label(method: string, id: string, info: MeteringLabelInfo | null): Promise<void> {
    if (info) this.labels.set(id, info);
    else this.labels.delete(id);
    await this.bus.fanout(METERING_AGENT_TOPIC, method, { label_ids: [id] });
  }

  async router(info: MeteringRouterInfo, host = HOST): Promise<void> {
    this.routers.set(info.id, { host, info });
    await this.bus.cast(meteringAgentTopic(host), 'routers_updated', { router_ids: [info.id] });
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
  await vi.waitFor(() => expect(server.count('get_metering_routers')).toBeGreaterThan(0));
  await agent.idle();
}

async function settle(done: () => void): Promise<void> {
  await vi.waitFor(done);
  await agent.idle();
}

/** The payloads the server received, by label (and router). */
const payloads = () => server.meters.map((m) => m.payload);
const syncs = (method = 'get_metering_routers') => server.calls.filter((c) => c.method === method).map((c) => c.payload);
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
    driver = new SimulatedMeteringDriver({ recordTransactions: true });
    server.labels.set(A, egress);
    server.labels.set(B, shared);
    server.routers.set(R1, { host: HOST, info: meterRouter(R1, { project_id: 'project-1' }) });
    server.routers.set(R2, { host: HOST, info: meterRouter(R2, { project_id: 'p2' }) });
    server.routers.set(meterRouterId(3), { host: 'elsewhere', info: meterRouter(meterRouterId(3)) });
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
    expect(syncs('get_metering_labels')[0]).toEqual({ host: HOST, limit: 500 });
    expect(syncs()[0]).toEqual({ host: HOST, limit: 500 });
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
    await server.label('add_metering_label_rule', A, changed);
    await settle(() => expect(server.count('get_metering_labels')).toBe(2));
    expect(syncs('get_metering_labels')[1]).toEqual({ host: HOST, label_ids: [A] });
    // the routers of A's project asked again (as Neutron's notice carries them); only R1 changed
    expect(syncs().at(-1)).toEqual({ host: HOST, project_ids: ['project-1'], limit: 500 });
    expect(driver.applied.get(R1)?.at(-1)).toContain('flush chain inet neutron-meter neutron-meter-r-');
    expect(driver.applied.get(R1)?.at(-1)).not.toContain('add counter');
    expect(driver.applied.get(R2)).toHaveLength(1);
    driver.count(R1, A, 1, 128);
    // label A deleted: its counts are read before its counter goes
    await server.label('remove_metering_label', A, null);
    await settle(() => expect(server.count('get_metering_labels')).toBe(3));
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

  it('meters a router a notice names, and a new label on the routers it applies to only', async () => {
    await startSynced();
    const R4 = meterRouterId(4);
    await server.router(meterRouter(R4, { project_id: 'p2' }));
    await settle(() => expect(driver.table(R4)?.labels.map((l) => l.id)).toEqual([B]));
    expect(syncs().at(-1)).toEqual({ host: HOST, router_ids: [R4] });
    // R2 and R4 (p2) share one list of labels
    expect(driver.table(R4)?.labels).toBe(driver.table(R2)?.labels);
    // R5 scheduled here with no notice (the L3 scheduler binds after the router's create): a label of its project brings it
    const R5 = meterRouterId(5);
    server.routers.set(R5, { host: HOST, info: meterRouter(R5, { project_id: 'p2' }) });
    const C = meterLabelId(3);
    await server.label('add_metering_label', C, meterLabel(C, [], { project_id: 'p2' }));
    await settle(() => expect(driver.table(R4)?.labels.map((l) => l.id)).toEqual([B, C]));
    expect(driver.table(R2)?.labels.map((l) => l.id)).toEqual([B, C]);
    expect(driver.table(R5)?.labels.map((l) => l.id)).toEqual([B, C]);
    expect(driver.table(R1)?.labels.map((l) => l.id)).toEqual([A, B]);
    expect(driver.applied.get(R1)).toHaveLength(1);
    expect(agent.configurations()).toMatchObject({ routers: 4, metering_labels: 3 });
  });

  it('syncs 1,200 labels by keyset pages and keeps each once, whatever the number of routers', async () => {
    const many = Array.from({ length: 1200 }, (_, i) => meterLabel(meterLabelId(100 + i), [{ direction: 'egress', remote_ip_prefix: '0.0.0.0/0' }], { project_id: 'p2' }));
    for (const l of many) server.labels.set(l.id, l);
    for (let i = 10; i < 60; i++) server.routers.set(meterRouterId(i), { host: HOST, info: meterRouter(meterRouterId(i), { project_id: 'p2' }) });
    await startSynced();
    // A and B first, then 100, 101, …: the pages end at 597 and 1,097
    expect(syncs('get_metering_labels').map((p) => (p as { after?: string }).after)).toEqual([undefined, meterLabelId(597), meterLabelId(1097)]);
    expect(agent.configurations()).toMatchObject({ routers: 52, metering_labels: 1202 });
    const tables = Array.from({ length: 50 }, (_, i) => driver.table(meterRouterId(10 + i))!);
    expect(tables[0].labels).toHaveLength(1201);
    for (const t of tables) expect(t.labels).toBe(tables[0].labels);
    driver.count(meterRouterId(10), meterLabelId(100), 1, 10);
    driver.count(meterRouterId(11), meterLabelId(100), 2, 20);
    await agent.measureTick();
    await meters(1202);
    expect(payloads().find((p) => p.label_id === meterLabelId(100))).toMatchObject({ pkts: 3, bytes: 30 });
  });
});
