/**
 * The L2 agent against a small stand-in for the server on the real in-process bus: the server half (libs/plugin/ml2)
 * is tested on its own; here only what the agent says and does is asserted.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBus } from '../../bus/index.js';
import type { Bus, BusHandler } from '../../bus/bus.contract.js';
import { StandInServer } from '../common/testing/stand-in-server.js';
import {
  L2_AGENT_FANOUT,
  tapDevice,
  type DeviceDetails,
  type DevicesDetailsRequest,
  type DeviceStatusRequest,
  type PortUpdateNotice,
} from '../../rpc/l2-agent.contract.js';
import { L2Agent } from './l2-agent.js';
import { SimulatedL2Driver } from './drivers/simulated-l2-driver.js';

const silent = pino({ level: 'silent' });
const caps = { interfaceMappings: { physnet1: 'eth1' }, tunnelTypes: ['vxlan'] };
const NET = '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
const portId = (n: number) => `${String(n).padStart(8, '0')}-aaaa-4bbb-8ccc-dddddddddddd`;

interface ServerPort {
  id: string;
  host: string;
  admin_state_up: boolean;
  segmentation_id: number;
}

/** Plays neutron-server's side of the conversation: records every call, answers from its table of ports. */
class FakeServer extends StandInServer {
  readonly ports = new Map<string, ServerPort>();
  /** runs after get_bound_devices has read its list and before it answers (what changed meanwhile is not in it) */
  beforeBoundDevicesAnswer: (() => Promise<void>) | null = null;

  protected pluginMethods(): Record<string, BusHandler> {
    return {
      get_devices_details_list: (p) =>
        this.answer('get_devices_details_list', p, () => (p as DevicesDetailsRequest).devices.map((d) => this.details(d, (p as DevicesDetailsRequest).host))),
      update_device_up: (p) => this.answer('update_device_up', p, () => undefined),
      update_device_down: (p) =>
        this.answer('update_device_down', p, () => ({ device: (p as DeviceStatusRequest).device, exists: true })),
      get_bound_devices: async (p) => {
        const list = this.answer('get_bound_devices', p, () =>
          [...this.ports.values()].filter((x) => x.host === (p as { host: string }).host).map((x) => tapDevice(x.id)),
        );
        await this.beforeBoundDevicesAnswer?.();
        return list;
      },
    };
  }

  /** A port bound (or re-bound) on the server, announced to the agents as neutron-server does after commit. */
  async bind(port: ServerPort): Promise<void> {
    this.ports.set(port.id, port);
    const notice: PortUpdateNotice = {
      port_id: port.id,
      device: tapDevice(port.id),
      host: port.host,
      network_id: NET,
      admin_state_up: port.admin_state_up,
    };
    await this.bus.fanout(L2_AGENT_FANOUT, 'port_update', notice);
  }

  async delete(id: string): Promise<void> {
    this.ports.delete(id);
    await this.bus.fanout(L2_AGENT_FANOUT, 'port_delete', { port_id: id, device: tapDevice(id) });
  }

  devicesIn(method: string, host: string): string[] {
    return this.calls
      .filter((c) => c.method === method && (c.payload as { host: string }).host === host)
      .flatMap((c) => (c.payload as { devices?: string[]; device?: string }).devices ?? [(c.payload as { device: string }).device]);
  }

  private details(device: string, host: string): DeviceDetails {
    const port = [...this.ports.values()].find((p) => tapDevice(p.id) === device);
    if (!port || port.host !== host) return { device };
    return {
      device,
      port_id: port.id,
      network_id: NET,
      admin_state_up: port.admin_state_up,
      network_type: 'vxlan',
      segmentation_id: port.segmentation_id,
      physical_network: null,
      mtu: 1450,
      device_owner: 'compute:nova',
      fixed_ips: [],
      mac_address: 'fa:16:3e:00:00:01',
    };
  }
}

let bus: Bus;
let server: FakeServer;
const agents: L2Agent[] = [];

function newAgent(host: string, reportIntervalSeconds = 0.05) {
  const driver = new SimulatedL2Driver(caps);
  const agent = new L2Agent({ host, bus, driver, capabilities: caps, reportIntervalSeconds, pollIntervalMs: 30, log: silent });
  agents.push(agent);
  return { agent, driver };
}

/** Starts the agent and waits for its first resync to finish, so notices meet a synced agent. */
async function startSynced(agent: L2Agent): Promise<void> {
  await agent.start();
  await vi.waitFor(() => expect(server.devicesIn('get_bound_devices', agent.host)).toHaveLength(1));
  await agent.idle();
}

