// Networks as clients see them: defaults, MTU, provider attributes, shared and external visibility, delete rules.
import { describe, expect, it } from 'vitest';
import { errorOf, type Json, member, newProject, useCoreHarness } from '../../../test/support/core-harness.js';

const MTU_TOO_BIG = [400, 'InvalidInput', 'Invalid input for operation: Requested MTU is too big, maximum is 1450.'];

describe('networks', () => {
  const h = useCoreHarness('networks_spec');
  const visibleTo = async (auth: Json, id: string) => (await h().call('GET', `networks/${id}`, { auth })).status;
  const listedFor = async (auth: Json, query: Record<string, string> = {}) =>
    (await h().call('GET', 'networks', { query, auth })).body.networks.map((n: Json) => n.id);

  it('creates a tenant network with Neutron’s defaults', async () => {
    const project = newProject();
    const net = await h().create('networks', {}, member(project));
    expect(net).toMatchObject({
      name: '',
      admin_state_up: true,
      status: 'ACTIVE',
      shared: false,
      'router:external': false,
      mtu: 1450,
      subnets: [],
      port_security_enabled: true,
      availability_zone_hints: [],
      project_id: project,
      tenant_id: project,
    });
  });

  it('allocates a VXLAN segment, shown to admins only, and refuses a VNI in use', async () => {
    const project = newProject();
    const tenant = await h().create('networks', { name: 'tenant' }, member(project));
    expect(Object.keys(tenant).filter((k) => k.startsWith('provider:'))).toEqual([]);
    const asAdmin = (await h().call('GET', `networks/${tenant.id}`)).body.network;
    expect(asAdmin['provider:network_type']).toBe('vxlan');
    expect(asAdmin['provider:physical_network']).toBeNull();
    expect(asAdmin['provider:segmentation_id']).toEqual(expect.any(Number));

    const vni = 60_000 + Math.floor(Math.random() * 5_000);
    const provider = { 'provider:network_type': 'vxlan', 'provider:segmentation_id': vni };
    const first = await h().create('networks', { name: 'vni', ...provider });
    expect(first['provider:segmentation_id']).toBe(vni);
    const again = await h().call('POST', 'networks', { body: { network: { name: 'vni-again', ...provider } } });
    expect(errorOf(again)).toEqual([409, 'TunnelIdInUse', `Unable to create the network. The tunnel ID ${vni} is in use.`]);
    expect(await listedFor(undefined, { name: 'vni-again' })).toEqual([]);
    const byMember = await h().call('POST', 'networks', { body: { network: provider }, auth: member(project) });
    expect(byMember.status).toBe(403);
  });

  it('takes an MTU up to the VXLAN maximum on create and update, and refuses a larger one', async () => {
    const auth = member(newProject());
    const net = await h().create('networks', { mtu: 1400 }, auth);
    expect(net.mtu).toBe(1400);
    const updated = await h().call('PUT', `networks/${net.id}`, { body: { network: { mtu: 1300 } }, auth });
    expect(updated.body.network.mtu).toBe(1300);
    expect(errorOf(await h().call('POST', 'networks', { body: { network: { mtu: 1451 } }, auth }))).toEqual(MTU_TOO_BIG);
    expect(errorOf(await h().call('PUT', `networks/${net.id}`, { body: { network: { mtu: 9000 } }, auth }))).toEqual(MTU_TOO_BIG);
    expect((await h().call('GET', `networks/${net.id}`, { auth })).body.network.mtu).toBe(1300);
  });

  it('shows shared and external networks to every project, private ones to their owner only', async () => {
    const owner = newProject();
    const priv = await h().create('networks', { name: 'private', project_id: owner });
    const shared = await h().create('networks', { name: 'shared', shared: true, project_id: owner });
    const external = await h().create('networks', { name: 'external', 'router:external': true, project_id: owner });
    const stranger = member(newProject());

    expect(await visibleTo(stranger, priv.id)).toBe(404);
    expect(await visibleTo(stranger, shared.id)).toBe(200);
    expect(await visibleTo(stranger, external.id)).toBe(200);
    const seen = await listedFor(stranger);
    expect(seen).toEqual(expect.arrayContaining([shared.id, external.id]));
    expect(seen).not.toContain(priv.id);
    expect(await listedFor(stranger, { shared: 'True', project_id: owner })).toEqual([shared.id]);
    expect(await listedFor(stranger, { 'router:external': 'True', project_id: owner })).toEqual([external.id]);
    expect((await listedFor(member(owner))).sort()).toEqual([priv.id, shared.id, external.id].sort());
  });

  it('lets only admins share a network or make it external', async () => {
    const auth = member(newProject());
    const own = await h().create('networks', { name: 'own' }, auth);
    const share = await h().call('PUT', `networks/${own.id}`, { body: { network: { shared: true } }, auth });
    expect(errorOf(share)).toEqual([403, 'PolicyNotAuthorized', '(rule:update_network and rule:update_network:shared) is disallowed by policy']);
    const external = await h().call('POST', 'networks', { body: { network: { 'router:external': true } }, auth });
    expect(errorOf(external)[0]).toBe(403);
    const byAdmin = await h().call('PUT', `networks/${own.id}`, { body: { network: { shared: true } } });
    expect(byAdmin.body.network.shared).toBe(true);
  });

  it('lists the ids of its subnets and counts each in its revision', async () => {
    const auth = member(newProject());
    const net = await h().create('networks', {}, auth);
    const a = await h().create('subnets', { network_id: net.id, cidr: '10.1.0.0/24', ip_version: 4 }, auth);
    const b = await h().create('subnets', { network_id: net.id, cidr: '10.2.0.0/24', ip_version: 4 }, auth);
    const shown = (await h().call('GET', `networks/${net.id}`, { auth })).body.network;
    expect([...shown.subnets].sort()).toEqual([a.id, b.id].sort());
    expect(shown.revision_number).toBeGreaterThan(net.revision_number);
  });

  it('gives its project a default security group', async () => {
    const project = newProject();
    await h().create('networks', {}, member(project));
    const groups = await h().call('GET', 'security-groups', { query: { project_id: project }, auth: member(project) });
    expect(groups.body.security_groups.map((g: Json) => g.name)).toEqual(['default']);
  });

  it('refuses delete with NetworkInUse while ports are in use, then takes DHCP ports and subnets with it', async () => {
    const auth = member(newProject());
    const net = await h().create('networks', { name: 'doomed' }, auth);
    const subnet = await h().create('subnets', { network_id: net.id, cidr: '10.9.0.0/24', ip_version: 4 }, auth);
    const vm = await h().create('ports', { network_id: net.id, device_owner: 'compute:nova' }, auth);
    const dhcp = await h().create('ports', { network_id: net.id, device_owner: 'network:dhcp' });

    expect(errorOf(await h().call('DELETE', `networks/${net.id}`, { auth }))).toEqual([
      409,
      'NetworkInUse',
      `Unable to complete operation on network ${net.id}. There are one or more ports still in use on the network, id for these ports is: ${vm.id}.`,
    ]);
    expect(await visibleTo(auth, net.id)).toBe(200);
    expect((await h().call('DELETE', `ports/${vm.id}`, { auth })).status).toBe(204);
    expect((await h().call('DELETE', `networks/${net.id}`, { auth })).status).toBe(204);

    expect(errorOf(await h().call('GET', `networks/${net.id}`))).toEqual([404, 'NetworkNotFound', `Network ${net.id} could not be found.`]);
    expect(errorOf(await h().call('GET', `subnets/${subnet.id}`))).toEqual([404, 'SubnetNotFound', `Subnet ${subnet.id} could not be found.`]);
    expect(errorOf(await h().call('GET', `ports/${dhcp.id}`))).toEqual([404, 'PortNotFound', `Port ${dhcp.id} could not be found.`]);
  });
});
