/**
 * The L3 agent with the simulated driver against a stand-in for the server on the real in-process bus: what it
 * reports, what it asks (sync_routers: all at start, only the named routers on a notice), what it builds (the
 * simulated namespaces) and the floating IP statuses it reports back.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Bus, BusHandler } from '../../bus/bus.contract.js';
import { createBus } from '../../bus/index.js';
import {
  l3AgentTopic,
  type L3FloatingIpStatusesRequest,
  type L3RouterInfo,
  type L3SyncRoutersRequest,
} from '../../rpc/l3-agent.contract.js';
import { StandInServer } from '../common/testing/stand-in-server.js';
import type { RouterOp } from './core/router-diff.js';
import { SimulatedL3Driver } from './drivers/simulated-l3-driver.js';
import { L3Agent } from './l3-agent.js';
import { makeRouter } from './testing/routers.js';

const silent = pino({ level: 'silent' });
const HOST = 'node1';

/** Plays neutron-server's l3_rpc: routers scheduled to hosts; statuses reported are kept as the server would. */
class L3Server extends StandInServer {
  readonly routers = new Map<string, { host: string; info: L3RouterInfo }>();

  protected pluginMethods(): Record<string, BusHandler> {
    return {
      sync_routers: (p) =>
        this.answer('sync_routers', p, () => {
          const { host, router_ids } = p as L3SyncRoutersRequest;
          const wanted = router_ids ? new Set(router_ids) : null;
          return [...this.routers.values()].filter((r) => r.host === host && (!wanted || wanted.has(r.info.id))).map((r) => structuredClone(r.info));
        }),
      update_floatingip_statuses: (p) =>
        this.answer('update_floatingip_statuses', p, () => {
          const { router_id, fip_statuses } = p as L3FloatingIpStatusesRequest;
          for (const fip of this.routers.get(router_id)?.info._floatingips ?? []) if (fip_statuses[fip.id]) fip.status = fip_statuses[fip.id];
        }),
    };
  }

  async update(info: L3RouterInfo, host = HOST): Promise<void> {
    this.routers.set(info.id, { host, info });
    await this.bus.cast(l3AgentTopic(host), 'routers_updated', { routers: [info.id] });
  }

  statusReports(): L3FloatingIpStatusesRequest[] {
    return this.calls.filter((c) => c.method === 'update_floatingip_statuses').map((c) => c.payload as L3FloatingIpStatusesRequest);
  }

  syncRequests(): L3SyncRoutersRequest[] {
    return this.calls.filter((c) => c.method === 'sync_routers').map((c) => c.payload as L3SyncRoutersRequest);
  }
}

let bus: Bus;
let server: L3Server;
let agent: L3Agent;
let driver: SimulatedL3Driver;
let applied: string[];

function natRules(routerId: string): string[] {
  return driver.namespace(routerId)?.iptables.rules('nat') ?? [];
}

async function startSynced(): Promise<void> {
  await agent.start();
  await vi.waitFor(() => expect(server.count('sync_routers')).toBeGreaterThan(0));
  await agent.idle();
}

/** Waits until `done` holds (a cast is delivered, then its pass runs), then for the agent's lane to empty. */
async function settle(done: () => void): Promise<void> {
  await vi.waitFor(done);
  await agent.idle();
}

beforeEach(async () => {
  bus = createBus({ bus: { transport: 'in-process', redis_url: 'redis://127.0.0.1:6379', redis_prefix: 'neutron', rpc_timeout_ms: 1000 } }, silent);
  server = new L3Server(bus);
  await server.listen();
  driver = new SimulatedL3Driver();
  applied = [];
  const apply = driver.apply.bind(driver);
  driver.apply = (routerId: string, ops: readonly RouterOp[]) => {
    applied.push(routerId);
    return apply(routerId, ops);
  };
  agent = new L3Agent({ host: HOST, bus, driver, reportIntervalSeconds: 0.05, availabilityZone: 'nova', retryMs: 20, log: silent });
});

afterEach(async () => {
  await agent.stop();
  await bus.close();
});

