import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TYPES, PLUGIN_TOPIC } from '../rpc/agent-state.contract.js';
import { dhcpAgentTopic, type DhcpNetworkInfo } from '../rpc/dhcp-agent.contract.js';
import type { AuthContext } from '../identity/auth-context.js';
import { SPEC_DIALECTS } from '../db/testing/scratch-database.js';
import { dhcpDeviceId } from './dhcp-device-id.js';
import { ADMIN, type DhcpHarness, type Json, openDhcpHarness } from './testing/dhcp-harness.js';

const OWNER = 'owner-project';
const MEMBER: AuthContext = { ...ADMIN, user_id: 'alice', user_name: 'alice', project_id: OWNER, roles: ['member', 'reader'], is_admin: false };

describe.each(SPEC_DIALECTS)('DHCP scheduling and the DHCP port (%s)', (dialect) => {
  let h: DhcpHarness;
  let hosts = 0;
  const notices: { host: string; method: string; network_id: string; port?: Json; port_id?: string }[] = [];
  const newHost = async (az = 'nova') => {
    const host = `dhcp-${dialect}-${++hosts}`;
    await h.reportDhcpAgent(host, { availability_zone: az });
    await h.bus.subscribe(dhcpAgentTopic(host), {
      network_update: (p) => void notices.push({ host, method: 'network_update', ...(p as { network_id: string }) }),
      network_remove: (p) => void notices.push({ host, method: 'network_remove', ...(p as { network_id: string }) }),
      port_update: (p) => void notices.push({ host, method: 'port_update', ...(p as { network_id: string }) }),
      port_delete: (p) => void notices.push({ host, method: 'port_delete', ...(p as { network_id: string }) }),
    });
    return host;
  };
  const agentId = async (host: string) => (await h.call('GET', '/agents')).body.agents.find((a: Json) => a.host === host && a.agent_type === 'DHCP agent').id as string;
  const network = async (extra: Json = {}) => (await h.call('POST', '/networks', { network: { name: 'n', project_id: OWNER, ...extra } })).body.network.id as string;
  const subnet = async (networkId: string, cidr: string, extra: Json = {}) => {
    const res = await h.call('POST', '/subnets', { subnet: { network_id: networkId, cidr, ip_version: 4, project_id: OWNER, ...extra } });
    expect(res.status).toBe(201);
    return res.body.subnet.id as string;
  };
  const dhcpPorts = async (networkId: string) =>
    ((await h.call('GET', '/ports')).body.ports as Json[]).filter((p) => p.network_id === networkId && p.device_owner === 'network:dhcp');
  const agentsOf = async (networkId: string) => ((await h.call('GET', `/networks/${networkId}/dhcp-agents`)).body.agents as Json[]).map((a) => a.host);
  /** A network hosted by the agent on `host`, added by hand (automatic scheduling would pick the least loaded). */
  const hostedNetwork = async (host: string) => {
    const net = await network();
    expect((await h.call('POST', `/agents/${await agentId(host)}/dhcp-networks`, { network_id: net })).status).toBe(201);
    return net;
  };
  /** Every notice cast so far has reached the stand-in agents (the in-process bus delivers on a later turn). */
  const settle = async () => {
    await h.noticesSent();
    await new Promise((r) => setTimeout(r, 20));
  };
  const rpc = <T>(method: string, payload: unknown) => h.bus.call<T>(PLUGIN_TOPIC, method, payload);

  beforeAll(async () => {
    h = await openDhcpHarness(dialect);
  });
  afterAll(() => h?.close());

  it('schedules a network on its first DHCP subnet and gives it a DHCP port at the lowest free address', async () => {
    const host = await newHost();
    const net = await network();
    expect(await agentsOf(net)).toEqual([]);
    const sub = await subnet(net, '10.1.0.0/24');
    expect(await agentsOf(net)).toEqual([host]);
    const [port, ...others] = await dhcpPorts(net);
    expect(others).toEqual([]);
    expect(port).toMatchObject({
      device_owner: 'network:dhcp',
      device_id: dhcpDeviceId(net, host),
      tenant_id: OWNER,
      project_id: OWNER,
      'binding:host_id': host,
      fixed_ips: [{ subnet_id: sub, ip_address: '10.1.0.2' }],
    });
    expect((await h.call('GET', `/networks/${net}`)).body.network.availability_zones).toEqual(['nova']);
    // The next port of the network gets the next address.
    const user = await h.call('POST', '/ports', { port: { network_id: net, project_id: OWNER } });
    expect(user.body.port.fixed_ips[0].ip_address).toBe('10.1.0.3');
  });

  it('takes the first address of the allocation pool, and ignores subnets without DHCP until DHCP is enabled', async () => {
    await newHost();
    const net = await network();
    const off = await subnet(net, '10.2.0.0/24', { enable_dhcp: false });
    expect(await agentsOf(net)).toEqual([]);
    expect(await dhcpPorts(net)).toEqual([]);
    const pooled = await subnet(net, '10.3.0.0/24', { allocation_pools: [{ start: '10.3.0.50', end: '10.3.0.60' }] });
    expect((await dhcpPorts(net))[0].fixed_ips).toEqual([{ subnet_id: pooled, ip_address: '10.3.0.50' }]);
    await h.call('PUT', `/subnets/${off}`, { subnet: { enable_dhcp: true } });
    expect((await dhcpPorts(net))[0].fixed_ips.map((ip: Json) => ip.ip_address).sort()).toEqual(['10.2.0.2', '10.3.0.50']);
    await h.call('PUT', `/subnets/${pooled}`, { subnet: { enable_dhcp: false } });
    expect((await dhcpPorts(net))[0].fixed_ips).toEqual([{ subnet_id: off, ip_address: '10.2.0.2' }]);
    await h.call('PUT', `/subnets/${off}`, { subnet: { enable_dhcp: false } });
    expect(await dhcpPorts(net)).toEqual([]);
    expect(await agentsOf(net)).toHaveLength(1); // the binding stays, as in Neutron
  });

  it('never lets the DHCP port block a subnet or network delete', async () => {
    await newHost();
    const net = await network();
    const sub = await subnet(net, '10.4.0.0/24');
    expect(await dhcpPorts(net)).toHaveLength(1);
    expect((await h.call('DELETE', `/subnets/${sub}`)).status).toBe(204);
    expect(await dhcpPorts(net)).toEqual([]);
    await subnet(net, '10.4.0.0/24');
    expect(await dhcpPorts(net)).toHaveLength(1);
    expect((await h.call('DELETE', `/networks/${net}`)).status).toBe(204);
    expect(await dhcpPorts(net)).toEqual([]);
  });

  it('picks the least loaded alive, enabled agent in the network’s zone hints', async () => {
    const fresh = await openDhcpHarness(dialect);
    try {
      await fresh.reportDhcpAgent('az1-a', { availability_zone: 'az1' });
      await fresh.reportDhcpAgent('az1-b', { availability_zone: 'az1' });
      await fresh.reportDhcpAgent('nova-a', { availability_zone: 'nova' });
      await fresh.reportDhcpAgent('dead', { availability_zone: 'nova' }, new Date(Date.now() - 600_000));
      const hostOf = async (hints: string[]) => {
        const net = (await fresh.call('POST', '/networks', { network: { name: 'z', project_id: OWNER, availability_zone_hints: hints } })).body.network.id;
        await fresh.call('POST', '/subnets', { subnet: { network_id: net, cidr: '10.5.0.0/24', ip_version: 4, project_id: OWNER } });
        const agents = (await fresh.call('GET', `/networks/${net}/dhcp-agents`)).body.agents as Json[];
        expect(agents).toHaveLength(1);
        return agents[0].host as string;
      };
      const inNova = [await hostOf(['nova']), await hostOf(['nova'])];
      expect(inNova).toEqual(['nova-a', 'nova-a']); // the dead agent never gets one
      const anywhere = [await hostOf([]), await hostOf([]), await hostOf([])];
      // az1-a and az1-b host none yet, nova-a two: the next ones go to the least loaded.
      expect(anywhere.slice(0, 2).sort()).toEqual(['az1-a', 'az1-b']);
      expect(anywhere[2]).not.toBe('nova-a');
    } finally {
      await fresh.close();
    }
  });

  it('schedules waiting networks when a DHCP agent syncs (get_active_networks_info) and answers with them in full', async () => {
    const fresh = await openDhcpHarness(dialect);
    try {
      const net = (await fresh.call('POST', '/networks', { network: { name: 'w', project_id: OWNER } })).body.network.id;
      const sub = (await fresh.call('POST', '/subnets', { subnet: { network_id: net, cidr: '192.168.7.0/24', ip_version: 4, project_id: OWNER } })).body.subnet.id;
      const user = (await fresh.call('POST', '/ports', { port: { network_id: net, project_id: OWNER, extra_dhcp_opts: [{ opt_name: 'mtu', opt_value: '1400' }] } })).body.port;
      expect(user.fixed_ips[0].ip_address).toBe('192.168.7.2'); // no agent yet: the user port came first
      await fresh.reportDhcpAgent('late-host');
      const infos = await fresh.bus.call<DhcpNetworkInfo[]>(PLUGIN_TOPIC, 'get_active_networks_info', { host: 'late-host' });
      expect(infos).toHaveLength(1);
      const [info] = infos;
      expect(info).toMatchObject({ id: net, project_id: OWNER, mtu: 1450, admin_state_up: true });
      expect(info.subnets).toEqual([expect.objectContaining({ id: sub, cidr: '192.168.7.0/24', gateway_ip: '192.168.7.1', enable_dhcp: true })]);
      expect(info.dhcp_port).toMatchObject({ device_id: dhcpDeviceId(net, 'late-host'), fixed_ips: [{ subnet_id: sub, ip_address: '192.168.7.3' }] });
      expect(info.ports.map((p) => p.id).sort()).toEqual([user.id, info.dhcp_port!.id].sort());
      expect(info.ports.find((p) => p.id === user.id)?.extra_dhcp_opts).toEqual([{ opt_name: 'mtu', opt_value: '1400', ip_version: 4 }]);
      expect(await fresh.bus.call(PLUGIN_TOPIC, 'get_network_info', { host: 'late-host', network_id: net })).toEqual(info);
      expect(await fresh.bus.call(PLUGIN_TOPIC, 'get_network_info', { host: 'other', network_id: net })).toBeNull();
      await expect(fresh.bus.call(PLUGIN_TOPIC, 'get_network_info', { network_id: net })).rejects.toThrow('host must be a non-empty string');
    } finally {
      await fresh.close();
    }
  });

  it('keeps the network scheduled without a port when no address is left, and does not fail the sync', async () => {
    const fresh = await openDhcpHarness(dialect);
    try {
      const net = (await fresh.call('POST', '/networks', { network: { name: 'full', project_id: OWNER } })).body.network.id;
      const pool = [{ start: '10.9.0.5', end: '10.9.0.5' }];
      await fresh.call('POST', '/subnets', { subnet: { network_id: net, cidr: '10.9.0.0/24', ip_version: 4, project_id: OWNER, allocation_pools: pool } });
      expect((await fresh.call('POST', '/ports', { port: { network_id: net, project_id: OWNER } })).status).toBe(201);
      await fresh.reportDhcpAgent('full-host');
      const [info] = await fresh.bus.call<DhcpNetworkInfo[]>(PLUGIN_TOPIC, 'get_active_networks_info', { host: 'full-host' });
      expect(info.id).toBe(net);
      expect(info.dhcp_port).toBeNull();
    } finally {
      await fresh.close();
    }
  });

  it('holds a port back from ACTIVE until both the L2 agent and the DHCP agent are done', async () => {
    const host = await newHost();
    const l2Host = `compute-${dialect}`;
    await h.reportDhcpAgent(l2Host, { ...AGENT_TYPES.l2, configurations: { interface_mappings: {}, tunnel_types: ['vxlan', 'geneve'] } });
    const net = await hostedNetwork(host);
    await subnet(net, '10.6.0.0/24');
    const vm = { project_id: OWNER, device_owner: 'compute:nova', device_id: '1d2e3f40-0000-4000-8000-000000000001', 'binding:host_id': l2Host };
    const port = (await h.call('POST', '/ports', { port: { network_id: net, ...vm } })).body.port;
    expect(port['binding:vif_type']).toBe('bridge');
    await rpc('update_device_up', { device: port.id, agent_id: 'l2', host: l2Host });
    expect((await h.call('GET', `/ports/${port.id}`)).body.port.status).toBe('DOWN');
    await rpc('dhcp_ready_on_ports', { port_ids: [port.id] });
    expect((await h.call('GET', `/ports/${port.id}`)).body.port.status).toBe('ACTIVE');
    // A network no DHCP agent hosts adds no DHCP block.
    const quiet = await network();
    await subnet(quiet, '10.7.0.0/24', { enable_dhcp: false });
    const other = (await h.call('POST', '/ports', { port: { network_id: quiet, ...vm } })).body.port;
    await rpc('update_device_up', { device: other.id, agent_id: 'l2', host: l2Host });
    expect((await h.call('GET', `/ports/${other.id}`)).body.port.status).toBe('ACTIVE');
  });

  it('takes a port without a DHCP block ACTIVE when bound (Neutron’s provisioning_complete), and leaves the others as they are', async () => {
    const l2Host = `compute-noblock-${dialect}`;
    await h.reportDhcpAgent(l2Host, { ...AGENT_TYPES.l2, configurations: { interface_mappings: {}, tunnel_types: ['vxlan', 'geneve'] } });
    const net = await network();
    await subnet(net, '10.8.0.0/24', { enable_dhcp: false });
    const show = async (id: string) => (await h.call('GET', `/ports/${id}`)).body.port;
    // A service port (no provisioning block of any kind) bound to a host, and a port bound nowhere.
    const service = (await h.call('POST', '/ports', { port: { network_id: net, device_owner: 'network:dhcp', device_id: 'dhcp-x', 'binding:host_id': l2Host } })).body.port;
    const unbound = (await h.call('POST', '/ports', { port: { network_id: net } })).body.port;
    expect([service.status, unbound.status]).toEqual(['DOWN', 'DOWN']);
    await rpc('dhcp_ready_on_ports', { port_ids: [service.id, unbound.id] });
    expect(await show(service.id)).toMatchObject({ status: 'ACTIVE', revision_number: service.revision_number + 1 });
    expect(await show(unbound.id)).toMatchObject({ status: 'DOWN', revision_number: unbound.revision_number });
    await rpc('dhcp_ready_on_ports', { port_ids: [service.id, unbound.id] });
    expect(await show(service.id)).toMatchObject({ status: 'ACTIVE', revision_number: service.revision_number + 1 });
  });

  it('adds and removes networks by hand with Neutron’s errors, and tells the agents', async () => {
    const [a, b] = [await newHost(), await newHost()];
    const [idA, idB] = [await agentId(a), await agentId(b)];
    const net = await network();
    await h.call('POST', `/agents/${idA}/dhcp-networks`, { network_id: net }); // no subnet yet: hosted, no port
    expect(await agentsOf(net)).toEqual([a]);
    expect(await dhcpPorts(net)).toEqual([]);
    await subnet(net, '10.8.0.0/24');
    expect(await agentsOf(net)).toEqual([a]); // dhcp_agents_per_network = 1 is already met
    const added = await h.call('POST', `/agents/${idB}/dhcp-networks`, { network_id: net });
    expect(added).toEqual({ status: 201, body: null });
    expect((await agentsOf(net)).sort()).toEqual([a, b].sort());
    expect((await dhcpPorts(net)).map((p) => p.device_id).sort()).toEqual([dhcpDeviceId(net, a), dhcpDeviceId(net, b)].sort());
    expect((await h.call('GET', `/agents/${idB}/dhcp-networks`)).body.networks.map((n: Json) => n.id)).toContain(net);

    expect(await h.call('POST', `/agents/${idB}/dhcp-networks`, { network_id: net })).toEqual({
      status: 409,
      body: { NeutronError: { type: 'NetworkHostedByDHCPAgent', message: `The network ${net} has been already hosted by the DHCP Agent ${idB}.` } },
    });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await h.call('POST', `/agents/${idB}/dhcp-networks`, { network_id: unknown })).body.NeutronError.type).toBe('NetworkNotFound');
    expect((await h.call('POST', `/agents/${unknown}/dhcp-networks`, { network_id: net })).body.NeutronError).toEqual({
      type: 'AgentNotFound',
      message: `Agent ${unknown} could not be found.`,
    });
    await h.call('PUT', `/agents/${idA}`, { agent: { admin_state_up: false } });
    const other = await network();
    expect(await h.call('POST', `/agents/${idA}/dhcp-networks`, { network_id: other })).toEqual({
      status: 404,
      body: { NeutronError: { type: 'InvalidDHCPAgent', message: `Agent ${idA} is not a valid DHCP Agent or has been disabled.` } },
    });
    await h.call('PUT', `/agents/${idA}`, { agent: { admin_state_up: true } });

    await settle();
    notices.length = 0;
    expect((await h.call('DELETE', `/agents/${idB}/dhcp-networks/${net}`)).status).toBe(204);
    expect(await agentsOf(net)).toEqual([a]);
    expect((await dhcpPorts(net)).map((p) => p.device_id)).toEqual([dhcpDeviceId(net, a)]);
    expect(await h.call('DELETE', `/agents/${idB}/dhcp-networks/${net}`)).toEqual({
      status: 409,
      body: { NeutronError: { type: 'NetworkNotHostedByDhcpAgent', message: `The network ${net} is not hosted by the DHCP Agent ${idB}.` } },
    });
    await settle();
    expect(notices).toEqual(
      expect.arrayContaining([
        { host: b, method: 'network_remove', network_id: net },
        { host: a, method: 'network_update', network_id: net },
      ]),
    );
    expect(notices.filter((n) => n.host === b && n.method === 'network_update')).toEqual([]);
  });

  it('tells the hosting agent about each port (with the port, no refetch needed) and about network deletion', async () => {
    const host = await newHost();
    const net = await hostedNetwork(host);
    await subnet(net, '10.10.0.0/24');
    await settle();
    notices.length = 0;
    const port = (await h.call('POST', '/ports', { port: { network_id: net, project_id: OWNER } })).body.port;
    await settle();
    const asAgentSeesIt = (p: Json) => ({
      id: p.id,
      mac_address: p.mac_address,
      device_owner: p.device_owner,
      device_id: p.device_id,
      admin_state_up: p.admin_state_up,
      fixed_ips: p.fixed_ips,
      extra_dhcp_opts: p.extra_dhcp_opts,
    });
    expect(notices).toEqual([{ host, method: 'port_update', network_id: net, port: asAgentSeesIt(port) }]);
    notices.length = 0;
    const opts = [{ opt_name: 'tftp-server', opt_value: '10.10.0.9', ip_version: 4 }];
    const updated = (await h.call('PUT', `/ports/${port.id}`, { port: { extra_dhcp_opts: opts } })).body.port;
    await settle();
    expect(notices).toEqual([{ host, method: 'port_update', network_id: net, port: asAgentSeesIt(updated) }]);
    expect(notices[0].port?.extra_dhcp_opts).toEqual(opts);
    notices.length = 0;
    await h.call('DELETE', `/ports/${port.id}`);
    await settle();
    expect(notices).toEqual([{ host, method: 'port_delete', network_id: net, port_id: port.id }]);
    notices.length = 0;
    await h.call('DELETE', `/networks/${net}`);
    await settle();
    expect(notices).toEqual(expect.arrayContaining([{ host, method: 'network_remove', network_id: net }]));
  });

  it('sends one port_update per port of a bulk create, never a network refetch', async () => {
    const host = await newHost();
    const net = await hostedNetwork(host);
    await subnet(net, '10.11.0.0/24');
    await settle();
    notices.length = 0;
    const created = await h.call('POST', '/ports', { ports: Array.from({ length: 5 }, () => ({ network_id: net, project_id: OWNER })) });
    await settle();
    const ids = (created.body.ports as Json[]).map((p) => p.id).sort();
    expect(notices.map((n) => n.method)).toEqual(Array(5).fill('port_update'));
    expect(notices.map((n) => n.port?.id).sort()).toEqual(ids);
  });

  it('is admin only', async () => {
    const id = await agentId(await newHost());
    const net = await network();
    const denied = (action: string) => ({ status: 403, body: { NeutronError: { type: 'PolicyNotAuthorized', message: `rule:${action} is disallowed by policy` } } });
    expect(await h.call('GET', `/agents/${id}/dhcp-networks`, undefined, MEMBER)).toEqual(denied('get_dhcp-networks'));
    expect(await h.call('POST', `/agents/${id}/dhcp-networks`, { network_id: net }, MEMBER)).toEqual(denied('create_dhcp-network'));
    expect(await h.call('DELETE', `/agents/${id}/dhcp-networks/${net}`, undefined, MEMBER)).toEqual(denied('delete_dhcp-network'));
    expect(await h.call('GET', `/networks/${net}/dhcp-agents`, undefined, MEMBER)).toEqual(denied('get_dhcp-agents'));
  });
});

