/**
 * DHCP scheduling through the real `openstack` CLI: networks hosted by DHCP agents, the DHCP port, adding and
 * removing networks by hand, Neutron's errors, and a port that goes ACTIVE only once L2 and DHCP are both ready.
 *
 * The appliance runs inside the test process (as in agents.e2e.ts) with its own DHCP agent switched off, so the test
 * plays the DHCP agents: report_state through the server's handler, the DHCP RPC over the real in-process bus.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TYPES, PLUGIN_TOPIC } from '../../libs/rpc/agent-state.contract.js';
import type { DhcpNetworkInfo } from '../../libs/rpc/dhcp-agent.contract.js';
import { AgentHeartbeatsService } from '../../libs/agents-api/agent-heartbeats.service.js';
import { BUS, type Bus } from '../../libs/bus/bus.contract.js';
import { Database } from '../../libs/db/index.js';
import { dhcpDeviceId } from '../../libs/dhcp-scheduler/dhcp-device-id.js';
import { ProvisioningBlockEntity } from '../../libs/plugin/ml2/ml2.entities.js';
import { DHCP_ENTITY, L2_AGENT_ENTITY } from '../../libs/plugin/ml2/provisioning-blocks.js';
import { DIALECTS } from './support/appliance.js';
import { cliFailure, cliFor } from './support/cli.js';
import { adminCredentials, type ApiClient, apiClient, expectNeutronError, issueToken, type Json } from './support/http.js';
import { createProjectUser, type ProjectUser } from './support/identity.js';
import { type InProcessHttp, startHttpInProcess } from './support/in-process-http.js';
import { eventually } from './support/wait.js';

describe.each(DIALECTS)('DHCP scheduling (%s)', (dialect) => {
  let server: InProcessHttp;
  let admin: ApiClient;
  let member: ProjectUser;
  const cli = () => cliFor(server.app);
  const reportDhcp = (host: string) =>
    server.get(AgentHeartbeatsService).reportState({
      agent_state: { ...AGENT_TYPES.dhcp, host, availability_zone: 'nova', configurations: { networks: 0 }, start_flag: true },
      time: new Date().toISOString(),
    });
  const agentId = async (host: string): Promise<string> =>
    (await admin.get(`/v2.0/agents?host=${host}&agent_type=DHCP%20agent&fields=id`)).body.agents[0].id;
  const dhcpPorts = async (network: string) =>
    (await cli().openstack(['port', 'list', '--device-owner', 'network:dhcp', '--network', network, '-f', 'json'])) as Json[];

  beforeAll(async () => {
    server = await startHttpInProcess(dialect, 'dhcp', { APPLIANCE__AGENTS__DHCP__ENABLED: 'false' });
    admin = apiClient(server.app.apiUrl, await issueToken(server.app.identityUrl, adminCredentials()));
    member = await createProjectUser(server.app, admin.token!, { project: 'dhcp-demo', user: 'dhcp-alice' });
    await reportDhcp('dhcp-host-1');
  });
  afterAll(() => server?.close());

  it('hosts a network with a DHCP subnet on a DHCP agent, with a DHCP port at the first address', async () => {
    const net = (await cli().openstack(['network', 'create', 'dhcp-net1', '-f', 'json'])) as Json;
    expect(await cli().openstack(['network', 'agent', 'list', '--network', net.id, '-f', 'json'])).toEqual([]);
    const sub = (await cli().openstack(['subnet', 'create', '--network', net.id, '--subnet-range', '10.20.0.0/24', 'dhcp-sub1', '-f', 'json'])) as Json;
    const agents = (await cli().openstack(['network', 'agent', 'list', '--network', net.id, '-f', 'json'])) as Json[];
    expect(agents).toEqual([expect.objectContaining({ Host: 'dhcp-host-1', 'Agent Type': 'DHCP agent', Alive: true })]);
    const ports = await dhcpPorts(net.id);
    expect(ports).toHaveLength(1);
    expect(ports[0]['Fixed IP Addresses']).toEqual([{ subnet_id: sub.id, ip_address: '10.20.0.2' }]);
    const shown = (await cli().openstack(['port', 'show', ports[0].ID, '-f', 'json'])) as Json;
    expect(shown).toMatchObject({
      device_owner: 'network:dhcp',
      device_id: dhcpDeviceId(net.id, 'dhcp-host-1'),
      project_id: net.project_id,
      binding_host_id: 'dhcp-host-1',
    });
    expect(((await cli().openstack(['network', 'show', net.id, '-f', 'json'])) as Json).availability_zones).toEqual(['nova']);
    // The network can be deleted with its DHCP port.
    await cli().openstack(['subnet', 'delete', sub.id]);
    expect(await dhcpPorts(net.id)).toEqual([]);
    await cli().openstack(['network', 'delete', net.id]);
  });

  it('adds and removes a network with `network agent add/remove network --dhcp`, with Neutron’s errors', async () => {
    await reportDhcp('dhcp-host-2');
    const [first, second] = [await agentId('dhcp-host-1'), await agentId('dhcp-host-2')];
    const net = (await cli().openstack(['network', 'create', 'dhcp-net2', '-f', 'json'])) as Json;
    await cli().openstack(['subnet', 'create', '--network', net.id, '--subnet-range', '10.21.0.0/24', 'dhcp-sub2']);
    const hostsOf = async () => ((await cli().openstack(['network', 'agent', 'list', '--network', net.id, '-f', 'json'])) as Json[]).map((a) => a.Host).sort();
    const [scheduled] = await hostsOf();
    const other = scheduled === 'dhcp-host-1' ? second : first;
    await cli().openstack(['network', 'agent', 'add', 'network', '--dhcp', other, net.id]);
    expect(await hostsOf()).toEqual(['dhcp-host-1', 'dhcp-host-2']);
    expect((await dhcpPorts(net.id)).map((p) => p['Fixed IP Addresses'][0].ip_address).sort()).toEqual(['10.21.0.2', '10.21.0.3']);
    const listed = (await admin.get(`/v2.0/agents/${other}/dhcp-networks`)).body.networks as Json[];
    expect(listed.map((n) => n.id)).toContain(net.id);

    // openstacksdk's Agent.add_agent_to_network posts and returns resp.json() without checking the status, so the
    // CLI exits 0 on Neutron's 409 too; the answer itself is checked over HTTP.
    await cli().openstack(['network', 'agent', 'add', 'network', '--dhcp', other, net.id]);
    expect(await hostsOf()).toEqual(['dhcp-host-1', 'dhcp-host-2']);
    expectNeutronError(
      await admin.post(`/v2.0/agents/${other}/dhcp-networks`, { network_id: net.id }),
      409,
      'NetworkHostedByDHCPAgent',
      `The network ${net.id} has been already hosted by the DHCP Agent ${other}.`,
    );

    await cli().openstack(['network', 'agent', 'remove', 'network', '--dhcp', other, net.id]);
    expect(await hostsOf()).toEqual([scheduled]);
    const left = await dhcpPorts(net.id);
    expect(left).toHaveLength(1);
    expect(((await cli().openstack(['port', 'show', left[0].ID, '-f', 'json'])) as Json).device_id).toBe(dhcpDeviceId(net.id, scheduled));
    expectNeutronError(
      await admin.del(`/v2.0/agents/${other}/dhcp-networks/${net.id}`),
      409,
      'NetworkNotHostedByDhcpAgent',
      `The network ${net.id} is not hosted by the DHCP Agent ${other}.`,
    );

    const l2 = ((await admin.get('/v2.0/agents?agent_type=Linux%20bridge%20agent&host=compute1')).body.agents as Json[])[0];
    expectNeutronError(
      await admin.post(`/v2.0/agents/${l2.id}/dhcp-networks`, { network_id: net.id }),
      404,
      'InvalidDHCPAgent',
      `Agent ${l2.id} is not a valid DHCP Agent or has been disabled.`,
    );
    const unknownAgent = await cliFailure(cli().openstack(['network', 'agent', 'add', 'network', '--dhcp', '00000000-0000-4000-8000-000000000000', net.id]));
    expect(unknownAgent.stderr).toMatch(/could not be found|No Agent found/);
  });

  it('refuses the scheduler API to non-admins (403)', async () => {
    const id = await agentId('dhcp-host-1');
    const alice = apiClient(server.app.apiUrl, member.token);
    const net = (await admin.post('/v2.0/networks', { network: { name: 'dhcp-admin-only' } })).body.network.id;
    expectNeutronError(await alice.get(`/v2.0/agents/${id}/dhcp-networks`), 403, 'PolicyNotAuthorized', 'rule:get_dhcp-networks is disallowed by policy');
    expectNeutronError(await alice.post(`/v2.0/agents/${id}/dhcp-networks`, { network_id: net }), 403, 'PolicyNotAuthorized', 'rule:create_dhcp-network is disallowed by policy');
    expectNeutronError(await alice.get(`/v2.0/networks/${net}/dhcp-agents`), 403, 'PolicyNotAuthorized', 'rule:get_dhcp-agents is disallowed by policy');
    const aliases = ((await admin.get('/v2.0/extensions')).body.extensions as Json[]).map((e) => e.alias);
    expect(aliases).toContain('dhcp_agent_scheduler');
  });

  it('makes a VM port ACTIVE only once the L2 agent wired it and the DHCP agent serves it', async () => {
    const net = (await cli().openstack(['network', 'create', 'dhcp-net3', '-f', 'json'])) as Json;
    await cli().openstack(['subnet', 'create', '--network', net.id, '--subnet-range', '10.22.0.0/24', 'dhcp-sub3']);
    const [host] = ((await cli().openstack(['network', 'agent', 'list', '--network', net.id, '-f', 'json'])) as Json[]).map((a) => a.Host);
    const port = (await cli().openstack([
      'port', 'create', '--network', net.id, '--host', 'compute1', '--device-owner', 'compute:nova',
      '--device', '7f0c3d8e-0000-4000-8000-00000000aa01', 'vm-port', '-f', 'json',
    ])) as Json;
    expect(port.binding_vif_type).toBe('bridge');
    const statusOf = async () => ((await cli().openstack(['port', 'show', port.id, '-f', 'json'])) as Json).status;
    // The in-process L2 agent on compute1 wires the port (its L2 block goes); the DHCP block still holds it back.
    const blocks = () => server.get(Database).read(async (em) => (await em.getRepository(ProvisioningBlockEntity).findBy({ port_id: port.id })).map((b) => b.entity));
    expect(await eventually(blocks, (left) => !left.includes(L2_AGENT_ENTITY))).toEqual([DHCP_ENTITY]);
    expect(await statusOf()).not.toBe('ACTIVE');
    const [info] = (await server.get<Bus>(BUS).call<DhcpNetworkInfo[]>(PLUGIN_TOPIC, 'get_active_networks_info', { host })).filter((n) => n.id === net.id);
    expect(info.ports.map((p) => p.id)).toContain(port.id);
    await server.get<Bus>(BUS).call(PLUGIN_TOPIC, 'dhcp_ready_on_ports', { port_ids: [port.id] });
    expect(await eventually(statusOf, (status) => status === 'ACTIVE')).toBe('ACTIVE');
  });
});