const wiredPorts = (driver: SimulatedL2Driver) => driver.bridgesNow().flatMap((b) => b.ports);
const lastReport = (host: string) => server.reports.filter((r) => r.host === host).at(-1);

beforeEach(async () => {
  bus = createBus({ bus: { transport: 'in-process', redis_url: 'redis://127.0.0.1:6379', redis_prefix: 'neutron', rpc_timeout_ms: 1000 } }, silent);
  server = new FakeServer(bus);
  await server.listen();
});

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
  await bus.close();
});

describe('L2Agent heartbeats', () => {
  it('reports with start_flag first, then every report_interval without it', async () => {
    const { agent } = newAgent('compute1');
    await agent.start();
    await vi.waitFor(() => expect(server.reports.length).toBeGreaterThanOrEqual(4), { timeout: 2000 });
    const [first, ...later] = server.reports;
    expect(first).toMatchObject({
      agent_type: 'Linux bridge agent',
      binary: 'neutron-linuxbridge-agent',
      topic: 'N/A',
      host: 'compute1',
      start_flag: true,
      configurations: {
        interface_mappings: { physnet1: 'eth1' },
        tunnel_types: ['vxlan'],
        devices: 0,
        driver: 'simulated',
      },
    });
    expect(later.every((r) => r.start_flag === undefined)).toBe(true);
  });

  it('sends them at the interval, not faster', async () => {
    const { agent } = newAgent('compute1', 0.1);
    await agent.start();
    await new Promise((r) => setTimeout(r, 450));
    // t=0, 100, 200, 300, 400 → 5 (timers only run late, never early)
    expect(server.reports.length).toBeGreaterThanOrEqual(3);
    expect(server.reports.length).toBeLessThanOrEqual(5);
  });

  it('stops reporting when stopped', async () => {
    const { agent } = newAgent('compute1');
    await agent.start();
    await vi.waitFor(() => expect(server.reports.length).toBeGreaterThanOrEqual(2));
    await agent.stop();
    const count = server.reports.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(server.reports.length).toBe(count);
  });

  it('survives a failing server and catches up once it answers again', async () => {
    server.failing = true;
    const { agent, driver } = newAgent('compute1');
    await agent.start();
    await server.bind({ id: portId(1), host: 'compute1', admin_state_up: true, segmentation_id: 1001 });
    await vi.waitFor(() => expect(server.calls.filter((c) => c.method === 'report_state').length).toBeGreaterThanOrEqual(3));
    expect(server.reports).toEqual([]);
    expect(server.devicesIn('update_device_up', 'compute1')).toEqual([]);

    server.failing = false;
    await vi.waitFor(() => expect(server.reports.length).toBeGreaterThanOrEqual(1), { timeout: 3000 });
    // the first report that got through is still the one that says "I (re)started"
    expect(server.reports[0].start_flag).toBe(true);
    await vi.waitFor(() => expect(server.devicesIn('update_device_up', 'compute1')).toContain(tapDevice(portId(1))));
    expect(wiredPorts(driver)).toEqual([tapDevice(portId(1))]);
  });
});

