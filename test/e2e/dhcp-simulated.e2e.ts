/**
 * The built appliance's own DHCP agent with the `simulated` driver: networks, subnets and ports made with the real
 * `openstack` CLI are served by a real DHCPv4 server on a loopback UDP port, which `openstack network agent show`
 * names (configurations.dhcp_port). SQLite only: the database is not what is tested here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackDhcpClient, type DhcpAnswer } from '../../libs/agents/dhcp/testing/loopback-dhcp-client.js';
import { cliFor } from './support/cli.js';
import type { Json } from './support/http.js';
import { eventually } from './support/wait.js';
import { useAppliance } from './support/suite.js';

const OWN_HOST = 'dhcp-e2e-node';
const MAC = 'fa:16:3e:5a:00:01';

describe('DHCP agent, simulated driver (sqlite)', () => {
  const ctx = useAppliance('sqlite', {
    APPLIANCE_AGENT_HOST: OWN_HOST,
    APPLIANCE__AGENTS__REPORT_INTERVAL: '0.5',
    APPLIANCE__AGENTS__DHCP__LEASE_DURATION: '3600',
  });
  const cli = () => cliFor(ctx().app);
  let client: LoopbackDhcpClient;
  let agent: Json;
  let net: Json;

  const leaseFor = (mac: string, until: (a: DhcpAnswer | undefined) => boolean) =>
    eventually(() => client.lease(mac, 300), until, 10_000);

  beforeAll(async () => {
    const agents = await eventually(
      () => cli().openstack(['network', 'agent', 'list', '--agent-type', 'dhcp', '-f', 'json']) as Promise<Json[]>,
      (list) => list.length > 0,
    );
    expect(agents.map((a: Json) => a.Host)).toEqual([OWN_HOST]);
    agent = (await cli().openstack(['network', 'agent', 'show', agents[0].ID, '-f', 'json'])) as Json;
    client = await LoopbackDhcpClient.open(agent.configuration.dhcp_port);
    net = (await cli().openstack(['network', 'create', 'dhcp-sim-net', '-f', 'json'])) as Json;
    await cli().openstack([
      'subnet', 'create', '--network', net.id, '--subnet-range', '192.168.77.0/24', '--gateway', '192.168.77.1',
      '--dns-nameserver', '192.168.77.53', 'dhcp-sim-sub', '-f', 'json',
    ]);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('shows itself like neutron-dhcp-agent, with the loopback UDP port it answers on', () => {
    expect(agent).toMatchObject({ agent_type: 'DHCP agent', binary: 'neutron-dhcp-agent', host: OWN_HOST, alive: true, availability_zone: 'nova' });
    expect(agent.configuration).toMatchObject({ dhcp_driver: 'simulated', dhcp_lease_duration: 3600, dhcp_address: '127.0.0.1' });
    expect(agent.configuration.dhcp_port).toBeGreaterThan(0);
  });

  it("a port made with the CLI gets its address, mask, router, DNS, domain, MTU and lease over real DHCP, once it is ACTIVE", async () => {
    const port = (await cli().openstack([
      'port', 'create', '--network', net.id, '--host', OWN_HOST, '--mac-address', MAC, 'dhcp-sim-port', '-f', 'json',
    ])) as Json;
    const ip = port.fixed_ips[0].ip_address;
    // ACTIVE needs both agents; the DHCP agent says ready only once it serves the port: no wait for the lease after
    const active = await eventually(
      () => cli().openstack(['port', 'show', port.id, '-f', 'json']) as Promise<Json>,
      (p) => p.status === 'ACTIVE',
    );
    expect(active.status).toBe('ACTIVE');
    const ack = await client.lease(MAC);

    const [dhcpPort] = (await cli().openstack(['port', 'list', '--device-owner', 'network:dhcp', '--network', net.id, '-f', 'json', '--long'])) as Json[];
    const dhcpIp = (dhcpPort['Fixed IP Addresses'] as Json[])[0].ip_address;
    expect(ack).toEqual({
      type: 'ACK',
      yiaddr: ip,
      server_id: dhcpIp,
      subnet_mask: '255.255.255.0',
      routers: ['192.168.77.1'],
      dns: ['192.168.77.53'],
      domain: 'openstacklocal',
      mtu: net.mtu,
      lease_time: 3600,
    });

    // what the agent serves, as report_state tells the server (the DHCP port and this one)
    const shown = await eventually(
      () => cli().openstack(['network', 'agent', 'show', agent.id, '-f', 'json']) as Promise<Json>,
      (a) => a.configuration.ports >= 2,
    );
    expect(shown.configuration).toMatchObject({ networks: 1, subnets: 1, ports: 2 });
  });

  it('an unknown MAC gets nothing', async () => {
    expect(await client.discover('fa:16:3e:5a:ff:ff', 500)).toBeUndefined();
  });

  it("changing the port's fixed IP moves its lease; deleting the port ends it", async () => {
    const mac = 'fa:16:3e:5a:00:02';
    const port = (await cli().openstack(['port', 'create', '--network', net.id, '--mac-address', mac, 'dhcp-sim-move', '-f', 'json'])) as Json;
    expect((await leaseFor(mac, (a) => a?.type === 'ACK'))?.yiaddr).toBe(port.fixed_ips[0].ip_address);

    await cli().openstack(['port', 'set', '--no-fixed-ip', '--fixed-ip', 'ip-address=192.168.77.200', port.id]);
    expect((await leaseFor(mac, (a) => a?.yiaddr === '192.168.77.200'))?.yiaddr).toBe('192.168.77.200');

    await cli().openstack(['port', 'delete', port.id]);
    expect(await leaseFor(mac, (a) => a === undefined)).toBeUndefined();
  });
});
