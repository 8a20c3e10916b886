// dvr and router-admin-state-down-before-update as an admin, a project member and a stand-in legacy L3 agent see
// them: `distributed` on create, read and update (admin only), the admin-state-down rule, the interfaces' device
// owner before and after a migration, and what a legacy agent is told (nothing hosts a distributed router).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorOf, type Json, member, newProject, useCoreHarness } from '../../../test/support/core-harness.js';
import { AgentHeartbeatsService } from '../../agents-api/agent-heartbeats.service.js';
import { BUS, type Bus, type Subscription } from '../../bus/bus.contract.js';
import { SPEC_DIALECTS } from '../../db/testing/scratch-database.js';
import { AGENT_TYPES, PLUGIN_TOPIC } from '../../rpc/agent-state.contract.js';
import { l3AgentTopic, type L3RouterInfo } from '../../rpc/l3-agent.contract.js';
import { L3AgentNotifier } from '../rpc/l3-agent-notifier.js';

const DVR_OWNER = 'network:router_interface_distributed';
const SNAT_OWNER = 'network:router_centralized_snat';
const ADMIN_STATE_UP_ERROR = [
  400,
  'BadRequest',
  "Bad router request: Cannot change the 'distributed' attribute of active routers. Please set router admin_state_up to False prior to upgrade.",
];