describe('L2Agent wiring', () => {
  it('wires a port bound to its host, reports it up and counts it', async () => {
    const { agent, driver } = newAgent('compute1');
    await agent.start();
    await server.bind({ id: portId(1), host: 'compute1', admin_state_up: true, segmentation_id: 1001 });
    const device = tapDevice(portId(1));

    await vi.waitFor(() => expect(server.devicesIn('update_device_up', 'compute1')).toEqual([device]));
    expect(server.devicesIn('get_devices_details_list', 'compute1')).toContain(device);
    expect(driver.bridgesNow()).toEqual([{ name: `brq${NET.slice(0, 11)}`, network_id: NET, uplink: 'vxlan-1001', ports: [device] }]);
    await vi.waitFor(() => expect(lastReport('compute1')?.configurations.devices).toBe(1));
  });

  it('ignores ports bound to other hosts', async () => {
    const { agent, driver } = newAgent('compute1');
    await startSynced(agent);
    await server.bind({ id: portId(1), host: 'compute2', admin_state_up: true, segmentation_id: 1001 });
    await server.bind({ id: portId(2), host: 'compute1', admin_state_up: true, segmentation_id: 1001 });

    await vi.waitFor(() => expect(server.devicesIn('update_device_up', 'compute1')).toEqual([tapDevice(portId(2))]));
    const mentioned = server.calls.flatMap((c) => JSON.stringify(c.payload));
    expect(mentioned.some((p) => p.includes(tapDevice(portId(1))))).toBe(false);
    expect(wiredPorts(driver)).toEqual([tapDevice(portId(2))]);
  });

  it('unwires a deleted port', async () => {
    const { agent, driver } = newAgent('compute1');
    await startSynced(agent);
    await server.bind({ id: portId(1), host: 'compute1', admin_state_up: true, segmentation_id: 1001 });
    await vi.waitFor(() => expect(wiredPorts(driver)).toEqual([tapDevice(portId(1))]));

    await server.delete(portId(1));
    await vi.waitFor(() => expect(wiredPorts(driver)).toEqual([]));
    expect(await driver.listDevices()).toEqual([]);
    await vi.waitFor(() => expect(lastReport('compute1')?.configurations.devices).toBe(0));
  });

  it('a port disabled goes down and is unwired; enabled again it is wired and up', async () => {
    const { agent, driver } = newAgent('compute1');
    await startSynced(agent);
    const port = { id: portId(1), host: 'compute1', admin_state_up: true, segmentation_id: 1001 };
    const device = tapDevice(port.id);
    await server.bind(port);
    await vi.waitFor(() => expect(server.devicesIn('update_device_up', 'compute1')).toEqual([device]));

    await server.bind({ ...port, admin_state_up: false });
    await vi.waitFor(() => expect(server.devicesIn('update_device_down', 'compute1')).toEqual([device]));
    expect(wiredPorts(driver)).toEqual([]);

    await server.bind(port);
    await vi.waitFor(() => expect(server.devicesIn('update_device_up', 'compute1')).toEqual([device, device]));
    expect(wiredPorts(driver)).toEqual([device]);
  });

  it('a port moved to another host is unwired here and wired there', async () => {
    const a = newAgent('compute1');
    const b = newAgent('compute2');
    await startSynced(a.agent);
    await startSynced(b.agent);
    const port = { id: portId(1), host: 'compute1', admin_state_up: true, segmentation_id: 1001 };
    await server.bind(port);
    await vi.waitFor(() => expect(wiredPorts(a.driver)).toEqual([tapDevice(port.id)]));

    await server.bind({ ...port, host: 'compute2' });
    await vi.waitFor(() => expect(wiredPorts(b.driver)).toEqual([tapDevice(port.id)]));
    await vi.waitFor(() => expect(wiredPorts(a.driver)).toEqual([]));
    expect(server.devicesIn('update_device_up', 'compute2')).toEqual([tapDevice(port.id)]);
    // the old host does not report the port down: it is up on its new host
    expect(server.devicesIn('update_device_down', 'compute1')).toEqual([]);
  });

  it('network_delete removes the network bridge', async () => {
    const { agent, driver } = newAgent('compute1');
    await agent.start();
    await server.bind({ id: portId(1), host: 'compute1', admin_state_up: true, segmentation_id: 1001 });
    await vi.waitFor(() => expect(driver.bridgesNow()).toHaveLength(1));
    server.ports.clear();
    await server.delete(portId(1));
    await bus.fanout(L2_AGENT_FANOUT, 'network_delete', { network_id: NET });
    await vi.waitFor(() => expect(driver.bridgesNow()).toEqual([]));
  });

  it('processes many devices in batches and each once', async () => {
    const driver = new SimulatedL2Driver(caps);
    const agent = new L2Agent({
      host: 'compute1',
      bus,
      driver,
      capabilities: caps,
      reportIntervalSeconds: 5,
      batchSize: 4,
      pollIntervalMs: 1000,
      log: silent,
    });
    agents.push(agent);
    for (let i = 1; i <= 10; i++) server.ports.set(portId(i), { id: portId(i), host: 'compute1', admin_state_up: true, segmentation_id: 1001 });
    await agent.start();
    await vi.waitFor(() => expect(server.devicesIn('update_device_up', 'compute1')).toHaveLength(10));
    const detailCalls = server.calls.filter((c) => c.method === 'get_devices_details_list');
    expect(detailCalls.map((c) => (c.payload as DevicesDetailsRequest).devices.length)).toEqual([4, 4, 2]);
    expect(new Set(server.devicesIn('update_device_up', 'compute1')).size).toBe(10);
  });
});

describe('L2Agent batching', () => {
  it('a burst of notices is handled in a few batched passes, each device once', async () => {
    const { agent } = newAgent('compute1');
    await startSynced(agent);
    const before = server.calls.filter((c) => c.method === 'get_devices_details_list').length;
    await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) => server.bind({ id: portId(i), host: 'compute1', admin_state_up: true, segmentation_id: 1001 })),
    );
    await vi.waitFor(() => expect(server.devicesIn('update_device_up', 'compute1')).toHaveLength(6));
    expect(server.calls.filter((c) => c.method === 'get_devices_details_list').length - before).toBeLessThanOrEqual(2);
    expect(new Set(server.devicesIn('update_device_up', 'compute1')).size).toBe(6);
  });
});

