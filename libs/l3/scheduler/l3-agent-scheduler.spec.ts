// Routers on L3 agents as an admin and a stand-in L3 agent see them: least-routers scheduling, the
// l3_agent_scheduler API and its errors, sync_routers' payload over the in-process bus (ports bound to the agent's
// host), update_floatingip_statuses, and the notices a router's changes cast to its agent.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorOf, type Json, member, newProject, useCoreHarness } from '../../../test/support/core-harness.js';
import { AgentHeartbeatsService } from '../../agents-api/agent-heartbeats.service.js';
import { Database } from '../../db/index.js';
import { BUS, type Bus, type Subscription } from '../../bus/bus.contract.js';
import { AGENT_TYPES, PLUGIN_TOPIC } from '../../rpc/agent-state.contract.js';
import { l3AgentTopic, type L3RouterInfo } from '../../rpc/l3-agent.contract.js';
import { L3AgentNotifier } from '../rpc/l3-agent-notifier.js';

interface Notice {
  method: string;
  payload: Json;
}

describe('l3_agent_scheduler and the L3 agent RPC', () => {
  const h = useCoreHarness('l3_scheduler_spec');
  const subscriptions: Subscription[] = [];
  const bus = () => h().app.get<Bus>(BUS);
  const settled = () => h().app.get(L3AgentNotifier).idle();

  afterEach(async () => {
    for (const s of subscriptions.splice(0)) await s.close();
    // Every agent of a test goes down afterwards: later tests schedule on their own agents only.
    const agents = (await h().call('GET', 'agents')).body.agents as Json[];
    for (const a of agents) if (a.admin_state_up) await h().call('PUT', `agents/${a.id}`, { body: { agent: { admin_state_up: false } } });
  });

  /** A stand-in L3 agent on `host`: reports once, records what the server casts to it. */
  const agent = async (host: string, type: 'l3' | 'dhcp' = 'l3') => {
    await h().app.get(AgentHeartbeatsService).reportState({
      agent_state: { ...AGENT_TYPES[type], host, configurations: type === 'l3' ? { agent_mode: 'legacy' } : { networks: 0 }, availability_zone: 'nova' },
      time: new Date().toISOString(),
    });
    const listed = (await h().call('GET', 'agents', { query: { host, agent_type: AGENT_TYPES[type].agent_type } })).body.agents as Json[];
    const notices: Notice[] = [];
    const methods = ['routers_updated', 'router_deleted', 'router_added_to_agent', 'router_removed_from_agent'];
    subscriptions.push(await bus().subscribe(l3AgentTopic(host), Object.fromEntries(methods.map((m) => [m, async (payload: Json) => void notices.push({ method: m, payload })]))));
    const sync = (routerIds?: string[]) => bus().call<L3RouterInfo[]>(PLUGIN_TOPIC, 'sync_routers', routerIds ? { host, router_ids: routerIds } : { host });
    return { id: listed[0].id as string, host, notices, sync };
  };

  /** The SQL run while `work` runs (SQLite: one shared query runner). */
  const withStatements = async <T>(work: () => Promise<T>): Promise<{ value: T; statements: string[] }> => {
    const runner = h().app.get(Database).ds.createQueryRunner();
    const query = runner.query.bind(runner);
    const statements: string[] = [];
    runner.query = ((sql: string, ...rest: unknown[]) => {
      statements.push(sql.trim());
      return (query as (...args: unknown[]) => Promise<unknown>)(sql, ...rest);
    }) as typeof runner.query;
    try {
      return { value: await work(), statements };
    } finally {
      runner.query = query;
    }
  };

  const hostingHosts = async (routerId: string) => ((await h().call('GET', `routers/${routerId}/l3-agents`)).body.agents as Json[]).map((a) => a.host);

  it('schedules a new router to the alive, enabled L3 agent hosting the fewest routers', async () => {
    const a = await agent('l3-least-a');
    const b = await agent('l3-least-b');
    const r1 = await h().create('routers', { name: 'r1' });
    await settled();
    const first = await hostingHosts(r1.id);
    expect(first).toHaveLength(1);
    const r2 = await h().create('routers', { name: 'r2' });
    await settled();
    const second = await hostingHosts(r2.id);
    expect(second).toHaveLength(1);
    expect(new Set([...first, ...second])).toEqual(new Set([a.host, b.host]));
    const [firstAgent, secondAgent] = first[0] === a.host ? [a, b] : [b, a];
    await vi.waitFor(() => expect(firstAgent.notices).toContainEqual({ method: 'router_added_to_agent', payload: { routers: [r1.id] } }));
    await vi.waitFor(() => expect(secondAgent.notices).toContainEqual({ method: 'router_added_to_agent', payload: { routers: [r2.id] } }));
    // An agent disabled by the admin takes no more routers.
    await h().call('PUT', `agents/${a.id}`, { body: { agent: { admin_state_up: false } } });
    const r3 = await h().create('routers', { name: 'r3' });
    await settled();
    expect(await hostingHosts(r3.id)).toEqual([b.host]);
    const listed = await h().call('GET', `agents/${b.id}/l3-routers`);
    expect(listed.status).toBe(200);
    expect((listed.body.routers as Json[]).map((r) => r.id)).toContain(r3.id);
    expect((listed.body.routers as Json[]).find((r) => r.id === r3.id)).toMatchObject({ name: 'r3', status: 'ACTIVE', external_gateway_info: null });
  });

  it('places a new router within its create: one statement, its agent zone in the answer, one notice after commit', async () => {
    const a = await agent('l3-at-create');
    await settled();
    const router = await withStatements(() => h().create('routers', { name: 'placed' }));
    const written = router.statements.findIndex((sql) => sql.startsWith('INSERT INTO "routers"'));
    // After the router's row, its extra attributes (dvr), its binding and the commit: nothing read back (routes,
    // zones), no scheduling of its own.
    expect(router.statements.slice(written + 1, router.statements.indexOf('COMMIT') + 1)).toEqual([
      expect.stringMatching(/^INSERT INTO router_extra_attributes /),
      expect.stringMatching(/^INSERT INTO routerl3agentbindings .* SELECT .* FROM agents .* RETURNING/s),
      'COMMIT',
    ]);
    expect(router.value.availability_zones).toEqual(['nova']);
    expect(await hostingHosts(router.value.id)).toEqual([a.host]);
    await settled();
    await vi.waitFor(() => expect(a.notices).toContainEqual({ method: 'router_added_to_agent', payload: { routers: [router.value.id] } }));
    expect(a.notices.filter((n) => JSON.stringify(n.payload).includes(router.value.id))).toHaveLength(1);
    expect((await h().call('GET', `routers/${router.value.id}`)).body.router.availability_zones).toEqual(['nova']);
  });

  it('creates an interface port bound to the host of the live agent hosting its router; unbound when none hosts it', async () => {
    const a = await agent('l3-bind-at-create');
    const net = await h().create('networks', {});
    const subnet = await h().create('subnets', { network_id: net.id, ip_version: 4, cidr: '10.31.0.0/24' });
    const hosted = await h().create('routers', { name: 'hosted' });
    await settled();
    expect(await hostingHosts(hosted.id)).toEqual([a.host]);
    const added = await h().call('PUT', `routers/${hosted.id}/add_router_interface`, { body: { subnet_id: subnet.id } });
    expect(added.status).toBe(200);
    const port = (await h().call('GET', `ports/${added.body.port_id}`)).body.port;
    expect(port['binding:host_id']).toBe(a.host);
    expect(port.revision_number).toBe(1); // bound by its create, not by a later update
    const ext = await h().create('networks', { 'router:external': true });
    await h().create('subnets', { network_id: ext.id, ip_version: 4, cidr: '172.31.0.0/24' });
    const gw = await h().call('PUT', `routers/${hosted.id}`, { body: { router: { external_gateway_info: { network_id: ext.id } } } });
    expect(gw.status).toBe(200);
    const gwPorts = (await h().call('GET', 'ports', { query: { device_id: hosted.id, device_owner: 'network:router_gateway' } })).body.ports as Json[];
    expect(gwPorts.map((p) => p['binding:host_id'])).toEqual([a.host]);

    // An agent disabled by the admin takes no ports: the interface waits, unbound, for an agent's sync.
    await h().call('PUT', `agents/${a.id}`, { body: { agent: { admin_state_up: false } } });
    const net2 = await h().create('networks', {});
    const subnet2 = await h().create('subnets', { network_id: net2.id, ip_version: 4, cidr: '10.32.0.0/24' });
    const again = await h().call('PUT', `routers/${hosted.id}/add_router_interface`, { body: { subnet_id: subnet2.id } });
    expect((await h().call('GET', `ports/${again.body.port_id}`)).body.port['binding:host_id']).toBe('');
    await h().call('PUT', `agents/${a.id}`, { body: { agent: { admin_state_up: true } } });
  });

  it('gives a waiting router to the first L3 agent that syncs', async () => {
    const router = await h().create('routers', { name: 'waiting' });
    await settled();
    expect(await hostingHosts(router.id)).toEqual([]);
    // router_availability_zone: the zones of the agents hosting the router, none while unhosted.
    expect((await h().call('GET', `routers/${router.id}`)).body.router.availability_zones).toEqual([]);
    const a = await agent('l3-late');
    const routers = await a.sync();
    expect(routers.map((r) => r.id)).toContain(router.id);
    expect(await hostingHosts(router.id)).toEqual([a.host]);
    expect((await h().call('GET', `routers/${router.id}`)).body.router.availability_zones).toEqual(['nova']);
    const listed = (await h().call('GET', 'routers', { query: { id: router.id } })).body.routers as Json[];
    expect(listed.map((r) => r.availability_zones)).toEqual([['nova']]);
  });

  it('adds and removes routers by hand, with Neutron errors', async () => {
    const a = await agent('l3-manual-a');
    await h().call('PUT', `agents/${a.id}`, { body: { agent: { admin_state_up: false } } });
    const router = await h().create('routers', { name: 'manual' });
    await settled();
    expect(await hostingHosts(router.id)).toEqual([]);
    // Disabled: not a valid L3 agent.
    const disabled = await h().call('POST', `agents/${a.id}/l3-routers`, { body: { router_id: router.id } });
    expect(errorOf(disabled)).toEqual([404, 'InvalidL3Agent', `Agent ${a.id} is not a L3 Agent or has been disabled`]);
    await h().call('PUT', `agents/${a.id}`, { body: { agent: { admin_state_up: true } } });
    const added = await h().call('POST', `agents/${a.id}/l3-routers`, { body: { router_id: router.id } });
    expect(added).toEqual({ status: 201, body: null });
    await settled();
    await vi.waitFor(() => expect(a.notices).toContainEqual({ method: 'router_added_to_agent', payload: { routers: [router.id] } }));
    expect(await hostingHosts(router.id)).toEqual([a.host]);
    // Again on the same agent: nothing to do.
    expect((await h().call('POST', `agents/${a.id}/l3-routers`, { body: { router_id: router.id } })).status).toBe(201);

    const b = await agent('l3-manual-b');
    const elsewhere = await h().call('POST', `agents/${b.id}/l3-routers`, { body: { router_id: router.id } });
    expect(errorOf(elsewhere)).toEqual([409, 'RouterHostedByL3Agent', `The router ${router.id} has been already hosted by the L3 Agent ${a.id}.`]);
    const dhcp = await agent('l3-manual-dhcp', 'dhcp');
    expect(errorOf(await h().call('POST', `agents/${dhcp.id}/l3-routers`, { body: { router_id: router.id } }))[1]).toBe('InvalidL3Agent');
    const missingAgent = '0b5bbd7e-3c2a-4f0f-9a59-4d0c6c9e2f10';
    expect(errorOf(await h().call('POST', `agents/${missingAgent}/l3-routers`, { body: { router_id: router.id } }))).toEqual([
      404,
      'AgentNotFound',
      `Agent ${missingAgent} could not be found.`,
    ]);
    expect(errorOf(await h().call('GET', `agents/${missingAgent}/l3-routers`))[1]).toBe('AgentNotFound');
    const missingRouter = '6f2c3a1e-1d3b-4a7e-8b9c-0e1f2a3b4c5d';
    expect(errorOf(await h().call('POST', `agents/${a.id}/l3-routers`, { body: { router_id: missingRouter } }))).toEqual([
      404,
      'RouterNotFound',
      `Router ${missingRouter} could not be found`,
    ]);
    expect(errorOf(await h().call('POST', `agents/${a.id}/l3-routers`, { body: {} }))[0]).toBe(400);

    // Admin only.
    const auth = member(newProject());
    for (const [method, path] of [
      ['GET', `agents/${a.id}/l3-routers`],
      ['POST', `agents/${a.id}/l3-routers`],
      ['DELETE', `agents/${a.id}/l3-routers/${router.id}`],
      ['GET', `routers/${router.id}/l3-agents`],
    ]) {
      const res = await h().call(method, path, { body: { router_id: router.id }, auth });
      expect(res.status === 403 || res.status === 404).toBe(true);
    }
    expect(errorOf(await h().call('GET', `agents/${a.id}/l3-routers`, { auth }))).toEqual([403, 'PolicyNotAuthorized', expect.stringContaining('get_l3-routers')]);

    const removed = await h().call('DELETE', `agents/${a.id}/l3-routers/${router.id}`);
    expect(removed.status).toBe(204);
    await settled();
    await vi.waitFor(() => expect(a.notices).toContainEqual({ method: 'router_removed_from_agent', payload: { router_id: router.id } }));
    expect(await hostingHosts(router.id)).toEqual([]);
    expect((await h().call('GET', `agents/${a.id}/l3-routers`)).body).toEqual({ routers: [] });
  });

  it('answers sync_routers with the router in full, binds its ports to the agent host and takes floating IP statuses', async () => {
    const a = await agent('l3-sync');
    const ext = await h().create('networks', { 'router:external': true });
    const extSubnet = await h().create('subnets', { network_id: ext.id, ip_version: 4, cidr: '172.24.8.0/24' });
    const auth = member(newProject());
    const net = await h().create('networks', {}, auth);
    const subnet = await h().create('subnets', { network_id: net.id, ip_version: 4, cidr: '10.8.0.0/24', dns_nameservers: ['10.8.0.53'] }, auth);
    const router = await h().create('routers', { name: 'sync', external_gateway_info: { network_id: ext.id } }, auth);
    const added = await h().call('PUT', `routers/${router.id}/add_router_interface`, { body: { subnet_id: subnet.id }, auth });
    expect(added.status).toBe(200);
    const vm = await h().create('ports', { network_id: net.id }, auth);
    const fip = await h().create('floatingips', { floating_network_id: ext.id, port_id: vm.id }, auth);
    const pfFip = await h().create('floatingips', { floating_network_id: ext.id }, auth);
    const vm2 = await h().create('ports', { network_id: net.id }, auth);
    const pfAnswer = await h().call('POST', `floatingips/${pfFip.id}/port_forwardings`, {
      body: { port_forwarding: { protocol: 'tcp', internal_ip_address: vm2.fixed_ips[0].ip_address, internal_port: 22, external_port: 2222, internal_port_id: vm2.id } },
      auth,
    });
    expect(pfAnswer.status).toBe(201);
    const rangeAnswer = await h().call('POST', `floatingips/${pfFip.id}/port_forwardings`, {
      body: {
        port_forwarding: {
          protocol: 'udp',
          internal_ip_address: vm2.fixed_ips[0].ip_address,
          internal_port_range: '5000:5010',
          external_port_range: '6000:6010',
          internal_port_id: vm2.id,
        },
      },
      auth,
    });
    expect(rangeAnswer.status).toBe(201);
    await settled();
    expect(await hostingHosts(router.id)).toEqual([a.host]);

    const [info] = await a.sync([router.id]);
    const gwIp = router.external_gateway_info.external_fixed_ips[0].ip_address;
    expect(info).toMatchObject({
      id: router.id,
      name: 'sync',
      admin_state_up: true,
      status: 'ACTIVE',
      project_id: auth.project_id,
      enable_snat: true,
      routes: [],
      external_gateway_info: { network_id: ext.id, enable_snat: true, external_fixed_ips: [{ subnet_id: extSubnet.id, ip_address: gwIp }] },
      gw_port: {
        network_id: ext.id,
        device_owner: 'network:router_gateway',
        fixed_ips: [{ subnet_id: extSubnet.id, ip_address: gwIp, prefixlen: 24 }],
        subnets: [{ id: extSubnet.id, cidr: '172.24.8.0/24', gateway_ip: '172.24.8.1', ip_version: 4 }],
      },
      _interfaces: [
        {
          id: added.body.port_id,
          network_id: net.id,
          device_owner: 'network:router_interface',
          fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.8.0.1', prefixlen: 24 }],
          subnets: [{ id: subnet.id, cidr: '10.8.0.0/24', gateway_ip: '10.8.0.1', dns_nameservers: ['10.8.0.53'] }],
          mtu: net.mtu,
        },
      ],
      _floatingips: [{ id: fip.id, floating_ip_address: fip.floating_ip_address, fixed_ip_address: vm.fixed_ips[0].ip_address, port_id: vm.id, status: 'DOWN' }],
      // In id order, which is random here.
      _pf_floatingips: expect.arrayContaining([
        expect.objectContaining({ floatingip_id: pfFip.id, floating_ip_address: pfFip.floating_ip_address, protocol: 'tcp', internal_port: 22, external_port: 2222, internal_port_id: vm2.id }),
        expect.objectContaining({ floatingip_id: pfFip.id, floating_ip_address: pfFip.floating_ip_address, protocol: 'udp', internal_port: '5000:5010', external_port: '6000:6010' }),
      ]),
    });
    // The router's ports are bound to the agent's host (the L2 agent there plugs them).
    for (const portId of [added.body.port_id, info.gw_port!.id]) {
      expect((await h().call('GET', `ports/${portId}`)).body.port['binding:host_id']).toBe(a.host);
    }
    // A full sync has it too; another host's agent does not.
    expect((await a.sync()).map((r) => r.id)).toContain(router.id);
    const other = await agent('l3-sync-other');
    expect((await other.sync([router.id])).map((r) => r.id)).toEqual([]);

    await bus().call(PLUGIN_TOPIC, 'update_floatingip_statuses', { router_id: router.id, fip_statuses: { [fip.id]: 'ACTIVE' } });
    const shown = (await h().call('GET', `floatingips/${fip.id}`, { auth })).body.floatingip;
    expect(shown.status).toBe('ACTIVE');
    expect(shown.revision_number).toBeGreaterThan(fip.revision_number);
  });

  it('tells the hosting agent of each router change, and of the router deleted', async () => {
    const a = await agent('l3-notify');
    const auth = member(newProject());
    const net = await h().create('networks', {}, auth);
    const subnet = await h().create('subnets', { network_id: net.id, ip_version: 4, cidr: '10.9.0.0/24' }, auth);
    const router = await h().create('routers', { name: 'n' }, auth);
    await settled();
    await vi.waitFor(() => expect(a.notices.some((n) => n.method === 'router_added_to_agent' && n.payload.routers.includes(router.id))).toBe(true));
    a.notices.splice(0);
    await h().call('PUT', `routers/${router.id}/add_router_interface`, { body: { subnet_id: subnet.id }, auth });
    await settled();
    await vi.waitFor(() => expect(a.notices).toContainEqual({ method: 'routers_updated', payload: { routers: [router.id] } }));
    a.notices.splice(0);
    await h().call('PUT', `routers/${router.id}`, { body: { router: { name: 'renamed' } }, auth });
    await settled();
    await vi.waitFor(() => expect(a.notices).toEqual([{ method: 'routers_updated', payload: { routers: [router.id] } }]));
    a.notices.splice(0);
    await h().call('PUT', `routers/${router.id}/remove_router_interface`, { body: { subnet_id: subnet.id }, auth });
    expect((await h().call('DELETE', `routers/${router.id}`, { auth })).status).toBe(204);
    await settled();
    await vi.waitFor(() => expect(a.notices).toContainEqual({ method: 'router_deleted', payload: { router_id: router.id } }));
    expect((await h().call('GET', `agents/${a.id}/l3-routers`)).body.routers.map((r: Json) => r.id)).not.toContain(router.id);
  });

  it('describes any number of routers in the same number of queries', async () => {
    const a = await agent('l3-batch');
    const ext = await h().create('networks', { 'router:external': true });
    await h().create('subnets', { network_id: ext.id, ip_version: 4, cidr: '172.24.9.0/24' });
    const routerIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const auth = member(newProject());
      const net = await h().create('networks', {}, auth);
      const subnet = await h().create('subnets', { network_id: net.id, ip_version: 4, cidr: `10.20.${i}.0/24` }, auth);
      const router = await h().create('routers', { name: `batch${i}`, external_gateway_info: { network_id: ext.id } }, auth);
      await h().call('PUT', `routers/${router.id}/add_router_interface`, { body: { subnet_id: subnet.id }, auth });
      const vm = await h().create('ports', { network_id: net.id }, auth);
      await h().create('floatingips', { floating_network_id: ext.id, port_id: vm.id }, auth);
      routerIds.push(router.id);
    }
    await settled();
    // The first sync binds the ports to the host; then only reads.
    expect((await a.sync(routerIds)).map((r) => r.id).sort()).toEqual([...routerIds].sort());
    const db = h().app.get(Database);
    const count = async (ids: string[]) => {
      const before = db.queryCount;
      const routers = await a.sync(ids);
      expect(routers).toHaveLength(ids.length);
      expect(routers.every((r) => r._interfaces.length === 1 && r._floatingips.length === 1 && r.gw_port)).toBe(true);
      return db.queryCount - before;
    };
    const many = await count(routerIds);
    expect(many).toBeGreaterThan(0);
    expect(many).toBe(await count(routerIds.slice(0, 1)));
  });

  it('lists the extension', async () => {
    const res = await h().call('GET', 'extensions/l3_agent_scheduler');
    expect(res.status).toBe(200);
  });
});