describe.runIf(SPEC_DIALECTS.includes('postgres'))('two DHCP agents syncing at once (postgres)', () => {
  it('binds a network to only dhcp_agents_per_network of them', async () => {
    const h = await openDhcpHarness('postgres');
    try {
      const nets: string[] = [];
      for (let i = 0; i < 3; i++) {
        const net = (await h.call('POST', '/networks', { network: { name: `r${i}`, project_id: OWNER } })).body.network.id;
        await h.call('POST', '/subnets', { subnet: { network_id: net, cidr: '10.0.0.0/24', ip_version: 4, project_id: OWNER } });
        nets.push(net);
      }
      await Promise.all(['race-a', 'race-b', 'race-c'].map((host) => h.reportDhcpAgent(host)));
      await Promise.all(['race-a', 'race-b', 'race-c'].map((host) => h.bus.call(PLUGIN_TOPIC, 'get_active_networks_info', { host })));
      for (const net of nets) {
        expect((await h.call('GET', `/networks/${net}/dhcp-agents`)).body.agents).toHaveLength(1);
        const ports = ((await h.call('GET', '/ports')).body.ports as Json[]).filter((p) => p.network_id === net);
        expect(ports).toHaveLength(1);
      }
    } finally {
      await h.close();
    }
  });
});
