// Subnets, IPAM and IP availability as clients see them: the CLI commands, Neutron's validation errors,
// visibility across projects, update rules, subnets in use, and 50 ports racing for the last free address.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from './support/appliance.js';
import { cliFor } from './support/cli.js';
import { type ApiClient, expectNeutronError, expectStatus, type Json } from './support/http.js';
import { eventually } from './support/wait.js';
import { createNetwork, newProject, uniqueName, useAppliance } from './support/suite.js';

/** The EUI-64 address of a MAC in a /64 written as 'prefix::' (what oslo's get_ipv6_addr_by_EUI64 gives). */
function eui64(prefix: string, mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const words = [((b[0] ^ 2) << 8) | b[1], (b[2] << 8) | 0xff, 0xfe00 | b[3], (b[4] << 8) | b[5]];
  return `${prefix.replace(/::$/, '')}::${words.map((w) => w.toString(16)).join(':')}`;
}

describe.each(DIALECTS)('subnets and IPAM (%s)', (dialect) => {
  const ctx = useAppliance(dialect);
  const cli = () => cliFor(ctx().app);
  const admin = () => ctx().admin;
  const state: { net1?: Json; sub1?: Json; sub6?: Json } = {};

  const createSubnet = async (client: ApiClient, attrs: Record<string, unknown>): Promise<Json> => {
    const res = await client.post('/v2.0/subnets', { subnet: attrs });
    expectStatus(res, 201);
    return res.body.subnet;
  };
  const createPort = (client: ApiClient, attrs: Record<string, unknown>) => client.post('/v2.0/ports', { port: attrs });

  describe('the issue walkthrough with the openstack CLI', () => {
    // The walkthrough's net1, sub1 and sub6, made here so that no test below leans on another having run before it.
    beforeAll(async () => {
      state.net1 = await cli().openstack(['network', 'create', 'net1', '-f', 'json']);
      state.sub1 = await cli().openstack([
        'subnet', 'create', '--network', 'net1', '--subnet-range', '10.0.0.0/24', '--dns-nameserver', '10.0.0.53',
        '--allocation-pool', 'start=10.0.0.10,end=10.0.0.200', '--host-route', 'destination=10.9.0.0/16,gateway=10.0.0.254',
        'sub1', '-f', 'json',
      ]);
      state.sub6 = await cli().openstack([
        'subnet', 'create', '--network', 'net1', '--ip-version', '6', '--subnet-range', '2001:db8::/64',
        '--ipv6-ra-mode', 'slaac', '--ipv6-address-mode', 'slaac', 'sub6', '-f', 'json',
      ]);
    });

    it('openstack subnet create … sub1 (IPv4 with DNS, pool and host route)', () => {
      expect(state.sub1).toMatchObject({
        name: 'sub1',
        network_id: state.net1.id,
        cidr: '10.0.0.0/24',
        ip_version: 4,
        gateway_ip: '10.0.0.1',
        enable_dhcp: true,
        dns_nameservers: ['10.0.0.53'],
        allocation_pools: [{ start: '10.0.0.10', end: '10.0.0.200' }],
        host_routes: [{ destination: '10.9.0.0/16', nexthop: '10.0.0.254' }],
        ipv6_ra_mode: null,
        ipv6_address_mode: null,
        subnetpool_id: null,
        revision_number: 1,
      });
    });

    it('openstack subnet create --ip-version 6 … --ipv6-ra-mode slaac --ipv6-address-mode slaac sub6', () => {
      expect(state.sub6).toMatchObject({
        cidr: '2001:db8::/64',
        ip_version: 6,
        gateway_ip: '2001:db8::',
        ipv6_ra_mode: 'slaac',
        ipv6_address_mode: 'slaac',
        allocation_pools: [{ start: '2001:db8::1', end: '2001:db8::ffff:ffff:ffff:ffff' }],
      });
    });

    it('network show lists both subnets, with the revision bumped by each', async () => {
      const net = await cli().openstack(['network', 'show', 'net1', '-f', 'json']);
      expect([...net.subnets].sort()).toEqual([state.sub1.id, state.sub6.id].sort());
      expect(net.revision_number).toBeGreaterThan(state.net1.revision_number);
    });

    it('openstack subnet list --network net1 and subnet show', async () => {
      const rows: Json[] = await cli().openstack(['subnet', 'list', '--network', 'net1', '-f', 'json']);
      expect(rows.map((r) => [r.Name, r.Subnet]).sort()).toEqual([['sub1', '10.0.0.0/24'], ['sub6', '2001:db8::/64']]);
      const shown = await cli().openstack(['subnet', 'show', 'sub1', '-f', 'json']);
      expect(shown).toMatchObject({ id: state.sub1.id, dns_nameservers: ['10.0.0.53'] });
    });

    it('openstack ip availability show net1 counts pool sizes and allocations', async () => {
      // The DHCP agent's port holds the lowest pool address of each DHCP subnet, as in Neutron.
      const dhcpPorts = await eventually(
        async () => (await admin().get(`/v2.0/ports?network_id=${state.net1.id}&device_owner=network:dhcp`)).body.ports,
        (ports: Json[]) => ports.length === 1 && ports[0].fixed_ips.length === 2,
      );
      const dhcpV4 = dhcpPorts[0].fixed_ips.find((ip: Json) => ip.subnet_id === state.sub1.id);
      expect(dhcpV4.ip_address).toBe('10.0.0.10');
      const before = await cli().openstack(['ip', 'availability', 'show', 'net1', '-f', 'json']);
      expect(before).toMatchObject({ network_id: state.net1.id, network_name: 'net1', used_ips: 2 });
      const v4 = before.subnet_ip_availability.find((s: Json) => s.ip_version === 4);
      expect(v4).toMatchObject({ subnet_id: state.sub1.id, subnet_name: 'sub1', cidr: '10.0.0.0/24', total_ips: 191, used_ips: 1 });

      const port = await createPort(admin(), { network_id: state.net1.id, fixed_ips: [{ subnet_id: state.sub1.id }] });
      expectStatus(port, 201);
      expect(port.body.port.fixed_ips.find((ip: Json) => ip.subnet_id === state.sub1.id)).toEqual({ subnet_id: state.sub1.id, ip_address: '10.0.0.11' });
      // On the SLAAC subnet every port also gets the EUI-64 address of its MAC.
      expect(port.body.port.fixed_ips.find((ip: Json) => ip.subnet_id === state.sub6.id)).toEqual({
        subnet_id: state.sub6.id,
        ip_address: eui64('2001:db8::', port.body.port.mac_address),
      });
      const after = (await admin().get(`/v2.0/network-ip-availabilities/${state.net1.id}`)).body.network_ip_availability;
      const v4after = after.subnet_ip_availability.find((s: Json) => s.ip_version === 4);
      expect(v4after.used_ips).toBe(2);
      expect(after.used_ips).toBe(2 + port.body.port.fixed_ips.length);

      // In use: the subnet cannot go; once the port is gone it can.
      const cli409 = await cli().openstack(['subnet', 'delete', 'sub1']).catch((e: Error) => e);
      expect(String(cli409)).toContain('One or more ports have an IP allocation from this subnet');
      expectStatus(await admin().del(`/v2.0/ports/${port.body.port.id}`), 204);
      expect(await cli().openstack(['subnet', 'delete', 'sub1'])).toBeNull();
      expectNeutronError(await admin().get(`/v2.0/subnets/${state.sub1.id}`), 404, 'SubnetNotFound', `Subnet ${state.sub1.id} could not be found.`);
    });
  });

  describe('validation with Neutron texts', () => {
    it('refuses bad CIDRs, bad gateways and bad pools', async () => {
      const net = await createNetwork(admin(), { name: uniqueName('val') });
      const post = (attrs: Record<string, unknown>) => admin().post('/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, ...attrs } });
      expectNeutronError(await post({ cidr: '10.0.0.0/33' }), 400, 'InvalidInput', 'Invalid input for operation: 10.0.0.0/33 is not in a CIDR format.');
      // A bare address is read as a /32, too small for DHCP.
      expectNeutronError(
        await post({ cidr: '10.0.0.0' }),
        400,
        'InvalidInput',
        'Invalid input for operation: Subnet has a prefix length that is incompatible with DHCP service enabled.',
      );
      expectNeutronError(await post({ cidr: 'x/24' }), 400, 'InvalidInput', 'Invalid input for operation: x/24 is not in a CIDR format.');
      expectNeutronError(await post({ cidr: '2001:db8::/64' }), 400, 'InvalidInput', "Invalid input for operation: cidr '2001:db8::/64' does not match the ip_version '4'.");
      expectNeutronError(await post({ cidr: '10.5.0.0/24', gateway_ip: '10.5.0.255' }), 400, 'InvalidInput', 'Invalid input for operation: Gateway is not valid on subnet.');
      expectNeutronError(
        await post({ cidr: '10.5.0.0/24', gateway_ip: '10.5.0.50', allocation_pools: [{ start: '10.5.0.10', end: '10.5.0.100' }] }),
        409,
        'GatewayConflictWithAllocationPools',
        'Gateway ip 10.5.0.50 conflicts with allocation pool 10.5.0.10-10.5.0.100.',
      );
      expectNeutronError(
        await post({ cidr: '10.5.0.0/24', allocation_pools: [{ start: '10.5.0.200', end: '10.5.1.10' }] }),
        400,
        'OutOfBoundsAllocationPool',
        'The allocation pool 10.5.0.200-10.5.1.10 spans beyond the subnet cidr 10.5.0.0/24.',
      );
      expectNeutronError(
        await post({ cidr: '10.5.0.0/24', dns_nameservers: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4', '1.1.1.5', '1.1.1.6'] }),
        400,
        'DNSNameServersExhausted',
        'Unable to complete operation for new subnet. The number of DNS nameservers exceeds the limit 5.',
      );
      expectNeutronError(
        await post({ cidr: '10.5.0.0/24', ipv6_ra_mode: 'slaac' }),
        400,
        'InvalidInput',
        'Invalid input for operation: ipv6_ra_mode is not valid when ip_version is 4.',
      );
      expectNeutronError(
        await post({ ip_version: 6, cidr: '2001:db8:9::/64', ipv6_ra_mode: 'slaac', ipv6_address_mode: 'dhcpv6-stateful' }),
        400,
        'InvalidInput',
        "Invalid input for operation: ipv6_ra_mode set to 'slaac' with ipv6_address_mode set to 'dhcpv6-stateful' is not valid. If both attributes are set, they must be the same value.",
      );
      expectNeutronError(await post({}), 400, 'BadRequest', 'Bad subnets request: a subnetpool must be specified in the absence of a cidr.');
      expectNeutronError(await post({ cidr: '10.0.0.0/0', enable_dhcp: false }), 400, 'InvalidInput', 'Invalid input for operation: 0 is not allowed as CIDR prefix length.');
    });

    it('canonicalises the CIDR, defaults pools around the gateway, honours gateway_ip null, refuses overlaps on one network', async () => {
      const net = await createNetwork(admin(), { name: uniqueName('canon') });
      const a = await createSubnet(admin(), { network_id: net.id, ip_version: 4, cidr: '192.168.40.77/24' });
      expect(a).toMatchObject({ cidr: '192.168.40.0/24', gateway_ip: '192.168.40.1', allocation_pools: [{ start: '192.168.40.2', end: '192.168.40.254' }] });
      const b = await createSubnet(admin(), { network_id: net.id, ip_version: 4, cidr: '192.168.41.0/24', gateway_ip: null });
      expect(b).toMatchObject({ gateway_ip: null, allocation_pools: [{ start: '192.168.41.1', end: '192.168.41.254' }] });
      expectNeutronError(
        await admin().post('/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '192.168.40.128/25' } }),
        400,
        'InvalidInput',
        `Invalid input for operation: Requested subnet with cidr: 192.168.40.128/25 for network: ${net.id} overlaps with another subnet.`,
      );
      // Another network may reuse the range.
      const other = await createNetwork(admin(), { name: uniqueName('canon2') });
      await createSubnet(admin(), { network_id: other.id, ip_version: 4, cidr: '192.168.40.0/24' });
    });

    it('updates: read-only cidr, gateway against the pools, new pools and DNS, DHCP rules for IPv6 modes', async () => {
      const net = await createNetwork(admin(), { name: uniqueName('upd') });
      const s = await createSubnet(admin(), { network_id: net.id, ip_version: 4, cidr: '10.7.0.0/24', allocation_pools: [{ start: '10.7.0.10', end: '10.7.0.20' }] });
      const put = (id: string, attrs: Record<string, unknown>) => admin().put(`/v2.0/subnets/${id}`, { subnet: attrs });
      expectNeutronError(await put(s.id, { cidr: '10.8.0.0/24' }), 400, 'HTTPBadRequest', 'Cannot update read-only attribute cidr');
      expectNeutronError(await put(s.id, { gateway_ip: '10.7.0.15' }), 409, 'GatewayConflictWithAllocationPools', 'Gateway ip 10.7.0.15 conflicts with allocation pool 10.7.0.10-10.7.0.20.');
      const updated = await put(s.id, { gateway_ip: '10.7.0.254', allocation_pools: [{ start: '10.7.0.100', end: '10.7.0.110' }], dns_nameservers: ['8.8.8.8'], name: 'renamed' });
      expectStatus(updated, 200);
      expect(updated.body.subnet).toMatchObject({
        gateway_ip: '10.7.0.254',
        allocation_pools: [{ start: '10.7.0.100', end: '10.7.0.110' }],
        dns_nameservers: ['8.8.8.8'],
        name: 'renamed',
        revision_number: 2,
      });
      const port = await createPort(admin(), { network_id: net.id });
      expectStatus(port, 201);
      expect(port.body.port.fixed_ips).toEqual([{ subnet_id: s.id, ip_address: '10.7.0.100' }]);

      const v6 = await createSubnet(admin(), { network_id: net.id, ip_version: 6, cidr: '2001:db8:7::/64', ipv6_address_mode: 'slaac' });
      expectNeutronError(await put(v6.id, { enable_dhcp: false }), 400, 'InvalidInput', 'Invalid input for operation: Cannot disable enable_dhcp with ipv6 attributes set.');
    });
  });

  describe('projects', () => {
    it('scopes subnets to their owner and shared networks, and guards other projects’ networks', async () => {
      const alice = await newProject(ctx(), 'alice');
      const bob = await newProject(ctx(), 'bob');
      const priv = await createNetwork(alice.api, { name: uniqueName('priv') });
      // No DHCP: the availability figures below are about visibility, not the DHCP port's address.
      const privSub = await createSubnet(alice.api, { network_id: priv.id, ip_version: 4, cidr: '10.11.0.0/24', enable_dhcp: false });
      expectNeutronError(
        await bob.api.post('/v2.0/subnets', { subnet: { network_id: priv.id, ip_version: 4, cidr: '10.12.0.0/24' } }),
        404,
        'NetworkNotFound',
        `Network ${priv.id} could not be found.`,
      );
      expectNeutronError(await bob.api.get(`/v2.0/subnets/${privSub.id}`), 404, 'SubnetNotFound', `Subnet ${privSub.id} could not be found.`);

      const ext = await createNetwork(admin(), { name: uniqueName('ext'), 'router:external': true });
      const extSub = await createSubnet(admin(), { network_id: ext.id, ip_version: 4, cidr: '172.24.4.0/24' });
      expectNeutronError(
        await bob.api.post('/v2.0/subnets', { subnet: { network_id: ext.id, ip_version: 4, cidr: '10.13.0.0/24' } }),
        403,
        'HTTPForbidden',
        `Tenant ${bob.projectId} not allowed to create subnet on this network`,
      );
      const shared = await createNetwork(admin(), { name: uniqueName('shared'), shared: true });
      const sharedSub = await createSubnet(admin(), { network_id: shared.id, ip_version: 4, cidr: '10.14.0.0/24' });
      const visible = (await bob.api.get('/v2.0/subnets')).body.subnets.map((s: Json) => s.id);
      expect(visible).toContain(sharedSub.id);
      expect(visible).not.toContain(extSub.id);
      expect(visible).not.toContain(privSub.id);
      const sharedOnly = (await bob.api.get('/v2.0/subnets?shared=true')).body.subnets.map((s: Json) => s.id);
      expect(sharedOnly).toEqual([sharedSub.id]);

      // IP availability is admin only.
      expect((await bob.api.get('/v2.0/network-ip-availabilities')).body).toEqual({ network_ip_availabilities: [] });
      expectNeutronError(await bob.api.get(`/v2.0/network-ip-availabilities/${shared.id}`), 404, 'NetworkNotFound', `Network ${shared.id} could not be found.`);
      expect((await admin().post('/v2.0/network-ip-availabilities', { network_ip_availability: {} })).status).toBe(405);
      const filtered = (await admin().get(`/v2.0/network-ip-availabilities?network_id=${priv.id}&ip_version=4`)).body.network_ip_availabilities;
      expect(filtered).toEqual([
        {
          network_id: priv.id,
          network_name: priv.name,
          tenant_id: alice.projectId,
          project_id: alice.projectId,
          total_ips: 253,
          used_ips: 0,
          subnet_ip_availability: [{ subnet_id: privSub.id, subnet_name: '', cidr: '10.11.0.0/24', ip_version: 4, total_ips: 253, used_ips: 0 }],
        },
      ]);
    });
  });

  describe('IPAM through ports', () => {
    it('answers Neutron errors for addresses outside the subnet or in use', async () => {
      const net = await createNetwork(admin(), { name: uniqueName('ipam') });
      const s = await createSubnet(admin(), { network_id: net.id, ip_version: 4, cidr: '10.21.0.0/24' });
      expectNeutronError(
        await createPort(admin(), { network_id: net.id, fixed_ips: [{ subnet_id: s.id, ip_address: '10.22.0.5' }] }),
        400,
        'InvalidIpForSubnet',
        'IP address 10.22.0.5 is not a valid IP for the specified subnet.',
      );
      expectStatus(await createPort(admin(), { network_id: net.id, fixed_ips: [{ ip_address: '10.21.0.50' }] }), 201);
      expectNeutronError(
        await createPort(admin(), { network_id: net.id, fixed_ips: [{ ip_address: '10.21.0.50' }] }),
        409,
        'IpAddressAlreadyAllocated',
        `IP address 10.21.0.50 already allocated in subnet ${s.id}`,
      );
    });

    it('50 parallel port creations asking for the last free address: exactly one gets it', async () => {
      const net = await createNetwork(admin(), { name: uniqueName('race') });
      const s = await createSubnet(admin(), {
        network_id: net.id,
        ip_version: 4,
        cidr: '10.99.0.0/24',
        allocation_pools: [{ start: '10.99.0.10', end: '10.99.0.11' }],
        enable_dhcp: false, // a DHCP port would take one of the two addresses
      });
      expectStatus(await createPort(admin(), { network_id: net.id, fixed_ips: [{ subnet_id: s.id }] }), 201);

      const specific = await Promise.all(
        Array.from({ length: 50 }, () => createPort(admin(), { network_id: net.id, fixed_ips: [{ subnet_id: s.id, ip_address: '10.99.0.11' }] })),
      );
      expect(specific.filter((r) => r.status === 201)).toHaveLength(1);
      for (const r of specific.filter((x) => x.status !== 201)) {
        expect(r.status, r.text).toBe(409);
        expect(['IpAddressAlreadyAllocated', 'IpAddressInUse']).toContain(r.body.NeutronError.type);
      }
      const winner = specific.find((r) => r.status === 201)!.body.port;
      expectStatus(await admin().del(`/v2.0/ports/${winner.id}`), 204);

      const any = await Promise.all(Array.from({ length: 50 }, () => createPort(admin(), { network_id: net.id, fixed_ips: [{ subnet_id: s.id }] })));
      const created = any.filter((r) => r.status === 201);
      expect(created).toHaveLength(1);
      expect(created[0].body.port.fixed_ips).toEqual([{ subnet_id: s.id, ip_address: '10.99.0.11' }]);
      for (const r of any.filter((x) => x.status !== 201)) {
        expectNeutronError(r, 409, 'IpAddressGenerationFailure', `No more IP addresses available on network ${net.id}.`);
      }
      const ports = (await admin().get(`/v2.0/ports?network_id=${net.id}`)).body.ports;
      expect(ports).toHaveLength(2);
    });
  });
});
