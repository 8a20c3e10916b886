/**
 * The DHCP agent with the simulated driver against a stand-in for the server on the real in-process bus: the server
 * half (libs/dhcp-scheduler) is tested on its own; here only what the agent says, and what its UDP port answers.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Bus, BusHandler } from '../../bus/bus.contract.js';
import { createBus } from '../../bus/index.js';
import { StandInServer } from '../common/testing/stand-in-server.js';
import {
  dhcpAgentTopic,
  type DhcpNetworkInfo,
  type DhcpPortInfo,
  type DhcpReadyRequest,
} from '../../rpc/dhcp-agent.contract.js';
import { DhcpAgent } from './dhcp-agent.js';
import { SimulatedDhcpDriver } from './drivers/simulated-dhcp-driver.js';
import { LoopbackDhcpClient } from './testing/loopback-dhcp-client.js';

const silent = pino({ level: 'silent' });
const HOST = 'node1';
const NET = '11111111-2222-4333-8444-555555555555';
const SUB = 'aaaaaaaa-2222-4333-8444-555555555555';

function port(n: number, ip: string, owner = 'compute:nova'): DhcpPortInfo {
  return {
    id: `${String(n).padStart(8, '0')}-aaaa-4bbb-8ccc-dddddddddddd`,
    mac_address: `fa:16:3e:00:00:${String(n).padStart(2, '0')}`,
    device_owner: owner,
    device_id: owner === 'network:dhcp' ? `dhcp-${HOST}` : 'vm',
    admin_state_up: true,
    fixed_ips: [{ subnet_id: SUB, ip_address: ip }],
    extra_dhcp_opts: [],
  };
}

function network(id: string, ports: DhcpPortInfo[], overrides: Partial<DhcpNetworkInfo> = {}): DhcpNetworkInfo {
  const dhcp = port(2, '192.168.10.2', 'network:dhcp');
  return {
    id,
    project_id: 'p',
    mtu: 1450,
    admin_state_up: true,
    subnets: [
      {
        id: SUB,
        cidr: '192.168.10.0/24',
        ip_version: 4,
        gateway_ip: '192.168.10.1',
        enable_dhcp: true,
        dns_nameservers: ['192.168.10.53'],
        host_routes: [],
        ipv6_address_mode: null,
        ipv6_ra_mode: null,
      },
    ],
    ports: [dhcp, ...ports],
    dhcp_port: dhcp,
    ...overrides,
  };
}

/** Plays neutron-server's DHCP RPC: a table of networks scheduled to hosts; records every call. */
class DhcpServer extends StandInServer {
  readonly networks = new Map<string, { host: string; info: DhcpNetworkInfo }>();

  protected pluginMethods(): Record<string, BusHandler> {
    return {
      get_active_networks_info: (p) =>
        this.answer('get_active_networks_info', p, () =>
          [...this.networks.values()].filter((n) => n.host === (p as { host: string }).host).map((n) => n.info),
        ),
      get_network_info: (p) =>
        this.answer('get_network_info', p, () => {
          const { network_id, host } = p as { network_id: string; host: string };
          const n = this.networks.get(network_id);
          return n && n.host === host ? n.info : null;
        }),
      dhcp_ready_on_ports: (p) => this.answer('dhcp_ready_on_ports', p, () => undefined),
    };
  }

  /** A change committed on the server, then the cast neutron-server sends after commit. */
  async change(info: DhcpNetworkInfo, host = HOST): Promise<void> {
    this.networks.set(info.id, { host, info });
    await this.bus.cast(dhcpAgentTopic(host), 'network_update', { network_id: info.id });
  }

  async remove(id: string, host = HOST): Promise<void> {
    this.networks.delete(id);
    await this.bus.cast(dhcpAgentTopic(host), 'network_remove', { network_id: id });
  }

  readyPorts(): string[] {
    return this.calls.filter((c) => c.method === 'dhcp_ready_on_ports').flatMap((c) => (c.payload as DhcpReadyRequest).port_ids);
  }
}

let bus: Bus;
let server: DhcpServer;
let agent: DhcpAgent;
let driver: SimulatedDhcpDriver;
let client: LoopbackDhcpClient | undefined;

function newAgent(reportIntervalSeconds = 0.05) {
  driver = new SimulatedDhcpDriver({ port: 0, config: { lease_duration: 600, dns_domain: 'example.org' }, log: silent });
  agent = new DhcpAgent({
    host: HOST,
    bus,
    driver,
    reportIntervalSeconds,
    leaseDuration: 600,
    availabilityZone: 'nova',
    retryMs: 20,
    log: silent,
  });
  return agent;
}

