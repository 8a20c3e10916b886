// Subnet pools (§2.3): the CLI commands of the issue, subnets allocated from pools, prefix actions and Neutron's errors.
import { describe, expect, it } from 'vitest';
import { DIALECTS } from './support/appliance.js';
import { cliFor } from './support/cli.js';
import { type ApiClient, expectNeutronError, expectStatus, type Json } from './support/http.js';
import { createNetwork, newProject, uniqueName, useAppliance } from './support/suite.js';

describe.each(DIALECTS)('subnet pools (%s)', (dialect) => {
  const ctx = useAppliance(dialect);
  const admin = () => ctx().admin;

  const createPool = async (client: ApiClient, attrs: Json): Promise<Json> => {
    const res = await client.post('/v2.0/subnetpools', { subnetpool: { name: uniqueName('pool'), ...attrs } });
    expectStatus(res, 201);
    return res.body.subnetpool;
  };
  const subnetFromPool = (client: ApiClient, networkId: string, attrs: Json) =>
    client.post('/v2.0/subnets', { subnet: { network_id: networkId, ip_version: 4, ...attrs } });

  it('openstack subnet pool create --pool-prefix 10.100.0.0/16 --default-prefix-length 26 pool1', async () => {
    const cli = cliFor(ctx().app);
    const pool = await cli.openstack(['subnet', 'pool', 'create', '--pool-prefix', '10.100.0.0/16', '--default-prefix-length', '26', 'pool1', '-f', 'json']);
    expect(pool).toMatchObject({
      name: 'pool1',
      prefixes: ['10.100.0.0/16'],
      ip_version: 4,
      default_prefixlen: 26,
      min_prefixlen: 8,
      max_prefixlen: 32,
      default_quota: null,
      shared: false,
      is_default: false,
      address_scope_id: null,
      revision_number: 1,
    });
    // openstacksdk turns them into ints; on the wire Neutron sends the prefix lengths as strings.
    const shown = await admin().get(`/v2.0/subnetpools/${pool.id}`);
    expect(shown.body.subnetpool).toMatchObject({
      default_prefixlen: '26',
      min_prefixlen: '8',
      max_prefixlen: '32',
      tenant_id: pool.project_id,
      tags: [],
      description: '',
    });
  });

  it('openstack network create net2 && openstack subnet create --network net2 --subnet-pool <pool> sub-from-pool', async () => {
    const cli = cliFor(ctx().app);
    // Its own pool, made as pool1 is above: this test does not lean on the one before it.
    const pool = await createPool(admin(), { prefixes: ['10.100.0.0/16'], default_prefixlen: 26 });
    const net2 = await cli.openstack(['network', 'create', 'net2', '-f', 'json']);
    const sub = await cli.openstack(['subnet', 'create', '--network', net2.id, '--subnet-pool', pool.id, 'sub-from-pool', '-f', 'json']);
    expect(sub).toMatchObject({ cidr: '10.100.0.0/26', subnetpool_id: pool.id, network_id: net2.id, gateway_ip: '10.100.0.1' });

    const second = await subnetFromPool(admin(), net2.id, { subnetpool_id: pool.id });
    expectStatus(second, 201);
    expect(second.body.subnet.cidr).toBe('10.100.0.64/26');
    const bigger = await subnetFromPool(admin(), (await createNetwork(admin())).id, { subnetpool_id: pool.id, prefixlen: 24 });
    expectStatus(bigger, 201);
    expect(bigger.body.subnet.cidr).toBe('10.100.1.0/24');

    expectNeutronError(
      await admin().del(`/v2.0/subnetpools/${pool.id}`),
      400,
      'SubnetPoolDeleteError',
      'Unable to delete subnet pool: Subnet pool has existing allocations.',
    );
  });

  it('refuses subnets outside the pool rules with Neutron errors', async () => {
    const pool = await createPool(admin(), { prefixes: ['192.168.0.0/16'], min_prefixlen: 20, max_prefixlen: 28, default_quota: 4200 });
    const net = (await createNetwork(admin())).id;
    const first = await subnetFromPool(admin(), net, { subnetpool_id: pool.id, cidr: '192.168.16.0/20' });
    expectStatus(first, 201);
    const other = (await createNetwork(admin())).id;
    expectNeutronError(
      await subnetFromPool(admin(), other, { subnetpool_id: pool.id, cidr: '192.168.20.0/28' }),
      409,
      'SubnetAllocationError',
      'Failed to allocate subnet: Cannot allocate requested subnet from the available set of prefixes.',
    );
    expectNeutronError(
      await subnetFromPool(admin(), other, { subnetpool_id: pool.id, prefixlen: 29 }),
      400,
      'MaxPrefixSubnetAllocationError',
      'Unable to allocate subnet with prefix length 29, maximum allowed prefix is 28.',
    );
    expectNeutronError(
      await subnetFromPool(admin(), other, { subnetpool_id: pool.id, prefixlen: 16 }),
      400,
      'MinPrefixSubnetAllocationError',
      'Unable to allocate subnet with prefix length 16, minimum allowed prefix is 20.',
    );
    expectNeutronError(
      await subnetFromPool(admin(), other, { subnetpool_id: pool.id, ip_version: 6 }),
      400,
      'BadRequest',
      'Bad subnets request: Cannot allocate IPv6 subnet from IPv4 subnet pool.',
    );
    // The /20 holds 4096 of the project's 4200 /32s in this pool: a /24 more is over quota.
    expectNeutronError(
      await subnetFromPool(admin(), other, { subnetpool_id: pool.id, prefixlen: 24 }),
      409,
      'SubnetPoolQuotaExceeded',
      'Per-tenant subnet pool prefix quota exceeded.',
    );
  });

  it('validates pools on create and update with Neutron messages', async () => {
    const post = (attrs: Json) => admin().post('/v2.0/subnetpools', { subnetpool: attrs });
    expectNeutronError(
      await post({ prefixes: ['10.0.0.0/8'] }),
      400,
      'HTTPBadRequest',
      "Failed to parse request. Required attribute 'name' not specified",
    );
    expectNeutronError(
      await post({ name: ' ', prefixes: ['10.0.0.0/8'] }),
      400,
      'HTTPBadRequest',
      "Invalid input for name. Reason: ' ' Blank strings are not permitted.",
    );
    expectNeutronError(await post({ name: 'e', prefixes: [] }), 400, 'EmptySubnetPoolPrefixList', 'Empty subnet pool prefix list.');
    expectNeutronError(
      await post({ name: 'm', prefixes: ['10.0.0.0/8', '2001:db8::/32'] }),
      400,
      'PrefixVersionMismatch',
      'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.',
    );
    expectNeutronError(
      await post({ name: 'b', prefixes: ['10.0.0.0/8'], min_prefixlen: 28, max_prefixlen: 24 }),
      400,
      'IllegalSubnetPoolPrefixBounds',
      'Illegal prefix bounds: min_prefixlen=28, max_prefixlen=24.',
    );
    expectNeutronError(
      await post({ name: 'b', prefixes: ['2001:db8::/32'], min_prefixlen: 32, default_prefixlen: 48, max_prefixlen: 40 }),
      400,
      'IllegalSubnetPoolPrefixBounds',
      'Illegal prefix bounds: default_prefixlen=48, max_prefixlen=40.',
    );
    expectNeutronError(
      await post({ name: 's', prefixes: ['10.0.0.0/8'], address_scope_id: '2d5f2a8e-1b47-4b3c-9f7e-3c6a5b4d2e1f' }),
      404,
      'AddressScopeNotFound',
      'Address scope 2d5f2a8e-1b47-4b3c-9f7e-3c6a5b4d2e1f could not be found.',
    );

    const pool = await createPool(admin(), { prefixes: ['10.11.12.0/24', '10.11.13.0/24'], min_prefixlen: 28 });
    expect(pool.prefixes, 'adjacent prefixes are compacted').toEqual(['10.11.12.0/23']);
    const put = (attrs: Json) => admin().put(`/v2.0/subnetpools/${pool.id}`, { subnetpool: attrs });
    expectNeutronError(
      await put({ prefixes: ['10.11.12.0/24'] }),
      400,
      'IllegalSubnetPoolPrefixUpdate',
      'Illegal update to prefixes: Existing prefixes must be a subset of the new prefixes.',
    );
    expectNeutronError(await put({ shared: true }), 400, 'HTTPBadRequest', 'Cannot update read-only attribute shared');
    expectNeutronError(
      await put({ default_prefixlen: 20 }),
      400,
      'IllegalSubnetPoolPrefixBounds',
      'Illegal prefix bounds: default_prefixlen=20, min_prefixlen=28.',
    );
    const grown = await put({ prefixes: ['10.11.0.0/16'], max_prefixlen: 30, name: 'grown' });
    expectStatus(grown, 200);
    expect(grown.body.subnetpool).toMatchObject({ prefixes: ['10.11.0.0/16'], max_prefixlen: 30, name: 'grown', revision_number: 2 });
    const shown = await admin().get(`/v2.0/subnetpools/${pool.id}`);
    expect(shown.body.subnetpool).toMatchObject({ prefixes: ['10.11.0.0/16'], max_prefixlen: '30', min_prefixlen: '28' });
  });

  it('add_prefixes and remove_prefixes answer the new prefix list; only the owner may call them', async () => {
    const { api, projectId } = await newProject(ctx(), 'prefixops');
    const pool = await createPool(api, { prefixes: ['10.50.0.0/24'], min_prefixlen: 24 });
    expect(pool.project_id).toBe(projectId);
    const action = (client: ApiClient, name: string, body: Json) =>
      client.put(`/v2.0/subnetpools/${pool.id}/${name}`, body);

    const added = await action(api, 'add_prefixes', { prefixes: ['10.50.1.0/24', '10.60.0.0/24'] });
    expectStatus(added, 200);
    expect(added.body).toEqual({ prefixes: ['10.50.0.0/23', '10.60.0.0/24'] });

    const subnet = await subnetFromPool(api, (await createNetwork(api)).id, { subnetpool_id: pool.id });
    expectStatus(subnet, 201);
    expect(subnet.body.subnet.cidr).toBe('10.60.0.0/24');
    expectNeutronError(
      await action(api, 'remove_prefixes', { prefixes: ['10.60.0.0/16'] }),
      400,
      'IllegalSubnetPoolPrefixUpdate',
      'Illegal update to prefixes: One or more the prefixes to be removed is in use by a subnet.',
    );
    const removed = await action(api, 'remove_prefixes', { prefixes: ['10.50.0.0/24'] });
    expectStatus(removed, 200);
    expect(removed.body).toEqual({ prefixes: ['10.50.1.0/24', '10.60.0.0/24'] });
    expect((await api.get(`/v2.0/subnetpools/${pool.id}`)).body.subnetpool.prefixes).toEqual(['10.50.1.0/24', '10.60.0.0/24']);

    expectNeutronError(await action(api, 'add_prefixes', { prefixes: [] }), 400, 'HTTPBadRequest', 'Request body contains invalid data');
    expectNeutronError(
      await action(api, 'add_prefixes', { prefixes: ['2001:db8::/64'] }),
      400,
      'PrefixVersionMismatch',
      'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.',
    );
    expectNeutronError(await action(api, 'onboard_network_subnets', { network_id: 'x' }), 404, 'HTTPNotFound', 'The resource could not be found.');

    const stranger = await newProject(ctx(), 'stranger');
    expectNeutronError(
      await action(stranger.api, 'add_prefixes', { prefixes: ['10.70.0.0/24'] }),
      404,
      'SubnetPoolNotFound',
      `Subnet pool ${pool.id} could not be found.`,
    );
  });

  it('scopes visibility to owner and shared pools; shared and is_default are admin-only', async () => {
    const { api } = await newProject(ctx(), 'viewer');
    const privatePool = await createPool(admin(), { prefixes: ['172.16.0.0/16'] });
    const sharedPool = await createPool(admin(), { prefixes: ['172.17.0.0/16'], shared: true, min_prefixlen: 24 });

    expectNeutronError(await api.get(`/v2.0/subnetpools/${privatePool.id}`), 404, 'SubnetPoolNotFound', `Subnet pool ${privatePool.id} could not be found.`);
    const ids = (await api.get('/v2.0/subnetpools')).body.subnetpools.map((p: Json) => p.id);
    expect(ids).toContain(sharedPool.id);
    expect(ids).not.toContain(privatePool.id);
    expect((await api.get('/v2.0/subnetpools?shared=true')).body.subnetpools.map((p: Json) => p.id)).toEqual([sharedPool.id]);

    const net = (await createNetwork(api)).id;
    expectNeutronError(
      await subnetFromPool(api, net, { subnetpool_id: privatePool.id }),
      404,
      'SubnetPoolNotFound',
      `Subnet pool ${privatePool.id} could not be found.`,
    );
    const fromShared = await subnetFromPool(api, net, { subnetpool_id: sharedPool.id });
    expectStatus(fromShared, 201);
    expect(fromShared.body.subnet.cidr).toBe('172.17.0.0/24');
    expectNeutronError(
      await api.put(`/v2.0/subnetpools/${sharedPool.id}/add_prefixes`, { prefixes: ['172.18.0.0/16'] }),
      404,
      'SubnetPoolNotFound',
      `Subnet pool ${sharedPool.id} could not be found.`,
    );

    const denied = await api.post('/v2.0/subnetpools', { subnetpool: { name: 'x', prefixes: ['10.0.0.0/8'], shared: true } });
    expectNeutronError(denied, 403, 'PolicyNotAuthorized', /create_subnetpool:shared/);
    const notDefault = await api.post('/v2.0/subnetpools', { subnetpool: { name: 'x', prefixes: ['10.0.0.0/8'], is_default: true } });
    expectNeutronError(notDefault, 403, 'PolicyNotAuthorized', /create_subnetpool:is_default/);

    expectNeutronError(
      await subnetFromPool(api, net, { use_default_subnetpool: true }),
      400,
      'BadRequest',
      'Bad subnets request: No default subnetpool found for IPv4.',
    );
    const v6default = await createPool(admin(), { prefixes: ['2001:db8:100::/40'], is_default: true, shared: true });
    expect(v6default.is_default).toBe(true);
    const fromDefault = await subnetFromPool(api, net, { ip_version: 6, use_default_subnetpool: true });
    expectStatus(fromDefault, 201);
    expect(fromDefault.body.subnet).toMatchObject({ cidr: '2001:db8:100::/64', subnetpool_id: v6default.id, ip_version: 6 });
    expectNeutronError(
      await admin().post('/v2.0/subnetpools', { subnetpool: { name: 'y', prefixes: ['2001:db9::/32'], is_default: true } }),
      400,
      'InvalidInput',
      'Invalid input for operation: A default subnetpool for this IP family has already been set. Only one default may exist per IP family.',
    );
  });

  it('allocates distinct CIDRs to concurrent subnet creations from one pool', async () => {
    const pool = await createPool(admin(), { prefixes: ['10.200.0.0/22'], default_prefixlen: 26 });
    const nets = await Promise.all(Array.from({ length: 12 }, () => createNetwork(admin())));
    // One project per request: the engine's per-project quota lock must not be what serialises them.
    const results = await Promise.all(
      nets.map((n, i) => subnetFromPool(admin(), n.id, { subnetpool_id: pool.id, project_id: `${pool.project_id.slice(0, 30)}-${i}` })),
    );
    for (const r of results) expectStatus(r, 201);
    const offset = (cidr: string) => cidr.split('/')[0].split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
    const cidrs = results.map((r) => r.body.subnet.cidr as string).sort((a, b) => offset(a) - offset(b));
    expect(new Set(cidrs).size).toBe(12);
    expect(cidrs.slice(0, 5)).toEqual(['10.200.0.0/26', '10.200.0.64/26', '10.200.0.128/26', '10.200.0.192/26', '10.200.1.0/26']);
  });

  it('lists subnetpool in /v2.0/ and the pool extensions', async () => {
    const root = await admin().get('/v2.0/');
    expect(root.body.resources.map((r: Json) => r.collection)).toContain('subnetpools');
    const aliases = (await admin().get('/v2.0/extensions')).body.extensions.map((e: Json) => e.alias);
    expect(aliases).toEqual(expect.arrayContaining(['subnet_allocation', 'subnetpool-prefix-ops', 'default-subnetpools']));
  });
});
