// Provider networks, tenant segments and /v2.0/segments as an operator sees them with the real CLI and openstacksdk:
// VLAN/flat/VXLAN allocation, Neutron's validation and conflict errors, admin-only provider attributes, exhaustion,
// release on delete. The VXLAN range is shrunk to three VNIs so exhaustion is reachable.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startAppliance } from './support/appliance.js';
import { cliFailure, cliFor } from './support/cli.js';
import { type ApiClient, apiClient, expectNeutronError, expectStatus, type Json } from './support/http.js';
import { createProjectUser, type ProjectUser } from './support/identity.js';
import { createNetwork, useAppliance } from './support/suite.js';

const VNI_RANGE_ENV = { APPLIANCE__ML2__VNI_RANGES: '["100:102"]' };

describe.each(DIALECTS)('segments and provider networks (%s)', (dialect) => {
  const ctx = useAppliance(dialect, VNI_RANGE_ENV);
  const cli = () => cliFor(ctx().app);
  const admin = () => ctx().admin;
  let member: ProjectUser;
  let memberApi: ApiClient;
  const nets: Record<string, Json> = {};

  const segmentsOf = async (networkId: string): Promise<Json[]> => {
    const res = await admin().get(`/v2.0/segments?network_id=${networkId}`);
    expectStatus(res, 200);
    return res.body.segments;
  };
  const provider = (net: Json) => [net['provider:network_type'], net['provider:physical_network'], net['provider:segmentation_id']];

  beforeAll(async () => {
    member = await createProjectUser(ctx().app, ctx().adminToken, { project: `seg-${dialect}`, user: `seg-${dialect}` });
    memberApi = apiClient(ctx().app.apiUrl, member.token);
  });

  it('creates a VLAN provider network with the CLI', async () => {
    const net = await cli().openstack([
      'network', 'create', '--provider-network-type', 'vlan', '--provider-physical-network', 'physnet1', '--provider-segment', '101', 'v101', '-f', 'json',
    ]);
    expect([net['provider:network_type'], net['provider:physical_network'], net['provider:segmentation_id']]).toEqual(['vlan', 'physnet1', 101]);
    expect(net.mtu).toBe(1500);
    nets.v101 = net;
  });

  it('creates a flat external network on the public physnet', async () => {
    const net = await cli().openstack([
      'network', 'create', '--provider-network-type', 'flat', '--provider-physical-network', 'public', '--external', 'public', '-f', 'json',
    ]);
    expect([net['provider:network_type'], net['provider:physical_network'], net['provider:segmentation_id']]).toEqual(['flat', 'public', null]);
    expect(net['router:external']).toBe(true);
    expect(net.mtu).toBe(1500);
    nets.public = net;
  });

  it('gives a tenant network the next free VNI and shows its segment with `network segment list`', async () => {
    const net = await cli().openstack(['network', 'create', 'tenant1', '-f', 'json']);
    expect([net['provider:network_type'], net['provider:physical_network'], net['provider:segmentation_id']]).toEqual(['vxlan', null, 100]);
    expect(net.mtu).toBe(1450);
    nets.tenant1 = net;
    const rows = await cli().openstack(['network', 'segment', 'list', '--network', 'tenant1', '-f', 'json']);
    expect(rows).toEqual([expect.objectContaining({ Network: net.id, 'Network Type': 'vxlan', Segment: 100 })]);
    const [segment] = await segmentsOf(net.id);
    expect(segment).toEqual({
      id: rows[0].ID,
      network_id: net.id,
      name: null,
      description: '',
      network_type: 'vxlan',
      physical_network: null,
      segmentation_id: 100,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updated_at: expect.any(String),
      revision_number: 1,
    });
    // openstacksdk sees the same segment.
    const sdk = await cli().sdk(
      `import openstack, json; c = openstack.connect(); print(json.dumps([[s.network_type, s.segmentation_id] for s in c.network.segments(network_id='${net.id}')]))`,
    );
    expect(JSON.parse(sdk)).toEqual([['vxlan', 100]]);
  });

  it('refuses a VLAN id out of range, an unknown physnet and other bad combinations with Neutron’s messages', async () => {
    const failure = await cliFailure(
      cli().openstack(['network', 'create', '--provider-network-type', 'vlan', '--provider-physical-network', 'physnet1', '--provider-segment', '5000', 'bad']),
    );
    expect(failure.stderr).toContain('segmentation_id out of range (1 through 4094)');
    const create = (network: Json) => admin().post('/v2.0/networks', { network });
    const invalid = (msg: string) => `Invalid input for operation: ${msg}.`;
    expectNeutronError(
      await create({ 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 5000 }),
      400, 'InvalidInput', invalid('segmentation_id out of range (1 through 4094)'),
    );
    expectNeutronError(
      await create({ 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet9', 'provider:segmentation_id': 5 }),
      400, 'InvalidInput', invalid("physical_network 'physnet9' unknown for VLAN provider network"),
    );
    expectNeutronError(await create({ 'provider:network_type': 'flat' }), 400, 'InvalidInput', invalid('physical_network required for flat provider network'));
    expectNeutronError(
      await create({ 'provider:network_type': 'vxlan', 'provider:physical_network': 'physnet1' }),
      400, 'InvalidInput', invalid('provider:physical_network specified for vxlan network'),
    );
    expectNeutronError(await create({ 'provider:segmentation_id': 7 }), 400, 'InvalidInput', invalid('network_type required'));
    expectNeutronError(await create({ 'provider:network_type': 'gre' }), 400, 'InvalidInput', invalid("network_type value 'gre' not supported"));
    expectNeutronError(
      await create({ 'provider:network_type': 'vxlan', segments: [{ 'provider:network_type': 'vxlan' }] }),
      400, 'SegmentsSetInConjunctionWithProviders', 'Segments and provider values cannot both be set.',
    );
    expectNeutronError(
      await create({ segments: [{ 'provider:network_type': 'vxlan', 'provider:segmentation_id': 9 }, { 'provider:network_type': 'vxlan', 'provider:segmentation_id': 9 }] }),
      400, 'SegmentsContainDuplicateEntry', 'Duplicate segment entry in request.',
    );
    expectNeutronError(await create({ mtu: 1451 }), 400, 'InvalidInput', invalid('Requested MTU is too big, maximum is 1450'));
  });

  it('answers 409 for a taken segment, and nothing of the failed create remains', async () => {
    const failure = await cliFailure(
      cli().openstack(['network', 'create', '--provider-network-type', 'vlan', '--provider-physical-network', 'physnet1', '--provider-segment', '101', 'v101-again']),
    );
    expect(failure.stderr).toContain('The VLAN 101 on physical network physnet1 is in use');
    expectNeutronError(
      await admin().post('/v2.0/networks', { network: { 'provider:network_type': 'flat', 'provider:physical_network': 'public' } }),
      409, 'FlatNetworkInUse', 'Unable to create the flat network. Physical network public is in use.',
    );
    expectNeutronError(
      await admin().post('/v2.0/networks', { network: { 'provider:network_type': 'vxlan', 'provider:segmentation_id': 100 } }),
      409, 'TunnelIdInUse', 'Unable to create the network. The tunnel ID 100 is in use.',
    );
    expect((await admin().get('/v2.0/networks?name=v101-again')).body.networks).toEqual([]);
  });

  it('keeps provider attributes and segments to admins (403 on create, hidden on read)', async () => {
    const res = await memberApi.post('/v2.0/networks', { network: { name: 'mine', 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1' } });
    expectNeutronError(res, 403, 'PolicyNotAuthorized', /create_network:provider:network_type.* is disallowed by policy/);
    const failure = await cliFailure(
      cli().openstack(['network', 'create', '--provider-network-type', 'vxlan', 'mine'], { user: member.user, password: member.password, project: member.project }),
    );
    expect(failure.stderr).toMatch(/disallowed by policy/);
    // The member's own network still gets a segment (the next VNI), which only admins see.
    const mine = await createNetwork(memberApi, { name: 'mine' });
    expect(Object.keys(mine).filter((k) => k.startsWith('provider:') || k === 'segments')).toEqual([]);
    expect(provider((await admin().get(`/v2.0/networks/${mine.id}`)).body.network)).toEqual(['vxlan', null, 101]);
    expect((await memberApi.get('/v2.0/segments')).body.segments).toEqual([]);
    expectNeutronError(await memberApi.get(`/v2.0/segments/${(await segmentsOf(mine.id))[0].id}`), 404, 'SegmentNotFound', /Segment .* could not be found\./);
    expectStatus(await memberApi.post('/v2.0/segments', { segment: { network_id: mine.id, network_type: 'vxlan' } }), 403);
    nets.mine = mine;
  });

  it('answers 503 NoNetworkAvailable when the VNI range is exhausted, and a delete gives the VNI back', async () => {
    const last = await createNetwork(admin(), { name: 'last-vni' });
    expect(provider(last)).toEqual(['vxlan', null, 102]);
    const failure = await cliFailure(cli().openstack(['network', 'create', 'one-too-many']));
    expect(failure.stderr).toContain('No tenant network is available for allocation');
    expectNeutronError(
      await admin().post('/v2.0/networks', { network: { name: 'one-too-many' } }),
      503, 'NoNetworkAvailable', 'Unable to create the network. No tenant network is available for allocation.',
    );
    await cli().openstack(['network', 'delete', 'tenant1']);
    const again = await cli().openstack(['network', 'create', 'tenant1-again', '-f', 'json']);
    expect(again['provider:segmentation_id']).toBe(100);
    // A deleted VLAN provider network frees its id as well.
    await cli().openstack(['network', 'delete', 'public']);
    nets.public2 = await createNetwork(admin(), { name: 'public2', 'provider:network_type': 'flat', 'provider:physical_network': 'public' });
  });

  it('filters networks on provider attributes', async () => {
    const names = async (query: string) =>
      ((await admin().get(`/v2.0/networks?${query}`)).body.networks as Json[]).map((n) => n.name).sort();
    expect(await names('provider:network_type=vlan')).toEqual(['v101']);
    expect(await names('provider:network_type=flat&provider:physical_network=public')).toEqual(['public2']);
    expect(await names('provider:segmentation_id=101')).toEqual(['mine', 'v101']);
    expect(await names('provider:network_type=vxlan&provider:segmentation_id=101')).toEqual(['mine']);
    const rows = await cli().openstack(['network', 'list', '--provider-network-type', 'vlan', '-f', 'json']);
    expect(rows.map((r: Json) => r.Name)).toEqual(['v101']);
  });

  it('changes the VLAN id of a provider network without ports, and refuses what Neutron refuses', async () => {
    const id = nets.v101.id;
    await cli().openstack(['network', 'set', '--provider-segment', '150', 'v101']);
    expect(provider((await admin().get(`/v2.0/networks/${id}`)).body.network)).toEqual(['vlan', 'physnet1', 150]);
    expect((await segmentsOf(id))[0].segmentation_id).toBe(150);
    // 101 went back to the pool: a new provider network may take it.
    await createNetwork(admin(), { name: 'v101b', 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 101 });
    expectNeutronError(
      await admin().put(`/v2.0/networks/${id}`, { network: { 'provider:segmentation_id': 101 } }),
      409, 'VlanIdInUse', 'Unable to create the network. The VLAN 101 on physical network physnet1 is in use.',
    );
    expectNeutronError(
      await admin().put(`/v2.0/networks/${id}`, { network: { 'provider:network_type': 'vxlan' } }),
      400, 'InvalidInput',
      'Invalid input for operation: Plugin does not support updating the following provider network attributes: provider:network_type, provider:physical_network.',
    );
    expectNeutronError(
      await admin().put(`/v2.0/networks/${nets.mine.id}`, { network: { 'provider:segmentation_id': 55 } }),
      400, 'InvalidInput', // Neutron's message ends with a period inside InvalidInput's own "…%s.": two dots, as Neutron answers.
      'Invalid input for operation: Only VLAN type networks can be updated..',
    );
    expectStatus(await memberApi.put(`/v2.0/networks/${nets.mine.id}`, { network: { 'provider:segmentation_id': 55 } }), 403);
  });

  it('adds, renames, filters and deletes segments through /v2.0/segments (multi-segment networks show `segments`)', async () => {
    const id = nets.v101.id;
    const res = await admin().post('/v2.0/segments', { segment: { network_id: id, network_type: 'vlan', physical_network: 'physnet1', name: 'second' } });
    expectStatus(res, 201);
    const second = res.body.segment;
    // The next VLAN above the highest in use on physnet1 (101, 150).
    expect(second).toMatchObject({ network_id: id, network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 151, name: 'second' });
    const net = (await admin().get(`/v2.0/networks/${id}`)).body.network;
    expect(net.segments).toEqual([
      { 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 150 },
      { 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 151 },
    ]);
    expect('provider:network_type' in net).toBe(false);
    expectNeutronError(
      await admin().put(`/v2.0/networks/${id}`, { network: { 'provider:segmentation_id': 160 } }),
      400, 'InvalidInput', 'Invalid input for operation: Provider network attributes can be updated only in provider networks with a single segment..',
    );
    const renamed = await admin().put(`/v2.0/segments/${second.id}`, { segment: { name: 'renamed', description: 'd' } });
    expectStatus(renamed, 200);
    expect(renamed.body.segment).toMatchObject({ name: 'renamed', description: 'd', revision_number: 2 });
    expectNeutronError(
      await admin().put(`/v2.0/segments/${second.id}`, { segment: { segmentation_id: 3 } }),
      400, 'HTTPBadRequest', 'Cannot update read-only attribute segmentation_id',
    );
    const vlanSegments = (await admin().get('/v2.0/segments?network_type=vlan&physical_network=physnet1')).body.segments as Json[];
    expect(vlanSegments.map((s) => s.segmentation_id).sort()).toEqual([101, 150, 151]);
    expectNeutronError(
      await admin().post('/v2.0/segments', { segment: { network_id: id, network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 101 } }),
      409, 'VlanIdInUse', 'Unable to create the network. The VLAN 101 on physical network physnet1 is in use.',
    );
    expectNeutronError(
      await admin().post('/v2.0/segments', { segment: { network_id: '5b7d5f0b-2d0c-4a53-9bd4-0c2f3c1f2a11', network_type: 'vxlan' } }),
      404, 'NetworkNotFound', 'Network 5b7d5f0b-2d0c-4a53-9bd4-0c2f3c1f2a11 could not be found.',
    );
    await cli().openstack(['network', 'segment', 'delete', second.id]);
    expect((await segmentsOf(id)).map((s) => s.segmentation_id)).toEqual([150]);
    // The deleted segment's VLAN is free again.
    const reuse = await admin().post('/v2.0/segments', { segment: { network_id: id, network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 151 } });
    expectStatus(reuse, 201);
    expectNeutronError(await admin().get(`/v2.0/segments/${second.id}`), 404, 'SegmentNotFound', `Segment ${second.id} could not be found.`);
  });

  it('creates a multi-segment network with `segments` and releases every segment on delete', async () => {
    const net = await createNetwork(admin(), {
      name: 'multi',
      segments: [
        { 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 120 },
        { 'provider:network_type': 'vxlan', 'provider:segmentation_id': 7000 },
      ],
    });
    expect(net.segments).toHaveLength(2);
    expect(net.mtu).toBe(1450);
    expectStatus(await admin().del(`/v2.0/networks/${net.id}`), 204);
    expect(await segmentsOf(net.id)).toEqual([]);
    await createNetwork(admin(), { name: 'reuse-120', 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 120 });
    await createNetwork(admin(), { name: 'reuse-7000', 'provider:network_type': 'vxlan', 'provider:segmentation_id': 7000 });
  });

  it('lists the provider, multi-provider and segment extensions', async () => {
    const aliases = ((await admin().get('/v2.0/extensions')).body.extensions as Json[]).map((e) => e.alias);
    expect(aliases).toEqual(expect.arrayContaining(['provider', 'multi-provider', 'segment', 'standard-attr-segment']));
  });
});

describe('ml2 ranges at start', () => {
  it('stops the start with a message naming the bad range', async () => {
    await expect(startAppliance({ dialect: 'sqlite', env: { APPLIANCE__ML2__NETWORK_VLAN_RANGES: '["physnet1:100:5000"]' } })).rejects.toThrow(
      "ml2.network_vlan_ranges: Invalid network VLAN range: '100:5000' - '5000 is not a valid VLAN tag'.",
    );
  });
});