async function startSynced(): Promise<void> {
  await agent.start();
  client = await LoopbackDhcpClient.open(driver.address!.port);
  await vi.waitFor(() => expect(server.count('get_active_networks_info')).toBeGreaterThan(0));
  await agent.idle();
}

beforeEach(async () => {
  bus = createBus({ bus: { transport: 'in-process', redis_url: 'redis://127.0.0.1:6379', redis_prefix: 'neutron', rpc_timeout_ms: 1000 } }, silent);
  server = new DhcpServer(bus);
  await server.listen();
  newAgent();
});

afterEach(async () => {
  await agent.stop();
  await client?.close();
  client = undefined;
  await bus.close();
});

describe('DHCP agent (simulated driver)', () => {
  it("reports like neutron-dhcp-agent, with the UDP port it answers on and what it serves", async () => {
    server.networks.set(NET, { host: HOST, info: network(NET, [port(5, '192.168.10.5')]) });
    await startSynced();
    await vi.waitFor(() => expect(server.reports.length).toBeGreaterThan(1));
    const [first, later] = server.reports;
    expect(first).toMatchObject({
      agent_type: 'DHCP agent',
      binary: 'neutron-dhcp-agent',
      topic: 'dhcp_agent',
      host: HOST,
      availability_zone: 'nova',
      start_flag: true,
    });
    expect(first.configurations).toMatchObject({ dhcp_driver: 'simulated', dhcp_lease_duration: 600, dhcp_port: driver.address!.port });
    expect(later.start_flag).toBeUndefined();
    await vi.waitFor(() =>
      expect(server.reports.at(-1)!.configurations).toMatchObject({ networks: 1, subnets: 1, ports: 2 }),
    );
  });

  it('serves the networks scheduled here after the first sync and reports their ports ready', async () => {
    const p5 = port(5, '192.168.10.5');
    server.networks.set(NET, { host: HOST, info: network(NET, [p5]) });
    server.networks.set('other-net', { host: 'node2', info: network('other-net', [port(9, '192.168.10.9')]) });
    await startSynced();

    const ack = await client!.lease(p5.mac_address);
    expect(ack).toEqual({
      type: 'ACK',
      yiaddr: '192.168.10.5',
      server_id: '192.168.10.2',
      subnet_mask: '255.255.255.0',
      routers: ['192.168.10.1'],
      dns: ['192.168.10.53'],
      domain: 'example.org',
      mtu: 1450,
      lease_time: 600,
    });
    // a network scheduled to another host is not served here
    expect(await client!.discover('fa:16:3e:00:00:09', 300)).toBeUndefined();
    // like Neutron: every port of the network once its configuration is written (the DHCP port too)
    expect(server.readyPorts().sort()).toEqual([port(2, '', 'network:dhcp').id, p5.id].sort());
  });

  it('a notice refetches that network: a new port is served and only it is reported ready', async () => {
    const p5 = port(5, '192.168.10.5');
    server.networks.set(NET, { host: HOST, info: network(NET, [p5]) });
    await startSynced();
    const reported = server.readyPorts().length;

    const p6 = port(6, '192.168.10.6');
    await server.change(network(NET, [p5, p6]));
    await vi.waitFor(() => expect(server.readyPorts().slice(reported)).toEqual([p6.id]));
    expect((await client!.lease(p6.mac_address))?.yiaddr).toBe('192.168.10.6');
    expect(server.calls.filter((c) => c.method === 'get_network_info').map((c) => c.payload)).toEqual([{ network_id: NET, host: HOST }]);

    // its fixed IP changed: served at the new address and reported again (the server blocks it again)
    const moved = { ...p6, fixed_ips: [{ subnet_id: SUB, ip_address: '192.168.10.66' }] };
    await server.change(network(NET, [p5, moved]));
    await vi.waitFor(() => expect(server.readyPorts().slice(reported)).toEqual([p6.id, p6.id]));
    expect((await client!.lease(p6.mac_address))?.yiaddr).toBe('192.168.10.66');
  });

  it('a port notice changes that port only, without get_network_info: served, reported ready once, then gone', async () => {
    const p5 = port(5, '192.168.10.5');
    server.networks.set(NET, { host: HOST, info: network(NET, [p5]) });
    await startSynced();
    const reported = server.readyPorts().length;

    const p6 = port(6, '192.168.10.6');
    await bus.cast(dhcpAgentTopic(HOST), 'port_update', { network_id: NET, port: p6 });
    await vi.waitFor(() => expect(server.readyPorts().slice(reported)).toEqual([p6.id]));
    expect((await client!.lease(p6.mac_address))?.yiaddr).toBe('192.168.10.6');
    expect(agent.configurations()).toMatchObject({ networks: 1, ports: 3 });

    // the same port again (a binding change): served as before, not reported again
    await bus.cast(dhcpAgentTopic(HOST), 'port_update', { network_id: NET, port: { ...p6, device_id: 'vm2' } });
    // a new address and an extra option: served at once, reported again
    const moved = { ...p6, fixed_ips: [{ subnet_id: SUB, ip_address: '192.168.10.66' }], extra_dhcp_opts: [{ opt_name: 'mtu', opt_value: '1400', ip_version: 4 }] };
    await bus.cast(dhcpAgentTopic(HOST), 'port_update', { network_id: NET, port: moved });
    await vi.waitFor(() => expect(server.readyPorts().slice(reported)).toEqual([p6.id, p6.id]));
    expect(await client!.lease(p6.mac_address)).toMatchObject({ yiaddr: '192.168.10.66', mtu: 1400 });

    await bus.cast(dhcpAgentTopic(HOST), 'port_delete', { network_id: NET, port_id: p6.id });
    await vi.waitFor(async () => expect(await client!.discover(p6.mac_address, 200)).toBeUndefined());
    expect((await client!.discover(p5.mac_address))?.yiaddr).toBe('192.168.10.5');
    expect(agent.configurations()).toMatchObject({ networks: 1, ports: 2 });
    expect(server.count('get_network_info')).toBe(0);
    expect(server.count('get_active_networks_info')).toBe(1);
  });

  it('refetches the network for a port notice it cannot apply: unknown network, its DHCP port, a malformed port', async () => {
    const p5 = port(5, '192.168.10.5');
    server.networks.set(NET, { host: HOST, info: network(NET, [p5]) });
    await startSynced();

    // a network scheduled here after the sync, whose network notice was lost
    const p9 = port(9, '192.168.10.9');
    server.networks.set('late', { host: HOST, info: network('late', [p9]) });
    await bus.cast(dhcpAgentTopic(HOST), 'port_update', { network_id: 'late', port: p9 });
    await vi.waitFor(() => expect(agent.networks().sort()).toEqual(['late', NET].sort()));
    expect(server.calls.filter((c) => c.method === 'get_network_info').map((c) => c.payload)).toEqual([{ network_id: 'late', host: HOST }]);

    // the DHCP port's address is on every lease: a notice about it refetches
    const dhcp = { ...port(2, '192.168.10.3', 'network:dhcp') };
    server.networks.set(NET, { host: HOST, info: network(NET, [p5], { dhcp_port: dhcp, ports: [dhcp, p5] }) });
    await bus.cast(dhcpAgentTopic(HOST), 'port_update', { network_id: NET, port: dhcp });
    await vi.waitFor(() => expect(server.count('get_network_info')).toBe(2));
    await agent.idle();
    expect((await client!.lease(p5.mac_address))?.server_id).toBe('192.168.10.3');

    const refetches = server.count('get_network_info');
    await bus.cast(dhcpAgentTopic(HOST), 'port_update', { network_id: NET, port: { id: 'x' } });
    await vi.waitFor(() => expect(server.count('get_network_info')).toBe(refetches + 1));
  });

  it('a deleted port gets silence; a removed network stops being served', async () => {
    const p5 = port(5, '192.168.10.5');
    const p6 = port(6, '192.168.10.6');
    server.networks.set(NET, { host: HOST, info: network(NET, [p5, p6]) });
    await startSynced();

    await server.change(network(NET, [p5]));
    await vi.waitFor(async () => expect(await client!.discover(p6.mac_address, 200)).toBeUndefined());
    expect((await client!.discover(p5.mac_address))?.type).toBe('OFFER');

    await server.remove(NET);
    await vi.waitFor(async () => expect(await client!.discover(p5.mac_address, 200)).toBeUndefined());
    expect(agent.networks()).toEqual([]);
  });

  it('a network moved to another agent (get_network_info answers null) stops being served', async () => {
    const p5 = port(5, '192.168.10.5');
    server.networks.set(NET, { host: HOST, info: network(NET, [p5]) });
    await startSynced();
    server.networks.set(NET, { host: 'node2', info: network(NET, [p5]) });
    await bus.cast(dhcpAgentTopic(HOST), 'network_update', { network_id: NET });
    await vi.waitFor(() => expect(agent.networks()).toEqual([]));
    expect(await client!.discover(p5.mac_address, 200)).toBeUndefined();
  });

  it('serves nothing and reports no port ready while the network has no DHCP port, is down, or has no DHCP subnet', async () => {
    const p5 = port(5, '192.168.10.5');
    const base = network(NET, [p5]);
    server.networks.set(NET, { host: HOST, info: { ...base, dhcp_port: null, ports: [p5] } });
    server.networks.set('down', { host: HOST, info: network('down', [port(7, '192.168.10.7')], { admin_state_up: false }) });
    const noDhcp = network('nodhcp', [port(8, '192.168.10.8')]);
    server.networks.set('nodhcp', { host: HOST, info: { ...noDhcp, subnets: noDhcp.subnets.map((s) => ({ ...s, enable_dhcp: false })) } });
    await startSynced();
    expect(agent.networks()).toEqual([]);
    expect(server.readyPorts()).toEqual([]);
    expect(await client!.discover(p5.mac_address, 200)).toBeUndefined();

    // the server made the DHCP port: the notice that follows makes the network served
    await server.change(base);
    await vi.waitFor(() => expect(server.readyPorts()).toContain(p5.id));
    expect((await client!.discover(p5.mac_address))?.yiaddr).toBe('192.168.10.5');
  });

  it('keeps trying while the server fails: the sync and the ready reports arrive once it answers', async () => {
    const p5 = port(5, '192.168.10.5');
    server.networks.set(NET, { host: HOST, info: network(NET, [p5]) });
    server.failing = true;
    await agent.start();
    client = await LoopbackDhcpClient.open(driver.address!.port);
    await vi.waitFor(() => expect(server.count('get_active_networks_info')).toBeGreaterThan(1));
    expect(server.readyPorts()).toEqual([]);
    server.failing = false;
    await vi.waitFor(() => expect(server.readyPorts()).toContain(p5.id));
    expect((await client!.discover(p5.mac_address))?.yiaddr).toBe('192.168.10.5');
    // the first successful report still says the agent (re)started
    expect(server.reports[0].start_flag).toBe(true);
  });

  it('a ready report the server refused is sent again; a notice during the failure is not lost', async () => {
    await startSynced();
    const p5 = port(5, '192.168.10.5');
    server.networks.set(NET, { host: HOST, info: network(NET, [p5]) });
    server.failing = true;
    await bus.cast(dhcpAgentTopic(HOST), 'network_update', { network_id: NET });
    await vi.waitFor(() => expect(server.count('get_network_info')).toBeGreaterThan(1));
    server.failing = false;
    await vi.waitFor(() => expect(server.readyPorts()).toContain(p5.id));
    expect((await client!.discover(p5.mac_address))?.yiaddr).toBe('192.168.10.5');
  });

  it("resyncs when the server says it had the agent down ('revived'): networks unscheduled meanwhile stop", async () => {
    const p5 = port(5, '192.168.10.5');
    server.networks.set(NET, { host: HOST, info: network(NET, [p5]) });
    await startSynced();
    const syncs = server.count('get_active_networks_info');
    server.networks.delete(NET); // its removal notice was lost while the agent was down
    server.reportAnswer = 'revived';
    await vi.waitFor(() => expect(server.count('get_active_networks_info')).toBeGreaterThan(syncs));
    server.reportAnswer = 'alive';
    await vi.waitFor(() => expect(agent.networks()).toEqual([]));
    expect(await client!.discover(p5.mac_address, 200)).toBeUndefined();
  });

  it('stop() returns at once while a call to the server is pending, and closes the UDP port', async () => {
    // the server is gone: every call would wait for the RPC timeout (1 s here)
    await bus.close();
    bus = createBus({ bus: { transport: 'in-process', redis_url: 'redis://127.0.0.1:6379', redis_prefix: 'neutron', rpc_timeout_ms: 10_000 } }, silent);
    newAgent();
    await agent.start();
    const port = driver.address!.port;
    const started = Date.now();
    await agent.stop();
    expect(Date.now() - started).toBeLessThan(500);
    expect(driver.address).toBeUndefined();
    // the port is free again
    const again = new SimulatedDhcpDriver({ port, config: { lease_duration: 60, dns_domain: '' } });
    await again.start();
    await again.stop();
  });
});