describe.each(SPEC_DIALECTS)('dvr: distributed routers with legacy L3 agents only (%s)', (dialect) => {
  const h = useCoreHarness('dvr_spec', [], dialect);
  const subscriptions: Subscription[] = [];
  const bus = () => h().app.get<Bus>(BUS);
  const settled = () => h().app.get(L3AgentNotifier).idle();

  afterEach(async () => {
    for (const s of subscriptions.splice(0)) await s.close();
    const agents = (await h().call('GET', 'agents')).body.agents as Json[];
    for (const a of agents) if (a.admin_state_up) await h().call('PUT', `agents/${a.id}`, { body: { agent: { admin_state_up: false } } });
  });

  /** A stand-in legacy L3 agent on `host` that records the notices cast to it. */
  const legacyAgent = async (host: string) => {
    await h().app.get(AgentHeartbeatsService).reportState({
      agent_state: { ...AGENT_TYPES.l3, host, configurations: { agent_mode: 'legacy' }, availability_zone: 'nova' },
      time: new Date().toISOString(),
    });
    const listed = (await h().call('GET', 'agents', { query: { host, agent_type: AGENT_TYPES.l3.agent_type } })).body.agents as Json[];
    const notices: { method: string; payload: Json }[] = [];
    const methods = ['routers_updated', 'router_deleted', 'router_added_to_agent', 'router_removed_from_agent'];
    subscriptions.push(await bus().subscribe(l3AgentTopic(host), Object.fromEntries(methods.map((m) => [m, async (payload: Json) => void notices.push({ method: m, payload })]))));
    const sync = () => bus().call<L3RouterInfo[]>(PLUGIN_TOPIC, 'sync_routers', { host });
    return { id: listed[0].id as string, host, notices, sync };
  };

  const hostingAgents = async (routerId: string) => ((await h().call('GET', `routers/${routerId}/l3-agents`)).body.agents as Json[]).map((a) => a.host);
  const update = (id: string, router: Json, auth?: ReturnType<typeof member>) => h().call('PUT', `routers/${id}`, { body: { router }, auth });

  /** A project network and subnet, and an interface of `routerId` on it (by subnet): the interface port. */
  const addInterface = async (routerId: string, cidr: string) => {
    const net = await h().create('networks', {});
    const subnet = await h().create('subnets', { network_id: net.id, ip_version: 4, cidr });
    const res = await h().call('PUT', `routers/${routerId}/add_router_interface`, { body: { subnet_id: subnet.id } });
    expect(res.status).toBe(200);
    const port = (await h().call('GET', `ports/${res.body.port_id}`)).body.port;
    return { net, subnet, port };
  };

  it('lists dvr and router-admin-state-down-before-update', async () => {
    const aliases = ((await h().call('GET', 'extensions')).body.extensions as Json[]).map((e) => e.alias);
    expect(aliases).toEqual(expect.arrayContaining(['dvr', 'router-admin-state-down-before-update']));
  });

  it('creates legacy routers by default (router_distributed) and distributed ones on request, shown to admins only', async () => {
    expect((await h().create('routers', { name: 'legacy' })).distributed).toBe(false);
    // None is "not given": router_distributed decides.
    expect((await h().create('routers', { name: 'none', distributed: null })).distributed).toBe(false);
    const dvr = await h().create('routers', { name: 'dvr', distributed: 'True' });
    expect(dvr.distributed).toBe(true);
    expect((await h().call('GET', `routers/${dvr.id}`)).body.router.distributed).toBe(true);
    const listed = (await h().call('GET', 'routers', { query: { name: 'dvr' } })).body.routers as Json[];
    expect(listed.map((r) => [r.id, r.distributed])).toEqual([[dvr.id, true]]);
    expect((await h().call('GET', 'routers', { query: { fields: 'distributed', id: dvr.id } })).body.routers).toEqual([{ distributed: true }]);

    // A member neither sets nor sees it (get/create/update_router:distributed are admin rules).
    const auth = member(newProject());
    const own = await h().create('routers', { name: 'mine' }, auth);
    expect('distributed' in own).toBe(false);
    expect('distributed' in (await h().call('GET', `routers/${own.id}`, { auth })).body.router).toBe(false);
    const denied = await h().call('POST', 'routers', { body: { router: { name: 'x', distributed: false } }, auth });
    expect(errorOf(denied)).toEqual([403, 'PolicyNotAuthorized', '(rule:create_router and rule:create_router:distributed) is disallowed by policy']);
    const put = await update(own.id, { distributed: true }, auth);
    expect(errorOf(put)).toEqual([403, 'PolicyNotAuthorized', '(rule:update_router and rule:update_router:distributed) is disallowed by policy']);
    expect((await h().call('GET', `routers/${own.id}`)).body.router.distributed).toBe(false);

    // Not a filter in neutron-lib's definition.
    const filtered = await h().call('GET', 'routers', { query: { distributed: 'True' } });
    expect(errorOf(filtered)).toEqual([400, 'HTTPBadRequest', "['distributed'] is invalid attribute for filtering"]);
  });

  it('refuses to change distributed while the router is up, before or after the update (router-admin-state-down-before-update)', async () => {
    const router = await h().create('routers', { name: 'up' });
    expect(errorOf(await update(router.id, { distributed: true }))).toEqual(ADMIN_STATE_UP_ERROR);
    expect(errorOf(await update(router.id, { distributed: true, admin_state_up: false }))).toEqual(ADMIN_STATE_UP_ERROR);
    const unchanged = (await h().call('GET', `routers/${router.id}`)).body.router;
    expect([unchanged.admin_state_up, unchanged.distributed, unchanged.revision_number]).toEqual([true, false, router.revision_number]);
    // The same value, or None, is no change: accepted while up.
    expect((await update(router.id, { distributed: false })).status).toBe(200);
    expect((await update(router.id, { distributed: null })).status).toBe(200);

    await update(router.id, { admin_state_up: false });
    expect(errorOf(await update(router.id, { distributed: true, admin_state_up: true }))).toEqual(ADMIN_STATE_UP_ERROR);
    const migrated = await update(router.id, { distributed: true });
    expect([migrated.status, migrated.body.router.distributed, migrated.body.router.admin_state_up]).toEqual([200, true, false]);
  });

  it("gives a distributed router's interfaces Neutron's DVR device owner, and the port and subnet guards hold for them", async () => {
    const router = await h().create('routers', { name: 'dvr-guards', distributed: true });
    const { subnet, port } = await addInterface(router.id, '10.61.0.0/24');
    expect(port).toMatchObject({ device_owner: DVR_OWNER, device_id: router.id, fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.61.0.1' }] });
    expect((await h().call('GET', 'ports', { query: { device_owner: DVR_OWNER, device_id: router.id } })).body.ports).toHaveLength(1);

    expect(errorOf(await h().call('DELETE', `routers/${router.id}`))).toEqual([
      409,
      'RouterInUse',
      `Router ${router.id} still has ports`,
    ]);
    expect(errorOf(await h().call('DELETE', `ports/${port.id}`))).toEqual([
      409,
      'ServicePortInUse',
      `Port ${port.id} cannot be deleted directly via the port API: has device owner ${DVR_OWNER}.`,
    ]);
    expect((await h().call('DELETE', `subnets/${subnet.id}`)).status).toBe(409);
    const ipChange = await h().call('PUT', `ports/${port.id}`, { body: { port: { fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.61.0.9' }] } } });
    expect(errorOf(ipChange)).toEqual([400, 'IPAddressChangeNotAllowed', `IP updates for port ${port.id} are not allowed`]);

    const removed = await h().call('PUT', `routers/${router.id}/remove_router_interface`, { body: { subnet_id: subnet.id } });
    expect(removed.status).toBe(200);
    expect((await h().call('GET', `ports/${port.id}`)).status).toBe(404);
    expect((await h().call('DELETE', `routers/${router.id}`)).status).toBe(204);
  });

  it("an interface added by port to a distributed router takes the DVR owner; a project may not claim another's router with it", async () => {
    const router = await h().create('routers', { name: 'dvr-by-port', distributed: true });
    const net = await h().create('networks', {});
    await h().create('subnets', { network_id: net.id, ip_version: 4, cidr: '10.62.0.0/24' });
    const port = await h().create('ports', { network_id: net.id });
    expect((await h().call('PUT', `routers/${router.id}/add_router_interface`, { body: { port_id: port.id } })).status).toBe(200);
    expect((await h().call('GET', `ports/${port.id}`)).body.port.device_owner).toBe(DVR_OWNER);

    const auth = member(newProject());
    const own = await h().create('networks', {}, auth);
    const claim = await h().call('POST', 'ports', { body: { port: { network_id: own.id, device_owner: DVR_OWNER, device_id: router.id } }, auth });
    expect(errorOf(claim)).toEqual([
      409,
      'DeviceIDNotOwnedByTenant',
      `The following device_id ${router.id} is not owned by your tenant or matches another tenants router.`,
    ]);
  });

  it('keeps a centralized SNAT port per interface subnet while a distributed router has a gateway, as Neutron makes them', async () => {
    const ext = await h().create('networks', { 'router:external': true });
    await h().create('subnets', { network_id: ext.id, ip_version: 4, cidr: '172.24.61.0/24' });
    const router = await h().create('routers', { name: 'dvr-snat', distributed: true });
    const snatPorts = async () =>
      ((await h().call('GET', 'ports', { query: { device_id: router.id, device_owner: SNAT_OWNER } })).body.ports as Json[]).map((p) => ({
        project_id: p.project_id,
        network_id: p.network_id,
        subnets: (p.fixed_ips as Json[]).map((ip) => ip.subnet_id),
        addresses: (p.fixed_ips as Json[]).map((ip) => ip.ip_address),
        id: p.id,
      })).sort((x, y) => x.subnets[0].localeCompare(y.subnets[0]));
    const subnetsOf = async () => (await snatPorts()).map((p) => p.subnets);
    const sorted = (...lists: string[][]) => lists.sort((x, y) => x[0].localeCompare(y[0]));
    // No gateway: none.
    const a = await addInterface(router.id, '10.65.0.0/24');
    expect(await snatPorts()).toEqual([]);
    // The gateway comes: one for the existing interface's subnet, of project '', not on the gateway address.
    await update(router.id, { external_gateway_info: { network_id: ext.id } });
    const [snatA] = await snatPorts();
    expect(snatA).toMatchObject({ project_id: '', network_id: a.net.id, subnets: [a.subnet.id] });
    expect(snatA.addresses[0]).not.toBe('10.65.0.1');
    expect(errorOf(await h().call('DELETE', `ports/${snatA.id}`))).toEqual([
      409,
      'ServicePortInUse',
      `Port ${snatA.id} cannot be deleted directly via the port API: has device owner ${SNAT_OWNER}.`,
    ]);
    // A new interface brings its own; removing an interface takes its subnet's.
    const b = await addInterface(router.id, '10.66.0.0/24');
    expect(await subnetsOf()).toEqual(sorted([a.subnet.id], [b.subnet.id]));
    await h().call('PUT', `routers/${router.id}/remove_router_interface`, { body: { subnet_id: a.subnet.id } });
    expect(await subnetsOf()).toEqual([[b.subnet.id]]);
    expect((await h().call('DELETE', `subnets/${a.subnet.id}`)).status).toBe(204);

    // IPv6 subnets of one network share one SNAT port, as they share the interface.
    const v6net = await h().create('networks', {});
    const v6a = await h().create('subnets', { network_id: v6net.id, ip_version: 6, cidr: '2001:db8:61::/64' });
    const v6b = await h().create('subnets', { network_id: v6net.id, ip_version: 6, cidr: '2001:db8:62::/64' });
    for (const s of [v6a, v6b]) expect((await h().call('PUT', `routers/${router.id}/add_router_interface`, { body: { subnet_id: s.id } })).status).toBe(200);
    expect(await subnetsOf()).toEqual(sorted([b.subnet.id], [v6a.id, v6b.id]));
    await h().call('PUT', `routers/${router.id}/remove_router_interface`, { body: { subnet_id: v6a.id } });
    expect(await subnetsOf()).toEqual(sorted([b.subnet.id], [v6b.id]));

    // They go with the gateway and come back with it; a legacy router has none.
    await update(router.id, { external_gateway_info: {} });
    expect(await snatPorts()).toEqual([]);
    await update(router.id, { external_gateway_info: { network_id: ext.id } });
    expect(await subnetsOf()).toEqual(sorted([b.subnet.id], [v6b.id]));
    await update(router.id, { admin_state_up: false });
    await update(router.id, { distributed: false });
    expect(await snatPorts()).toEqual([]);
    await update(router.id, { distributed: true });
    expect(await subnetsOf()).toEqual(sorted([b.subnet.id], [v6b.id]));

    for (const s of [b.subnet.id, v6b.id]) await h().call('PUT', `routers/${router.id}/remove_router_interface`, { body: { subnet_id: s } });
    expect(await snatPorts()).toEqual([]);
    await update(router.id, { external_gateway_info: {} });
    expect((await h().call('DELETE', `routers/${router.id}`)).status).toBe(204);
  });

  it('a distributed router stays unscheduled with legacy agents only; a migration takes a router off its agent and back', async () => {
    const agent = await legacyAgent('dvr-legacy-a');
    const dvr = await h().create('routers', { name: 'dvr-unscheduled', distributed: true });
    await settled();
    expect(dvr.availability_zones).toEqual([]);
    expect(await hostingAgents(dvr.id)).toEqual([]);
    // A change of the router (its interface) schedules it again, in vain.
    await addInterface(dvr.id, '10.63.0.0/24');
    await settled();
    expect(await hostingAgents(dvr.id)).toEqual([]);
    expect((await agent.sync()).map((r) => r.id)).not.toContain(dvr.id);
    expect(agent.notices.filter((n) => JSON.stringify(n.payload).includes(dvr.id))).toEqual([]);
    const manual = await h().call('POST', `agents/${agent.id}/l3-routers`, { body: { router_id: dvr.id } });
    expect(errorOf(manual)).toEqual([409, 'RouterL3AgentMismatch', `Cannot host distributed router ${dvr.id} on legacy L3 agent ${agent.id}.`]);

    // A hosted legacy router (with an interface), taken down and migrated: off the agent, which hears it for that router only.
    const legacy = await h().create('routers', { name: 'dvr-migrated' });
    const bystander = await h().create('routers', { name: 'dvr-bystander' });
    await settled();
    expect(await hostingAgents(legacy.id)).toEqual([agent.host]);
    expect(await hostingAgents(bystander.id)).toEqual([agent.host]);
    const { port } = await addInterface(legacy.id, '10.64.0.0/24');
    expect(port.device_owner).toBe('network:router_interface');
    await update(legacy.id, { admin_state_up: false });
    await settled();
    agent.notices.length = 0;
    expect((await update(legacy.id, { distributed: true })).status).toBe(200);
    await settled();
    expect(await hostingAgents(legacy.id)).toEqual([]);
    await vi.waitFor(() => expect(agent.notices).toContainEqual({ method: 'router_removed_from_agent', payload: { router_id: legacy.id } }));
    expect(agent.notices.every((n) => !JSON.stringify(n.payload).includes(bystander.id))).toBe(true);
    expect(await hostingAgents(bystander.id)).toEqual([agent.host]);
    const migratedPort = (await h().call('GET', `ports/${port.id}`)).body.port;
    expect([migratedPort.device_owner, migratedPort.revision_number > port.revision_number]).toEqual([DVR_OWNER, true]);

    // Back to legacy: the interface's owner again, and the legacy agent takes the router.
    agent.notices.length = 0;
    expect((await update(legacy.id, { distributed: false })).body.router.distributed).toBe(false);
    await settled();
    expect((await h().call('GET', `ports/${port.id}`)).body.port.device_owner).toBe('network:router_interface');
    expect(await hostingAgents(legacy.id)).toEqual([agent.host]);
    await vi.waitFor(() => expect(agent.notices).toContainEqual({ method: 'router_added_to_agent', payload: { routers: [legacy.id] } }));
    // sync_routers gives active routers only: up again, the agent builds it with its legacy interface.
    await update(legacy.id, { admin_state_up: true });
    const synced = (await agent.sync()).find((r) => r.id === legacy.id);
    expect(synced?._interfaces?.map((p) => [p.id, p.device_owner])).toEqual([[port.id, 'network:router_interface']]);
  });
});
