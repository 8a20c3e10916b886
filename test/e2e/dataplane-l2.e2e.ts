/**
 * The L2 agent with the `linux` dataplane (root; skipped loudly otherwise): the fleet as the appliance builds it from
 * APPLIANCE_DATAPLANE_DRIVER=linux, a stand-in for neutron-server on the in-process bus, and guests plugged the way
 * Nova/os-vif does (a veth pair: `tap<port[:11]>` in the host namespace, `eth0` in the guest's namespace).
 * The server half of these RPCs is tested in libs/plugin; here only what the agent does to the host and says is checked.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PLUGIN_TOPIC, REPORTS_TOPIC, type AgentState, type ReportStateRequest } from '../../libs/rpc/agent-state.contract.js';
import {
  tapDevice,
  type DeviceDetails,
  type DevicesDetailsRequest,
  type DeviceStatusRequest,
} from '../../libs/rpc/l2-agent.contract.js';
import { L2AgentFleet } from '../../libs/agents/l2/l2-agent.module.js';
import { bridgeName } from '../../libs/agents/l2/drivers/linuxbridge-names.js';
import type { Bus } from '../../libs/bus/bus.contract.js';
import { createBus } from '../../libs/bus/index.js';
import { loadConfig } from '../../libs/config/index.js';
import {
  addBridge,
  addVxlan,
  deleteNamespace,
  ensureNamespace,
  execInNamespace,
  getLink,
  listLinks,
  namespaceExists,
} from '../../libs/dataplane/index.js';
import { skipUnlessDataplane, testNamespaceName } from '../../libs/dataplane/testing/dataplane-availability.js';
import { plugNovaGuest } from '../../libs/dataplane/testing/nova-guest.js';

const unavailable = await skipUnlessDataplane('test/e2e/dataplane-l2.e2e.ts');
const silent = pino({ level: 'silent' });
const HOST = 'dp-node';
const NET = randomUUID();
const VNI = 3001;

/** neutron-server's side, reduced to a table of ports bound to hosts, answering like ML2's RPC handlers. */
class StandInServer {
  readonly reports: AgentState[] = [];
  readonly up: string[] = [];
  readonly down: string[] = [];
  readonly ports = new Map<string, { host: string }>();

  constructor(private readonly bus: Bus) {}

  async listen(): Promise<void> {
    await this.bus.subscribe(REPORTS_TOPIC, {
      report_state: (p) => {
        this.reports.push((p as ReportStateRequest).agent_state);
        return 'alive';
      },
    });
    await this.bus.subscribe(PLUGIN_TOPIC, {
      get_bound_devices: (p) =>
        [...this.ports].filter(([, port]) => port.host === (p as { host: string }).host).map(([id]) => tapDevice(id)),
      get_devices_details_list: (p) => {
        const req = p as DevicesDetailsRequest;
        return req.devices.map((device) => this.details(device, req.host));
      },
      update_device_up: (p) => void this.up.push((p as DeviceStatusRequest).device),
      update_device_down: (p) => {
        this.down.push((p as DeviceStatusRequest).device);
        return { device: (p as DeviceStatusRequest).device, exists: true };
      },
    });
  }

  private details(device: string, host: string): DeviceDetails {
    const id = [...this.ports.keys()].find((p) => tapDevice(p) === device);
    if (!id || this.ports.get(id)!.host !== host) return { device };
    return {
      device,
      port_id: id,
      network_id: NET,
      admin_state_up: true,
      network_type: 'vxlan',
      segmentation_id: VNI,
      physical_network: null,
      mtu: 1450,
      device_owner: 'compute:nova',
      fixed_ips: [],
      mac_address: 'fa:16:3e:00:00:01',
    };
  }
}

