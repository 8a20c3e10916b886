// ML2 in the appliance: L2 agents per host, port binding through them, port status driven by the agents, the
// binding-extended sub-resource, and Nova's os-server-external-events — with the real CLI and openstacksdk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, freePort } from './support/appliance.js';
import { cliFor } from './support/cli.js';
import { type ApiClient, apiClient, expectNeutronError, expectStatus, type Json } from './support/http.js';
import { createProjectUser, type ProjectUser } from './support/identity.js';
import { type FakeNova, startFakeNova } from './support/nova.js';
import { eventually } from './support/wait.js';
import { useAppliance } from './support/suite.js';

const OWN_HOST = 'e2e-node';
const INSTANCE = '3f0c2d4e-8a59-4d3b-9a51-0c6f7e2b1d10';

describe.each(DIALECTS)('ML2 binding, port status and Nova events (%s)', (dialect) => {
  let nova: FakeNova;
  let novaPort = 0;
  beforeAll(async () => {
    novaPort = await freePort();
    nova = await startFakeNova(novaPort);
  });
  afterAll(async () => {
    await nova?.stop();
  });
  const ctx = useAppliance(dialect, {
    APPLIANCE_AGENT_HOST: OWN_HOST,
    APPLIANCE__AGENTS__REPORT_INTERVAL: '1',
    APPLIANCE__AGENTS__AGENT_DOWN_TIME: '3',
    APPLIANCE__NOVA__SEND_EVENTS_INTERVAL: '0.1',
    get APPLIANCE_NOVA_URL() {
      return `http://127.0.0.1:${novaPort}`;
    },
  });
  const cli = () => cliFor(ctx().app);
  const admin = () => ctx().admin;
  let alice: ProjectUser;
  let aliceApi: ApiClient;
  let net: Json;

  const showPort = async (id: string): Promise<Json> => {
    const res = await admin().get(`/v2.0/ports/${id}`);
    expectStatus(res, 200);
    return res.body.port;
  };
  const statusBecomes = async (id: string, status: string): Promise<Json> => {
    const port = await eventually(() => showPort(id), (p) => p.status === status);
    expect(port.status, `port ${id} status`).toBe(status);
    return port;
  };

  beforeAll(async () => {
    alice = await createProjectUser(ctx().app, ctx().adminToken, { project: 'ml2-alice', user: 'ml2-alice' });
    aliceApi = apiClient(ctx().app.apiUrl, alice.token);
    const res = await aliceApi.post('/v2.0/networks', { network: { name: 'tenant1' } });
    expectStatus(res, 201);
    net = res.body.network;
    expectStatus(await aliceApi.post('/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.20.0.0/24', ip_version: 4 } }), 201);
  });

  it('openstack network agent list: one alive Linux bridge agent per host', async () => {
    const agents = await eventually(
      () => cli().openstack(['network', 'agent', 'list', '--agent-type', 'linux-bridge', '-f', 'json']) as Promise<Json[]>,
      (list) => list.length >= 2,
    );
    const hosts = agents.map((a: Json) => a.Host).sort();
    expect(hosts).toEqual(['compute1', OWN_HOST]);
    for (const agent of agents) {
      expect(agent).toMatchObject({ 'Agent Type': 'Linux bridge agent', Alive: true, State: true, Binary: 'neutron-linuxbridge-agent' });
    }
  });

  it('openstack port create --host compute1: bound as a bridge VIF, then ACTIVE once the agent wired it', async () => {
    const port = (await cli().openstack(['port', 'create', '--network', net.id, '--host', 'compute1', 'vm-port', '-f', 'json'])) as Json;
    expect(port.binding_vif_type).toBe('bridge');
    expect(port.binding_vif_details).toMatchObject({ connectivity: 'l2', port_filter: true, bound_drivers: { '0': 'linuxbridge' } });
    const active = await statusBecomes(port.id, 'ACTIVE');
    expect(active['binding:host_id']).toBe('compute1');
    expect(active.revision_number).toBeGreaterThan(port.revision_number);
  });

  it('a host with no agent: binding_failed, and the port stays DOWN', async () => {
    const res = await admin().post('/v2.0/ports', { port: { network_id: net.id, 'binding:host_id': 'nowhere' } });
    expectStatus(res, 201);
    expect(res.body.port['binding:vif_type']).toBe('binding_failed');
    // A port created after it, on a host with an agent, goes ACTIVE: the agents (L2 and DHCP) have handled the notices
    // sent after the failed port's, and still nothing brought that one up.
    const later = await admin().post('/v2.0/ports', { port: { network_id: net.id, 'binding:host_id': 'compute1' } });
    expectStatus(later, 201);
    await statusBecomes(later.body.port.id, 'ACTIVE');
    expect((await showPort(res.body.port.id)).status).toBe('DOWN');
  });

  it('admin_state_up false takes the port DOWN, true brings it back ACTIVE; a new host rebinds it', async () => {
    const created = await admin().post('/v2.0/ports', { port: { network_id: net.id, 'binding:host_id': 'compute1' } });
    const id = created.body.port.id;
    await statusBecomes(id, 'ACTIVE');
    expectStatus(await admin().put(`/v2.0/ports/${id}`, { port: { admin_state_up: false } }), 200);
    await statusBecomes(id, 'DOWN');
    expectStatus(await admin().put(`/v2.0/ports/${id}`, { port: { admin_state_up: true } }), 200);
    await statusBecomes(id, 'ACTIVE');
    const moved = await admin().put(`/v2.0/ports/${id}`, { port: { 'binding:host_id': OWN_HOST } });
    expectStatus(moved, 200);
    expect(moved.body.port).toMatchObject({ status: 'DOWN', 'binding:host_id': OWN_HOST, 'binding:vif_type': 'bridge' });
    await statusBecomes(id, 'ACTIVE');
    const unbound = await admin().put(`/v2.0/ports/${id}`, { port: { 'binding:host_id': '' } });
    expect(unbound.body.port).toMatchObject({ status: 'DOWN', 'binding:vif_type': 'unbound' });
  });

  it("Nova's boot sequence with openstacksdk: bound, ACTIVE, network-vif-plugged delivered; delete sends vif-deleted", async () => {
    const script = `
import json, openstack, time
user = openstack.connect(project_name='ml2-alice', username='ml2-alice', password='${alice.password}',
                         user_domain_name='Default', project_domain_name='Default')
admin = openstack.connect()
net = user.network.get_network('${net.id}')
port = user.network.create_port(network_id=net.id, admin_state_up=True, project_id=net.project_id)
before = (port.status, port.binding_vif_type, port.binding_host_id)
port = admin.network.update_port(port, device_id='${INSTANCE}', device_owner='compute:nova', binding_host_id='compute1')
bound = (port.binding_vif_type, port.status)
for _ in range(300):
    port = admin.network.get_port(port.id)
    if port.status == 'ACTIVE':
        break
    time.sleep(0.05)
mine = [p.id for p in user.network.ports(device_id='${INSTANCE}', project_id=net.project_id)]
print(json.dumps({'id': port.id, 'before': before, 'bound': bound, 'status': port.status, 'mine': mine}))
`;
    const out = JSON.parse(await cli().sdk(script));
    // The user's view: binding:* attributes are admin-only (Neutron's policy), so the SDK sees None.
    expect(out.before).toEqual(['DOWN', null, null]);
    expect(out.bound).toEqual(['bridge', 'DOWN']);
    expect(out.status).toBe('ACTIVE');
    expect(out.mine).toEqual([out.id]);
    const plugged = await nova.waitForEvent({ name: 'network-vif-plugged', tag: out.id });
    expect(plugged).toMatchObject({ server_uuid: INSTANCE, status: 'completed' });
    const token = nova.requests.find((r) => r.events.some((e) => e.tag === out.id))?.headers['x-auth-token'];
    expect(token, 'Nova is called with a Keystone token').toMatch(/^.{16,}$/);
    const valid = await fetch(`${ctx().app.identityUrl}/v3/auth/tokens`, {
      headers: { 'X-Auth-Token': ctx().adminToken, 'X-Subject-Token': String(token) },
    });
    expect(valid.status, 'the token Nova got validates in Keystone').toBe(200);

    expectStatus(await admin().del(`/v2.0/ports/${out.id}`), 204);
    expect(await nova.waitForEvent({ name: 'network-vif-deleted', tag: out.id })).toMatchObject({ server_uuid: INSTANCE });
  });

  it('binding-extended: an INACTIVE binding on another host, activated, the old one deleted (live migration)', async () => {
    const created = await admin().post('/v2.0/ports', {
      port: { network_id: net.id, device_owner: 'compute:nova', device_id: INSTANCE, 'binding:host_id': 'compute1' },
    });
    const id = created.body.port.id;
    expectNeutronError(
      await admin().post(`/v2.0/ports/${id}/bindings`, { binding: { host: OWN_HOST, vnic_type: 'sideways' } }),
      400,
      'HTTPBadRequest',
      /^Invalid input for vnic_type\. Reason: sideways is not in valid_values/,
    );
    const made = await admin().post(`/v2.0/ports/${id}/bindings`, { binding: { host: OWN_HOST } });
    expectStatus(made, 201);
    expect(made.body.binding).toMatchObject({ host: OWN_HOST, status: 'INACTIVE', vif_type: 'bridge', vnic_type: 'normal' });
    expectNeutronError(
      await admin().post(`/v2.0/ports/${id}/bindings`, { binding: { host: OWN_HOST } }),
      409,
      'PortBindingAlreadyExists',
      `Binding for port ${id} on host ${OWN_HOST} already exists.`,
    );
    expectNeutronError(
      await admin().put(`/v2.0/ports/${id}/bindings/${OWN_HOST}`, { binding: { host: 'elsewhere' } }),
      400,
      'HTTPBadRequest',
      'Cannot update read-only attribute host',
    );
    const list = await admin().get(`/v2.0/ports/${id}/bindings`);
    expect(list.body.bindings.map((b: Json) => [b.host, b.status]).sort()).toEqual([
      ['compute1', 'ACTIVE'],
      [OWN_HOST, 'INACTIVE'],
    ]);
    const inactiveOnly = await admin().get(`/v2.0/ports/${id}/bindings?status=INACTIVE&fields=host&fields=status`);
    expect(inactiveOnly.body.bindings, 'filters and fields apply to the bindings list').toEqual([{ host: OWN_HOST, status: 'INACTIVE' }]);
    expectNeutronError(await admin().get(`/v2.0/ports/${id}/bindings?color=red`), 400, 'HTTPBadRequest', "['color'] is invalid attribute for filtering");
    const shown = await admin().get(`/v2.0/ports/${id}/bindings/${OWN_HOST}`);
    expectStatus(shown, 200);
    expect(shown.body.binding).toMatchObject({ host: OWN_HOST, status: 'INACTIVE', vif_type: 'bridge' });
    expectNeutronError(
      await admin().get(`/v2.0/ports/${id}/bindings/nohost`),
      404,
      'PortBindingNotFound',
      `Binding for port ${id} for host nohost could not be found.`,
    );
    const activated = await admin().put(`/v2.0/ports/${id}/bindings/${OWN_HOST}/activate`, undefined);
    expectStatus(activated, 200);
    expect(activated.body.binding).toMatchObject({ host: OWN_HOST, status: 'ACTIVE' });
    expectNeutronError(
      await admin().put(`/v2.0/ports/${id}/bindings/${OWN_HOST}/activate`, undefined),
      409,
      'PortBindingAlreadyActive',
      `Binding for port ${id} on host ${OWN_HOST} is already active.`,
    );
    expect((await showPort(id))['binding:host_id']).toBe(OWN_HOST);
    expectStatus(await admin().del(`/v2.0/ports/${id}/bindings/compute1`), 204);
    expectNeutronError(
      await admin().del(`/v2.0/ports/${id}/bindings/compute1`),
      404,
      'PortBindingNotFound',
      `Binding for port ${id} for host compute1 could not be found.`,
    );
    await statusBecomes(id, 'ACTIVE');
    expectStatus(await aliceApi.get(`/v2.0/ports/${id}/bindings`), 403);
    const plain = await admin().post('/v2.0/ports', { port: { network_id: net.id } });
    expectNeutronError(
      await admin().get(`/v2.0/ports/${plain.body.port.id}/bindings`),
      400,
      'BadRequest',
      `Bad port request: Invalid port ${plain.body.port.id}. Operation only valid on compute ports.`,
    );
  });
});
