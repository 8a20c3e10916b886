// Subnets as clients see them: CIDR, gateway and pool defaults, Neutron's validation texts, overlaps, IP exhaustion,
// updates, delete while in use, and which project may put a subnet on which network.
import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../identity/auth-context.js';
import { errorOf, type Json, member, newProject, useCoreHarness } from '../../../test/support/core-harness.js';

const invalid = (text: string) => [400, 'InvalidInput', `Invalid input for operation: ${text}`];

describe('subnets', () => {
  const h = useCoreHarness('subnets_spec');
  /** A network of a fresh project, and a POST of a subnet on it as that project's member. */
  const network = async () => {
    const auth = member(newProject());
    const net = await h().create('networks', {}, auth);
    const post = (attrs: Json) => h().call('POST', 'subnets', { body: { subnet: { network_id: net.id, ip_version: 4, ...attrs } }, auth });
    return { auth, net, post };
  };
  const port = (auth: AuthContext, attrs: Json) => h().call('POST', 'ports', { body: { port: attrs }, auth });

  it('canonicalises the CIDR and puts the gateway first and the pool around it', async () => {
    const { post } = await network();
    const res = await post({ cidr: '192.168.40.77/24' });
    expect(res.status).toBe(201);
    expect(res.body.subnet).toMatchObject({
      cidr: '192.168.40.0/24',
      gateway_ip: '192.168.40.1',
      allocation_pools: [{ start: '192.168.40.2', end: '192.168.40.254' }],
      enable_dhcp: true,
      dns_nameservers: [],
      host_routes: [],
      ipv6_ra_mode: null,
      ipv6_address_mode: null,
      subnetpool_id: null,
      revision_number: 1,
    });
    const noGateway = await post({ cidr: '192.168.41.0/24', gateway_ip: null });
    expect(noGateway.body.subnet).toMatchObject({ gateway_ip: null, allocation_pools: [{ start: '192.168.41.1', end: '192.168.41.254' }] });
  });

  it('defaults an IPv6 SLAAC subnet to the whole /64 after the gateway', async () => {
    const { post } = await network();
    const res = await post({ ip_version: 6, cidr: '2001:db8:1::/64', ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' });
    expect(res.body.subnet).toMatchObject({
      gateway_ip: '2001:db8:1::',
      allocation_pools: [{ start: '2001:db8:1::1', end: '2001:db8:1:0:ffff:ffff:ffff:ffff' }],
    });
  });

  it('refuses bad CIDRs, gateways, pools and DNS lists with Neutron’s texts', async () => {
    const { post } = await network();
    expect(errorOf(await post({ cidr: '10.0.0.0/33' }))).toEqual(invalid('10.0.0.0/33 is not in a CIDR format.'));
    expect(errorOf(await post({ cidr: '2001:db8::/64' }))).toEqual(invalid("cidr '2001:db8::/64' does not match the ip_version '4'."));
    expect(errorOf(await post({ cidr: '10.5.0.0/24', gateway_ip: '10.5.0.255' }))).toEqual(invalid('Gateway is not valid on subnet.'));
    expect(errorOf(await post({ cidr: '10.5.0.0/24', gateway_ip: '10.5.0.50', allocation_pools: [{ start: '10.5.0.10', end: '10.5.0.100' }] }))).toEqual([
      409,
      'GatewayConflictWithAllocationPools',
      'Gateway ip 10.5.0.50 conflicts with allocation pool 10.5.0.10-10.5.0.100.',
    ]);
    expect(errorOf(await post({ cidr: '10.5.0.0/24', allocation_pools: [{ start: '10.5.0.200', end: '10.5.1.10' }] }))).toEqual([
      400,
      'OutOfBoundsAllocationPool',
      'The allocation pool 10.5.0.200-10.5.1.10 spans beyond the subnet cidr 10.5.0.0/24.',
    ]);
    const sixServers = ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4', '1.1.1.5', '1.1.1.6'];
    expect(errorOf(await post({ cidr: '10.5.0.0/24', dns_nameservers: sixServers }))).toEqual([
      400,
      'DNSNameServersExhausted',
      'Unable to complete operation for new subnet. The number of DNS nameservers exceeds the limit 5.',
    ]);
    expect(errorOf(await post({}))).toEqual([400, 'BadRequest', 'Bad subnets request: a subnetpool must be specified in the absence of a cidr.']);
  });

  it('refuses a CIDR overlapping another subnet of the same network, not of another network', async () => {
    const { net, post } = await network();
    expect((await post({ cidr: '172.16.0.0/24' })).status).toBe(201);
    expect(errorOf(await post({ cidr: '172.16.0.128/25' }))).toEqual(
      invalid(`Requested subnet with cidr: 172.16.0.128/25 for network: ${net.id} overlaps with another subnet.`),
    );
    const other = await network();
    expect((await other.post({ cidr: '172.16.0.0/24' })).status).toBe(201);
  });

  it('hands out the pool in order until it is exhausted, and takes addresses back on port delete', async () => {
    const { auth, net, post } = await network();
    const subnet = (await post({ cidr: '10.99.0.0/24', allocation_pools: [{ start: '10.99.0.10', end: '10.99.0.11' }], enable_dhcp: false })).body.subnet;
    const first = await port(auth, { network_id: net.id });
    const second = await port(auth, { network_id: net.id });
    expect([first.body.port.fixed_ips, second.body.port.fixed_ips]).toEqual([
      [{ subnet_id: subnet.id, ip_address: '10.99.0.10' }],
      [{ subnet_id: subnet.id, ip_address: '10.99.0.11' }],
    ]);
    const full = await port(auth, { network_id: net.id });
    expect(errorOf(full)).toEqual([409, 'IpAddressGenerationFailure', `No more IP addresses available on network ${net.id}.`]);

    expect((await h().call('DELETE', `ports/${first.body.port.id}`, { auth })).status).toBe(204);
    const reused = await port(auth, { network_id: net.id });
    expect(reused.body.port.fixed_ips).toEqual([{ subnet_id: subnet.id, ip_address: '10.99.0.10' }]);
  });

  it('updates gateway, pools and DNS under the same rules, but never the CIDR', async () => {
    const { auth, net, post } = await network();
    const s = (await post({ cidr: '10.7.0.0/24', allocation_pools: [{ start: '10.7.0.10', end: '10.7.0.20' }] })).body.subnet;
    const put = (attrs: Json) => h().call('PUT', `subnets/${s.id}`, { body: { subnet: attrs }, auth });
    expect(errorOf(await put({ cidr: '10.8.0.0/24' }))).toEqual([400, 'HTTPBadRequest', 'Cannot update read-only attribute cidr']);
    expect(errorOf(await put({ gateway_ip: '10.7.0.15' }))).toEqual([
      409,
      'GatewayConflictWithAllocationPools',
      'Gateway ip 10.7.0.15 conflicts with allocation pool 10.7.0.10-10.7.0.20.',
    ]);
    const updated = await put({ gateway_ip: '10.7.0.254', allocation_pools: [{ start: '10.7.0.100', end: '10.7.0.110' }], dns_nameservers: ['8.8.8.8'] });
    expect(updated.status).toBe(200);
    expect(updated.body.subnet).toMatchObject({
      cidr: '10.7.0.0/24',
      gateway_ip: '10.7.0.254',
      allocation_pools: [{ start: '10.7.0.100', end: '10.7.0.110' }],
      dns_nameservers: ['8.8.8.8'],
      revision_number: 2,
    });
    expect((await port(auth, { network_id: net.id })).body.port.fixed_ips).toEqual([{ subnet_id: s.id, ip_address: '10.7.0.100' }]);
  });

  it('refuses delete with SubnetInUse while a port has an address on it', async () => {
    const { auth, net, post } = await network();
    const s = (await post({ cidr: '10.3.0.0/24' })).body.subnet;
    const p = (await port(auth, { network_id: net.id })).body.port;
    expect(errorOf(await h().call('DELETE', `subnets/${s.id}`, { auth }))).toEqual([
      409,
      'SubnetInUse',
      `Unable to complete operation on subnet ${s.id}: One or more ports have an IP allocation from this subnet.`,
    ]);
    expect((await h().call('DELETE', `ports/${p.id}`, { auth })).status).toBe(204);
    expect((await h().call('DELETE', `subnets/${s.id}`, { auth })).status).toBe(204);
    expect((await h().call('GET', `networks/${net.id}`, { auth })).body.network.subnets).toEqual([]);
  });

  it('lets a project add subnets to its own and shared networks only', async () => {
    const owner = newProject();
    const priv = await h().create('networks', { project_id: owner });
    const privSub = await h().create('subnets', { network_id: priv.id, cidr: '10.11.0.0/24', ip_version: 4, project_id: owner });
    const external = await h().create('networks', { 'router:external': true, project_id: owner });
    const shared = await h().create('networks', { shared: true, project_id: owner });
    const sharedSub = await h().create('subnets', { network_id: shared.id, cidr: '10.14.0.0/24', ip_version: 4, project_id: owner });
    const strangerProject = newProject();
    const stranger = member(strangerProject);
    const post = (networkId: string, cidr: string) =>
      h().call('POST', 'subnets', { body: { subnet: { network_id: networkId, cidr, ip_version: 4 } }, auth: stranger });

    expect(errorOf(await post(priv.id, '10.12.0.0/24'))).toEqual([404, 'NetworkNotFound', `Network ${priv.id} could not be found.`]);
    expect(errorOf(await post(external.id, '10.13.0.0/24'))).toEqual([
      403,
      'HTTPForbidden',
      `Tenant ${strangerProject} not allowed to create subnet on this network`,
    ]);
    expect(errorOf(await h().call('GET', `subnets/${privSub.id}`, { auth: stranger }))).toEqual([
      404,
      'SubnetNotFound',
      `Subnet ${privSub.id} could not be found.`,
    ]);
    const visible = (await h().call('GET', 'subnets', { query: { project_id: owner }, auth: stranger })).body.subnets;
    expect(visible.map((s: Json) => s.id)).toEqual([sharedSub.id]);
  });
});
