/**
 * The metering agent with its linux driver against the real kernel (root; skipped loudly otherwise). Two routers
 * built by the linux L3 driver, as the L3 agent builds them: r1 (project p1, guest g1 in 10.0.1.0/24) and r2
 * (project p2, guest g2 in 10.0.2.0/24), both with a gateway on 172.24.0.0/16 where an external host x (172.24.0.1)
 * lives. `ping -c N -s 100` from a guest to x: each echo request is an IP packet of 128 bytes (20 + 8 + 100), and
 * so is each reply. The agent (granular mode, counts per label and router) talks to a stand-in server on the
 * in-process bus; its measures are run by the test, and each one reports what was counted since the last.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusHandler } from '../../../bus/bus.contract.js';
import { createBus } from '../../../bus/index.js';
import { addBridge, deleteNamespace, ensureNamespace, execInNamespace, ip, nftJson, setLink } from '../../../dataplane/index.js';
import { skipUnlessDataplane, testNamespaceName } from '../../../dataplane/testing/dataplane-availability.js';
import { plugNovaGuest } from '../../../dataplane/testing/nova-guest.js';
import { tapDevice } from '../../../rpc/l2-agent.contract.js';
import type { L3RouterInfo } from '../../../rpc/l3-agent.contract.js';
import {
  L3_METER_EVENT,
  type L3MeterNotification,
  type L3MeterPayload,
  METERING_AGENT_TOPIC,
  type MeteringLabelInfo,
  type MeteringLabelsRequest,
  type MeteringRouterInfo,
  type MeteringRoutersRequest,
} from '../../../rpc/metering-agent.contract.js';
import { METERING_NOTIFICATIONS_TOPIC } from '../../../rpc/metering-agent.contract.js';
import { StandInServer } from '../../common/testing/stand-in-server.js';
import { diffRouter } from '../../l3/core/router-diff.js';
import { compileRouter } from '../../l3/core/router-state.js';
import { LinuxL3Driver } from '../../l3/drivers/linux-l3-driver.js';
import { renderMeteringTable } from '../core/nft-ruleset.js';
import { MeteringAgent } from '../metering-agent.js';
import { compiledRouter, meterLabel } from '../testing/metered-routers.js';
import { LinuxMeteringDriver } from './linux-metering-driver.js';

const unavailable = await skipUnlessDataplane('libs/agents/metering/drivers/linux-metering-driver.integration.spec.ts');
const silent = pino({ level: 'silent' });
const HOST = 'meter-host';
const EXT_IP = '172.24.0.1';

const host = testNamespaceName('mh');
const ext = testNamespaceName('mx');
const made: string[] = [host, ext];

interface Site {
  n: number;
  project: string;
  router: string;
  guest: string;
  intPort: string;
  gwPort: string;
}
const sites: Site[] = [1, 2].map((n) => ({
  n,
  project: `p${n}`,
  router: randomUUID(),
  guest: testNamespaceName(`mg${n}`),
  intPort: randomUUID(),
  gwPort: randomUUID(),
}));

function l3Router(s: Site): L3RouterInfo {
  const gwIp = `172.24.0.${10 + s.n}`;
  return {
    id: s.router,
    name: `r${s.n}`,
    admin_state_up: true,
    status: 'ACTIVE',
    project_id: s.project,
    enable_snat: true,
    routes: [],
    gw_port: {
      id: s.gwPort,
      network_id: 'ext',
      mac_address: `fa:16:3e:00:00:1${s.n}`,
      fixed_ips: [{ subnet_id: 'ext-sub', ip_address: gwIp }],
      subnets: [{ id: 'ext-sub', cidr: '172.24.0.0/16', gateway_ip: EXT_IP }],
    },
    external_gateway_info: { network_id: 'ext', enable_snat: true, external_fixed_ips: [{ subnet_id: 'ext-sub', ip_address: gwIp }] },
    _interfaces: [
      {
        id: s.intPort,
        network_id: `int${s.n}`,
        mac_address: `fa:16:3e:00:01:0${s.n}`,
        fixed_ips: [{ subnet_id: `int-sub${s.n}`, ip_address: `10.0.${s.n}.1` }],
        subnets: [{ id: `int-sub${s.n}`, cidr: `10.0.${s.n}.0/24`, gateway_ip: `10.0.${s.n}.1` }],
      },
    ],
    _floatingips: [],
    _pf_floatingips: [],
  };
}

// p1's labels: egress to x, ingress from x, egress to anything but the external network (x excluded), and a shared one
const EGRESS = randomUUID();
const INGRESS = randomUUID();
const EXCLUDED = randomUUID();
const SHARED = randomUUID();
const labels: Record<string, MeteringLabelInfo> = {
  [EGRESS]: meterLabel(EGRESS, [{ direction: 'egress', destination_ip_prefix: `${EXT_IP}/32` }], { project_id: 'p1' }),
  [INGRESS]: meterLabel(INGRESS, [{ direction: 'ingress', source_ip_prefix: `${EXT_IP}/32` }], { project_id: 'p1' }),
  [EXCLUDED]: meterLabel(
    EXCLUDED,
    [
      { direction: 'egress', destination_ip_prefix: '0.0.0.0/0' },
      { direction: 'egress', destination_ip_prefix: '172.24.0.0/16', excluded: true },
    ],
    { project_id: 'p1' },
  ),
  [SHARED]: meterLabel(SHARED, [{ direction: 'egress', remote_ip_prefix: '0.0.0.0/0' }], { shared: true, project_id: 'admin' }),
};

/** Plays the server: each router with the shared labels and its project's; keeps the l3.meter payloads. */
class Server extends StandInServer {
  readonly meters: L3MeterPayload[] = [];
  routers(): MeteringRouterInfo[] {
    return sites.map((s) => ({ id: s.router, project_id: s.project, gw_port_id: s.gwPort }));
  }
  protected pluginMethods(): Record<string, BusHandler> {
    return {
      get_metering_labels: (p) =>
        this.answer('get_metering_labels', p, () => {
          const ids = (p as MeteringLabelsRequest).label_ids;
          return { labels: Object.values(labels).filter((l) => !ids || ids.includes(l.id)), next: null };
        }),
      get_metering_routers: (p) =>
        this.answer('get_metering_routers', p, () => {
          const ids = (p as MeteringRoutersRequest).router_ids;
          return { routers: this.routers().filter((r) => !ids || ids.includes(r.id)), next: null };
        }),
    };
  }
  override async listen(): Promise<void> {
    await super.listen();
    await this.bus.subscribe(METERING_NOTIFICATIONS_TOPIC, { [L3_METER_EVENT]: (n) => void this.meters.push((n as L3MeterNotification).payload) });
  }
}