describe('L2Agent resync', () => {
  it('an agent stopped and started again announces its start and resyncs', async () => {
    const { agent } = newAgent('compute1');
    await startSynced(agent);
    await agent.stop();
    server.ports.set(portId(4), { id: portId(4), host: 'compute1', admin_state_up: true, segmentation_id: 1001 });
    const reportsBefore = server.reports.length;
    await agent.start();
    await vi.waitFor(() => expect(server.devicesIn('update_device_up', 'compute1')).toEqual([tapDevice(portId(4))]));
    expect(server.reports[reportsBefore].start_flag).toBe(true);
  });

  it('a restarted agent rewires the ports bound to its host', async () => {
    server.ports.set(portId(1), { id: portId(1), host: 'compute1', admin_state_up: true, segmentation_id: 1001 });
    server.ports.set(portId(2), { id: portId(2), host: 'compute2', admin_state_up: true, segmentation_id: 1001 });
    const { agent, driver } = newAgent('compute1');
    await agent.start();
    await vi.waitFor(() => expect(server.devicesIn('update_device_up', 'compute1')).toEqual([tapDevice(portId(1))]));
    expect(server.calls.find((c) => c.method === 'get_bound_devices')?.payload).toEqual({ host: 'compute1' });
    expect(wiredPorts(driver)).toEqual([tapDevice(portId(1))]);
  });

  it("'revived' makes it pull its ports again, including ones it missed", async () => {
    const { agent, driver } = newAgent('compute1');
    await startSynced(agent);
    // bound while the agent was considered dead: the notice never came
    server.ports.set(portId(7), { id: portId(7), host: 'compute1', admin_state_up: true, segmentation_id: 1001 });
    await new Promise((r) => setTimeout(r, 100));
    expect(wiredPorts(driver)).toEqual([]);

    server.reportAnswer = 'revived';
    await vi.waitFor(() => expect(server.calls.filter((c) => c.method === 'get_bound_devices').length).toBeGreaterThanOrEqual(2));
    server.reportAnswer = 'alive';
    await vi.waitFor(() => expect(wiredPorts(driver)).toEqual([tapDevice(portId(7))]));
    expect(server.devicesIn('update_device_up', 'compute1')).toContain(tapDevice(portId(7)));
  });

  it('a port bound while the resync is under way is not lost', async () => {
    const port = { id: portId(3), host: 'compute1', admin_state_up: true, segmentation_id: 1001 };
    server.beforeBoundDevicesAnswer = async () => {
      server.beforeBoundDevicesAnswer = null;
      await server.bind(port);
      await new Promise((r) => setTimeout(r, 20));
    };
    const { agent, driver } = newAgent('compute1');
    await agent.start();
    await vi.waitFor(() => expect(wiredPorts(driver)).toEqual([tapDevice(port.id)]));
    expect(server.devicesIn('update_device_up', 'compute1')).toContain(tapDevice(port.id));
  });
});

describe('L2Agent device events', () => {
  it('a tap deleted and made again under the same name between two passes is wired again', async () => {
    let linkEvent: ((deleted?: string) => void) | undefined;
    class WatchingDriver extends SimulatedL2Driver {
      watchDevices(onChange: (deleted?: string) => void): () => void {
        linkEvent = onChange;
        return () => undefined;
      }
    }
    const driver = new WatchingDriver(caps);
    const agent = new L2Agent({ host: 'compute1', bus, driver, capabilities: caps, reportIntervalSeconds: 0.05, pollIntervalMs: 30, log: silent });
    agents.push(agent);
    await startSynced(agent);
    await server.bind({ id: portId(1), host: 'compute1', admin_state_up: true, segmentation_id: 1001 });
    const device = tapDevice(portId(1));
    await vi.waitFor(() => expect(wiredPorts(driver)).toEqual([device]));

    // the kernel takes a deleted tap out of its bridge; the new one of the same name (a rebuilt router's) is in none,
    // and the device list the polls read is the same as before
    await driver.unplugDevice({ device, port_id: portId(1), network_id: NET, device_owner: '', segment: { network_type: 'vxlan', physical_network: null, segmentation_id: 1001, mtu: 1450 } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(wiredPorts(driver)).toEqual([]);
    linkEvent!(device);
    await vi.waitFor(() => expect(wiredPorts(driver)).toEqual([device]));
  });
});
