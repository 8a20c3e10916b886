/**
 * /v2.0/agents through the real `openstack` CLI and HTTP.
 *
 * The appliance here runs inside the test process (the same composition as apps/appliance/main.ts, on free ports),
 * so the test can play the agents: it hands report_state payloads to the server's handler, the very function the
 * bus subscription calls. Everything else (HTTP, Keystone, policy, the CLI) is the real thing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TYPES, type AgentState } from '../../libs/rpc/agent-state.contract.js';
import { AgentHeartbeatsService } from '../../libs/agents-api/agent-heartbeats.service.js';
import { DIALECTS } from './support/appliance.js';
import { cliFailure, cliFor } from './support/cli.js';
import { adminCredentials, type ApiClient, apiClient, expectNeutronError, expectStatus, issueToken, type Json } from './support/http.js';
import { createProjectUser, type ProjectUser } from './support/identity.js';
import { type InProcessHttp, startHttpInProcess } from './support/in-process-http.js';

const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

function agentState(kind: keyof typeof AGENT_TYPES, host: string, extra: Partial<AgentState> = {}): AgentState {
  return { ...AGENT_TYPES[kind], host, configurations: { devices: 0 }, start_flag: true, ...extra };
}

describe.each(DIALECTS)('agents (%s)', (dialect) => {
  let server: InProcessHttp;
  let admin: ApiClient;
  let member: ProjectUser;
  const cli = () => cliFor(server.app);
  const report = async (state: AgentState, at?: Date) => server.get(AgentHeartbeatsService).reportState({ agent_state: state, time: new Date().toISOString() }, at);
  const agentId = async (host: string, type: string): Promise<string> => {
    const res = await admin.get(`/v2.0/agents?host=${host}&agent_type=${encodeURIComponent(type)}&fields=id`);
    expect(res.body.agents).toHaveLength(1);
    return res.body.agents[0].id;
  };

  beforeAll(async () => {
    server = await startHttpInProcess(dialect, 'agents', {
      // The test plays every agent itself: the appliance's own L2, DHCP, L3 and metering agents stay off.
      APPLIANCE__AGENTS__L2__ENABLED: 'false',
      APPLIANCE__AGENTS__DHCP__ENABLED: 'false',
      APPLIANCE__AGENTS__L3__ENABLED: 'false',
      APPLIANCE__AGENTS__METERING__ENABLED: 'false',
    });
    const token = await issueToken(server.app.identityUrl, adminCredentials());
    admin = apiClient(server.app.apiUrl, token);
    member = await createProjectUser(server.app, token, { project: 'agents-demo', user: 'agents-alice' });
    await report(agentState('l2', 'node1', { configurations: { interface_mappings: { physnet1: 'eth1' }, tunnel_types: ['vxlan'] } }));
    await report(agentState('dhcp', 'node1', { availability_zone: 'nova', configurations: { networks: 2 } }));
    await report(agentState('l2', 'compute1'));
    // Its last heartbeat is older than agent_down_time (75 s).
    await report(agentState('l3', 'gone1', { availability_zone: 'nova' }), new Date(Date.now() - 120_000));
  });
  afterAll(() => server?.close());

  it('lists every agent with `openstack network agent list`, alive or not', async () => {
    const rows = (await cli().openstack(['network', 'agent', 'list', '-f', 'json'])) as Json[];
    const byHostType = Object.fromEntries(rows.map((r) => [`${r.Host}/${r['Agent Type']}`, r]));
    expect(Object.keys(byHostType).sort()).toEqual(['compute1/Linux bridge agent', 'gone1/L3 agent', 'node1/DHCP agent', 'node1/Linux bridge agent']);
    expect(byHostType['node1/Linux bridge agent']).toMatchObject({ Alive: true, State: true, Binary: 'neutron-linuxbridge-agent', 'Availability Zone': null });
    expect(byHostType['node1/DHCP agent']).toMatchObject({ Alive: true, 'Availability Zone': 'nova', Binary: 'neutron-dhcp-agent' });
    expect(byHostType['gone1/L3 agent']).toMatchObject({ Alive: false, State: true });
  });

  it('filters by the CLI’s --agent-type and --host', async () => {
    const l2 = (await cli().openstack(['network', 'agent', 'list', '--agent-type', 'linux-bridge', '-f', 'json'])) as Json[];
    expect(l2.map((r) => r.Host).sort()).toEqual(['compute1', 'node1']);
    const onNode1 = (await cli().openstack(['network', 'agent', 'list', '--host', 'node1', '-f', 'json'])) as Json[];
    expect(onNode1.map((r) => r['Agent Type']).sort()).toEqual(['DHCP agent', 'Linux bridge agent']);
  });

  it('shows an agent with Neutron’s attributes and timestamp format', async () => {
    const id = await agentId('node1', 'Linux bridge agent');
    const shown = (await cli().openstack(['network', 'agent', 'show', id, '-f', 'json'])) as Json;
    expect(shown).toMatchObject({
      id,
      agent_type: 'Linux bridge agent',
      binary: 'neutron-linuxbridge-agent',
      host: 'node1',
      topic: 'N/A',
      alive: true,
      admin_state_up: true,
      configuration: { interface_mappings: { physnet1: 'eth1' }, tunnel_types: ['vxlan'] },
      last_heartbeat_at: expect.stringMatching(TIMESTAMP),
    });
    const raw = (await admin.get(`/v2.0/agents/${id}`)).body.agent;
    expect(Object.keys(raw).sort()).toEqual(
      [
        'admin_state_up', 'agent_type', 'alive', 'availability_zone', 'binary', 'configurations', 'created_at', 'description',
        'heartbeat_timestamp', 'host', 'id', 'resources_synced', 'started_at', 'topic',
      ].sort(),
    );
    for (const key of ['created_at', 'started_at', 'heartbeat_timestamp']) expect(raw[key]).toMatch(TIMESTAMP);
    expect(raw).toMatchObject({ description: null, availability_zone: null, resources_synced: null });
    expect(raw).not.toHaveProperty('load');
  });

  it('disables an agent and sets its description with `openstack network agent set`', async () => {
    const id = await agentId('compute1', 'Linux bridge agent');
    await cli().openstack(['network', 'agent', 'set', '--disable', '--description', 'draining', id]);
    const shown = (await admin.get(`/v2.0/agents/${id}`)).body.agent;
    expect(shown).toMatchObject({ admin_state_up: false, description: 'draining', alive: true });
    // A heartbeat does not re-enable it: admin_state_up is the operator's.
    expect(await report(agentState('l2', 'compute1', { start_flag: false }))).toBe('alive');
    expect((await admin.get(`/v2.0/agents/${id}`)).body.agent.admin_state_up).toBe(false);
    await cli().openstack(['network', 'agent', 'set', '--enable', id]);
    expect((await admin.get(`/v2.0/agents/${id}`)).body.agent).toMatchObject({ admin_state_up: true, description: 'draining' });
  });

  it('filters on alive in SQL, on admin_state_up and availability_zone, and refuses sorting', async () => {
    const hosts = async (query: string) => ((await admin.get(`/v2.0/agents?${query}`)).body.agents as Json[]).map((a) => `${a.host}/${a.topic}`).sort();
    expect(await hosts('alive=False')).toEqual(['gone1/l3_agent']);
    expect(await hosts('alive=true&host=node1')).toEqual(['node1/N/A', 'node1/dhcp_agent']);
    expect(await hosts('availability_zone=nova')).toEqual(['gone1/l3_agent', 'node1/dhcp_agent']);
    expect(await hosts('admin_state_up=False')).toEqual([]);
    expect(await hosts('binary=neutron-dhcp-agent&binary=neutron-l3-agent')).toEqual(['gone1/l3_agent', 'node1/dhcp_agent']);
    expect(await hosts('topic=N/A&id=00000000-0000-4000-8000-000000000000')).toEqual([]);
    expectNeutronError(await admin.get('/v2.0/agents?alive=maybe'), 400, 'InvalidInput', "Invalid input for operation: 'maybe' cannot be converted to boolean.");
    expectNeutronError(await admin.get('/v2.0/agents?load=0'), 400, 'HTTPBadRequest', "['load'] is invalid attribute for filtering");
    expectNeutronError(await admin.get('/v2.0/agents?sort_key=host&sort_dir=asc'), 400, 'HTTPBadRequest', "['host'] is invalid attribute for sort_keys");
  });

  it('reports a dead agent alive again once it reports, as revived', async () => {
    expect(await report(agentState('l3', 'gone1', { start_flag: false }))).toBe('revived');
    expect((await admin.get('/v2.0/agents?host=gone1')).body.agents[0].alive).toBe(true);
    await report(agentState('l3', 'gone1'), new Date(Date.now() - 120_000));
    expect((await admin.get('/v2.0/agents?host=gone1')).body.agents[0].alive).toBe(false);
  });

  it('refuses what the agents API does not allow', async () => {
    const id = await agentId('node1', 'DHCP agent');
    expectNeutronError(await admin.put(`/v2.0/agents/${id}`, { agent: { host: 'x' } }), 400, 'HTTPBadRequest', 'Cannot update read-only attribute host');
    expectNeutronError(
      await admin.put(`/v2.0/agents/${id}`, { agent: { description: 'd'.repeat(256) } }),
      400,
      'HTTPBadRequest',
      `Invalid input for description. Reason: '${'d'.repeat(256)}' exceeds maximum length of 255.`,
    );
    expectStatus(await admin.put(`/v2.0/agents/${id}`, { agent: { description: null } }), 200);
    expectNeutronError(await admin.post('/v2.0/agents', { agent: { host: 'x' } }), 400, 'HTTPBadRequest', "Attribute 'host' not allowed in POST");
    expectStatus(await admin.post('/v2.0/agents', { agent: {} }), 405);
  });

  it('shows agents to admins only: empty list, and 404 AgentNotFound for the rest', async () => {
    const id = await agentId('node1', 'DHCP agent');
    expect(await cli().openstack(['network', 'agent', 'list', '-f', 'json'], { user: member.user, password: member.password, project: member.project })).toEqual([]);
    const alice = apiClient(server.app.apiUrl, member.token);
    const notFound = `Agent ${id} could not be found.`;
    expectNeutronError(await alice.get(`/v2.0/agents/${id}`), 404, 'AgentNotFound', notFound);
    expectNeutronError(await alice.put(`/v2.0/agents/${id}`, { agent: { admin_state_up: false } }), 404, 'AgentNotFound', notFound);
    expectNeutronError(await alice.del(`/v2.0/agents/${id}`), 404, 'AgentNotFound', notFound);
    expect((await admin.get(`/v2.0/agents/${id}`)).body.agent.admin_state_up).toBe(true);
  });

  it('deletes an agent with `openstack network agent delete`; an unknown one is 404', async () => {
    const id = await agentId('gone1', 'L3 agent');
    await cli().openstack(['network', 'agent', 'delete', id]);
    expectNeutronError(await admin.get(`/v2.0/agents/${id}`), 404, 'AgentNotFound', `Agent ${id} could not be found.`);
    const failure = await cliFailure(cli().openstack(['network', 'agent', 'delete', id]));
    expect(failure.stderr).toContain(`Agent ${id} could not be found`);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectNeutronError(await admin.del(`/v2.0/agents/${unknown}`), 404, 'AgentNotFound', `Agent ${unknown} could not be found.`);
    // The agent comes back as a new row when it reports again.
    await report(agentState('l3', 'gone1'));
    expect(await agentId('gone1', 'L3 agent')).not.toBe(id);
  });

  it('lists the agent extensions', async () => {
    const aliases = ((await admin.get('/v2.0/extensions')).body.extensions as Json[]).map((e) => e.alias);
    expect(aliases).toEqual(expect.arrayContaining(['agent', 'availability_zone', 'agent-resources-synced']));
  });
});