/** Waits (up to 5 s) until `done` holds: a notice is delivered, then its pass runs. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!done()) throw new Error('the agent did not apply the change');
}

async function ping(from: string, count: number): Promise<void> {
  await execInNamespace(from, 'ping', ['-c', String(count), '-s', '100', '-i', '0.2', '-W', '2', EXT_IP], { timeoutMs: 20_000 });
}

describe.skipIf(unavailable)('metering agent, linux driver (root)', () => {
  const l3 = new LinuxL3Driver({ hostNamespace: host });
  const bus = createBus({ bus: { transport: 'in-process', redis_url: 'redis://127.0.0.1:6379', redis_prefix: 'neutron', rpc_timeout_ms: 5000 } }, silent);
  const server = new Server(bus);
  let now = 1_000_000;
  const agent = new MeteringAgent({
    host: HOST,
    bus,
    driver: new LinuxMeteringDriver(),
    reportIntervalSeconds: 3600,
    measureIntervalSeconds: 3600,
    meterReportIntervalSeconds: 300,
    granular: true,
    log: silent,
    clock: () => now,
  });

  /** One measure and its report: what each label counted on each router since the last one. */
  async function measure(): Promise<Map<string, { pkts: number; bytes: number }>> {
    now += 300;
    server.meters.length = 0;
    await agent.idle();
    await agent.measureTick();
    await new Promise((resolve) => setTimeout(resolve, 50));
    return new Map(server.meters.map((m) => [`${m.router_id}/${m.label_id}`, { pkts: m.pkts, bytes: m.bytes }]));
  }
  const at = (counts: Map<string, { pkts: number; bytes: number }>, site: Site, label: string) => counts.get(`${site.router}/${label}`);

  beforeAll(async () => {
    await ensureNamespace(host);
    await addBridge(host, 'brext');
    await setLink(host, 'brext', { up: true });
    await plugNovaGuest(host, 'tapx', ext, `${EXT_IP}/16`);
    await setLink(host, 'tapx', { master: 'brext', up: true });
    await l3.start();
    for (const s of sites) {
      made.push(s.guest, `qrouter-${s.router}`);
      await addBridge(host, `brint${s.n}`);
      await setLink(host, `brint${s.n}`, { up: true });
      await plugNovaGuest(host, `tapg${s.n}`, s.guest, `10.0.${s.n}.10/24`);
      await setLink(host, `tapg${s.n}`, { master: `brint${s.n}`, up: true });
      await ip(s.guest, ['route', 'add', 'default', 'via', `10.0.${s.n}.1`]);
      await l3.apply(s.router, diffRouter(null, compileRouter(l3Router(s))));
      await setLink(host, tapDevice(s.intPort), { master: `brint${s.n}`, up: true });
      await setLink(host, tapDevice(s.gwPort), { master: 'brext', up: true });
      // warm-up: neighbours resolved before anything is counted
      await ping(s.guest, 1);
    }
    await server.listen();
    await agent.start();
    await agent.idle();
    await until(() => agent.routers().size === 2);
    await measure();
  });

  afterAll(async () => {
    await agent.stop();
    await bus.close();
    for (const ns of made.reverse()) await deleteNamespace(ns).catch((err: unknown) => console.error(`cleanup of ${ns} failed`, err));
  });

  it("keeps one nft table per router in the L3 agent's namespace, as the core renders it", async () => {
    const r1 = compiledRouter(server.routers()[0], Object.values(labels).filter((l) => l.shared || l.project_id === 'p1'));
    const { stdout } = await execInNamespace(`qrouter-${sites[0].router}`, '/usr/sbin/nft', ['list', 'table', 'inet', 'neutron-meter']);
    expect(stdout.replace(/packets \d+ bytes \d+/g, 'packets 0 bytes 0')).toBe(renderMeteringTable(r1));
    // the L3 agent's own rules are untouched
    const { stdout: nat } = await execInNamespace(`qrouter-${sites[0].router}`, 'iptables-save', ['-t', 'nat']);
    expect(nat).toContain(`-A neutron-l3-agent-snat -o qg-${sites[0].gwPort.slice(0, 11)} -j SNAT --to-source 172.24.0.11`);
  });

  it('counts 5 pings of 100 bytes exactly: 5 packets, 640 bytes each way; 0 where an excluded rule covers them', async () => {
    await ping(sites[0].guest, 5);
    const counts = await measure();
    expect(at(counts, sites[0], EGRESS)).toEqual({ pkts: 5, bytes: 640 });
    expect(at(counts, sites[0], INGRESS)).toEqual({ pkts: 5, bytes: 640 });
    expect(at(counts, sites[0], EXCLUDED)).toEqual({ pkts: 0, bytes: 0 });
    expect(at(counts, sites[0], SHARED)).toEqual({ pkts: 5, bytes: 640 });
    // read and zeroed: nothing more since
    expect(at(await measure(), sites[0], EGRESS)).toEqual({ pkts: 0, bytes: 0 });
  });

  it("counts a shared label on two projects' routers apart, and a project's label only on its own", async () => {
    await ping(sites[0].guest, 2);
    await ping(sites[1].guest, 3);
    const counts = await measure();
    expect(at(counts, sites[0], SHARED)).toEqual({ pkts: 2, bytes: 256 });
    expect(at(counts, sites[1], SHARED)).toEqual({ pkts: 3, bytes: 384 });
    expect(at(counts, sites[1], EGRESS)).toBeUndefined();
  });

  it('keeps the counts across a change of the rules', async () => {
    await ping(sites[0].guest, 5);
    labels[EGRESS] = meterLabel(
      EGRESS,
      [
        { direction: 'egress', destination_ip_prefix: `${EXT_IP}/32` },
        { direction: 'egress', destination_ip_prefix: '192.0.2.0/24', excluded: true },
      ],
      { project_id: 'p1' },
    );
    await bus.fanout(METERING_AGENT_TOPIC, 'add_metering_label_rule', { label_ids: [EGRESS] });
    await until(() => agent.routers().get(sites[0].router)?.labels.find((l) => l.id === EGRESS)?.rules.length === 2);
    await agent.idle();
    await ping(sites[0].guest, 5);
    expect(at(await measure(), sites[0], EGRESS)).toEqual({ pkts: 10, bytes: 1280 });
  });

  it('reads a deleted label before its counter goes, and counts nothing for it after', async () => {
    await ping(sites[0].guest, 4);
    delete labels[INGRESS];
    await bus.fanout(METERING_AGENT_TOPIC, 'remove_metering_label', { label_ids: [INGRESS] });
    await until(() => !agent.routers().get(sites[0].router)?.labels.some((l) => l.id === INGRESS));
    await agent.idle();
    await ping(sites[0].guest, 1);
    const counts = await measure();
    expect(at(counts, sites[0], INGRESS)).toEqual({ pkts: 4, bytes: 512 });
    expect(at(counts, sites[0], EGRESS)).toEqual({ pkts: 5, bytes: 640 });
    const json = await nftJson(`qrouter-${sites[0].router}`, ['list', 'counters', 'table', 'inet', 'neutron-meter']);
    expect(json).not.toContain(INGRESS);
    // reported as 0 until a report_interval without a measure has passed (Neutron's purge), then no more
    expect(at(await measure(), sites[0], INGRESS)).toEqual({ pkts: 0, bytes: 0 });
    await measure();
    expect(at(await measure(), sites[0], INGRESS)).toBeUndefined();
  });

  it('builds the table again when the L3 agent rebuilt the namespace', async () => {
    const s = sites[1];
    await l3.apply(s.router, [{ op: 'delete-namespace', namespace: `qrouter-${s.router}` }, ...diffRouter(null, compileRouter(l3Router(s)))]);
    await setLink(host, tapDevice(s.intPort), { master: `brint${s.n}`, up: true });
    await setLink(host, tapDevice(s.gwPort), { master: 'brext', up: true });
    await measure(); // finds the counters gone
    await measure(); // builds them anew
    await ping(s.guest, 3);
    expect(at(await measure(), s, SHARED)).toEqual({ pkts: 3, bytes: 384 });
  });
});