describe('L3Agent', () => {
  it('reports itself as neutron-l3-agent in legacy mode, with what it built', async () => {
    const r1 = makeRouter({ n: 1, interfaces: 2, fips: 3 });
    server.routers.set(r1.id, { host: HOST, info: r1 });
    await startSynced();
    await vi.waitFor(() => expect(server.reports.at(-1)?.configurations.routers).toBe(1));
    const report = server.reports.at(-1)!;
    expect(report).toMatchObject({ agent_type: 'L3 agent', binary: 'neutron-l3-agent', topic: 'l3_agent', host: HOST, availability_zone: 'nova' });
    expect(report.configurations).toMatchObject({
      agent_mode: 'legacy',
      routers: 1,
      ex_gw_ports: 1,
      interfaces: 2,
      floating_ips: 3,
      interface_driver: 'linuxbridge',
      handle_internal_only_routers: true,
      l3_driver: 'simulated',
    });
    expect(server.reports[0].start_flag).toBe(true);
  });

  it('builds the routers scheduled to its host at start and reports their floating IPs ACTIVE', async () => {
    const mine = makeRouter({ n: 1, fips: 2 });
    const other = makeRouter({ n: 2, fips: 1 });
    server.routers.set(mine.id, { host: HOST, info: mine });
    server.routers.set(other.id, { host: 'node2', info: other });
    await startSynced();
    expect(server.syncRequests()[0]).toEqual({ host: HOST });
    expect(driver.routers()).toEqual([mine.id]);
    const ns = driver.namespace(mine.id)!;
    expect(ns.name).toBe(`qrouter-${mine.id}`);
    expect(ns.forwarding).toBe(true);
    expect(natRules(mine.id)).toContain(`-A neutron-l3-agent-PREROUTING -d ${mine._floatingips[0].floating_ip_address}/32 -j DNAT --to-destination 10.0.1.10`);
    expect(ns.garps).toContain(mine._floatingips[1].floating_ip_address);
    expect(server.statusReports()).toEqual([
      { router_id: mine.id, fip_statuses: { [mine._floatingips[0].id]: 'ACTIVE', [mine._floatingips[1].id]: 'ACTIVE' } },
    ]);
  });

  it('refetches and changes only the router a notice names', async () => {
    const r1 = makeRouter({ n: 1, fips: 1 });
    const r2 = makeRouter({ n: 2, fips: 1 });
    server.routers.set(r1.id, { host: HOST, info: r1 });
    server.routers.set(r2.id, { host: HOST, info: r2 });
    await startSynced();
    const r2Namespace = driver.namespace(r2.id);
    applied = [];
    await server.update(makeRouter({ n: 1, fips: 2 }));
    await settle(() => expect(server.syncRequests()).toHaveLength(2));
    expect(server.syncRequests().at(-1)).toEqual({ host: HOST, router_ids: [r1.id] });
    expect(applied).toEqual([r1.id]);
    expect(driver.namespace(r2.id)).toBe(r2Namespace);
    expect(natRules(r1.id).filter((r) => r.includes('float-snat -s'))).toHaveLength(2);
  });

  it('reports a dissociated floating IP DOWN and stops serving it at once', async () => {
    const before = makeRouter({ n: 3, fips: 2 });
    server.routers.set(before.id, { host: HOST, info: before });
    await startSynced();
    const gone = before._floatingips[1];
    // the server's router as it is now (its first floating IP already ACTIVE), the second one dissociated
    const after = structuredClone(server.routers.get(before.id)!.info);
    after._floatingips.pop();
    await server.update(after);
    await settle(() => expect(server.statusReports()).toHaveLength(2));
    expect(server.statusReports().at(-1)).toEqual({ router_id: before.id, fip_statuses: { [gone.id]: 'DOWN' } });
    expect(natRules(before.id).join('\n')).not.toContain(gone.floating_ip_address);
    const qg = [...driver.namespace(before.id)!.devices.values()].find((d) => d.device.kind === 'gateway')!;
    expect(qg.addresses.has(`${gone.floating_ip_address}/32`)).toBe(false);
  });

  it('removes a router that is deleted, unscheduled, or no longer in the answer', async () => {
    const [a, b, c] = [1, 2, 3].map((n) => makeRouter({ n }));
    for (const r of [a, b, c]) server.routers.set(r.id, { host: HOST, info: r });
    await startSynced();
    server.routers.delete(a.id);
    await bus.cast(l3AgentTopic(HOST), 'router_deleted', { router_id: a.id });
    server.routers.set(b.id, { host: 'node2', info: b });
    await bus.cast(l3AgentTopic(HOST), 'router_removed_from_agent', { router_id: b.id });
    server.routers.delete(c.id);
    await bus.cast(l3AgentTopic(HOST), 'routers_updated', { routers: [c.id] });
    await settle(() => expect(driver.routers()).toEqual([]));
    expect(driver.routers()).toEqual([]);
    expect(agent.routers()).toEqual([]);
  });

  it('builds a router added to it', async () => {
    await startSynced();
    const r = makeRouter({ n: 4 });
    server.routers.set(r.id, { host: HOST, info: r });
    await bus.cast(l3AgentTopic(HOST), 'router_added_to_agent', { routers: [r.id] });
    await settle(() => expect(driver.routers()).toEqual([r.id]));
    expect(driver.routers()).toEqual([r.id]);
  });

  it('resyncs everything when the server had it down, without re-reporting statuses the server has', async () => {
    const kept = makeRouter({ n: 1, fips: 1 });
    const dropped = makeRouter({ n: 2 });
    server.routers.set(kept.id, { host: HOST, info: kept });
    server.routers.set(dropped.id, { host: HOST, info: dropped });
    await startSynced();
    const reported = server.statusReports().length;
    server.routers.delete(dropped.id);
    server.reportAnswer = 'revived';
    await vi.waitFor(() => expect(server.syncRequests().filter((r) => !r.router_ids)).toHaveLength(2));
    server.reportAnswer = 'alive';
    await settle(() => expect(driver.routers()).toEqual([kept.id]));
    expect(driver.routers()).toEqual([kept.id]);
    expect(server.statusReports()).toHaveLength(reported);
  });

  it('retries a pass the server failed, then builds the router', async () => {
    await startSynced();
    server.failing = true;
    const r = makeRouter({ n: 5, fips: 1 });
    await server.update(r);
    await vi.waitFor(() => expect(server.count('sync_routers')).toBeGreaterThan(2));
    server.failing = false;
    await vi.waitFor(() => expect(driver.routers()).toEqual([r.id]));
    await vi.waitFor(() => expect(server.statusReports().at(-1)?.router_id).toBe(r.id));
  });

  it('rebuilds from nothing a router whose apply failed', async () => {
    const r = makeRouter({ n: 6, fips: 1 });
    server.routers.set(r.id, { host: HOST, info: r });
    await startSynced();
    const apply = driver.apply;
    let failures = 1;
    driver.apply = async (routerId, ops) => {
      if (failures-- > 0) {
        await apply(routerId, ops.slice(0, 1));
        throw new Error('device busy');
      }
      return apply(routerId, ops);
    };
    await server.update(makeRouter({ n: 6, fips: 3 }));
    await vi.waitFor(() => expect(natRules(r.id).filter((rule) => rule.includes('float-snat -s'))).toHaveLength(3));
    await agent.idle();
    expect(agent.routers()).toEqual([r.id]);
    // in ERROR while it failed, ACTIVE once rebuilt
    const reports = server.statusReports().slice(1);
    expect(Object.values(reports[0].fip_statuses)).toEqual(['ERROR', 'ERROR', 'ERROR']);
    expect(Object.values(reports.at(-1)!.fip_statuses)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
  });

  it('does not build a router that is administratively down, and removes one set down', async () => {
    const r = makeRouter({ n: 7 });
    server.routers.set(r.id, { host: HOST, info: r });
    await startSynced();
    await server.update({ ...r, admin_state_up: false });
    await settle(() => expect(server.syncRequests()).toHaveLength(2));
    expect(driver.routers()).toEqual([]);
  });
});