describe.skipIf(unavailable)('L2 agent, linux dataplane (root)', () => {
  const hostNs = testNamespaceName('l2host');
  const guests: string[] = [];
  let bus: Bus;
  let server: StandInServer;
  let fleet: L2AgentFleet;

  async function plugGuest(portId: string, address: string): Promise<string> {
    const guest = testNamespaceName('l2g');
    guests.push(guest);
    await plugNovaGuest(hostNs, tapDevice(portId), guest, address);
    return guest;
  }

  beforeAll(async () => {
    // what an earlier run left behind: the agent must remove it once it knows what its ports need
    await ensureNamespace(hostNs);
    await addBridge(hostNs, 'brqstale00000');
    await addVxlan(hostNs, 'vxlan-99', 99);

    const config = loadConfig({
      argv: [],
      env: {
        APPLIANCE_DATAPLANE_DRIVER: 'linux',
        APPLIANCE_HOST_NAMESPACE: hostNs,
        APPLIANCE_AGENT_HOST: HOST,
        APPLIANCE__AGENTS__REPORT_INTERVAL: '0.2',
      },
    });
    bus = createBus(config, silent);
    server = new StandInServer(bus);
    await server.listen();
    fleet = new L2AgentFleet({ bus, config, log: silent, pollIntervalMs: 100 });
    await fleet.start();
  });

  afterAll(async () => {
    await fleet?.stop();
    await bus?.close();
    for (const ns of [...guests, hostNs]) await deleteNamespace(ns).catch((err: unknown) => console.error(`cleanup of ${ns}`, err));
  });

  it('reports the linux driver for this host; the extra (simulated) host keeps the simulated one', async () => {
    await vi.waitFor(() => {
      // configured [vxlan, geneve] (the default): linuxbridge has no GENEVE, so this host does not offer it
      expect(server.reports.find((r) => r.host === HOST)?.configurations).toMatchObject({ driver: 'linux', tunnel_types: ['vxlan'] });
      expect(server.reports.find((r) => r.host === 'compute1')?.configurations).toMatchObject({
        driver: 'simulated',
        tunnel_types: ['vxlan', 'geneve'],
      });
    });
    expect(await namespaceExists(hostNs)).toBe(true);
  });

  it('removes the devices it owns that no port needs after its first full sync', async () => {
    await vi.waitFor(async () => {
      const names = (await listLinks(hostNs)).map((l) => l.name);
      expect(names).not.toContain('brqstale00000');
      expect(names).not.toContain('vxlan-99');
    });
  });

  it('a tap that appears for a port bound here is bridged and reported up; two guests ping each other', async () => {
    const [p1, p2] = [randomUUID(), randomUUID()];
    server.ports.set(p1, { host: HOST });
    server.ports.set(p2, { host: HOST });
    const g1 = await plugGuest(p1, '10.97.0.11/24');
    const g2 = await plugGuest(p2, '10.97.0.12/24');

    await vi.waitFor(() => expect(server.up).toEqual(expect.arrayContaining([tapDevice(p1), tapDevice(p2)])), { timeout: 3000 });
    expect(await getLink(hostNs, tapDevice(p1))).toMatchObject({ master: bridgeName(NET), mtu: 1450, up: true });
    expect(await getLink(hostNs, `vxlan-${VNI}`)).toMatchObject({ master: bridgeName(NET), kind: 'vxlan' });
    await execInNamespace(g1, 'busybox', ['ping', '-c', '1', '-W', '2', '10.97.0.12']);

    // the guest goes away (its namespace deleted takes the veth pair with it): the agent reports the port down
    await deleteNamespace(g2);
    await vi.waitFor(() => expect(server.down).toContain(tapDevice(p2)), { timeout: 3000 });
    expect(server.down).not.toContain(tapDevice(p1));
  });

  it('a tap for a port the server does not know is left alone', async () => {
    const stranger = randomUUID();
    await plugGuest(stranger, '10.97.0.13/24');
    // a few poll intervals: seen, asked about, not wired
    await new Promise((r) => setTimeout(r, 400));
    expect(server.up).not.toContain(tapDevice(stranger));
    expect((await getLink(hostNs, tapDevice(stranger)))?.master).toBeNull();
  });
});
