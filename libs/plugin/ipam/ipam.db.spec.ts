// IPAM and subnets against real databases: allocation order, Neutron's errors, races between transactions and
// the cost of one allocation when thousands of addresses are taken. PostgreSQL: the machine's server (as in CI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NeutronError } from '../../api/errors/neutron-error.js';
import { neutronErrorOf as errorOf } from '../../api/testing/neutron-error-of.js';
import { sqlRows } from '../../db/index.js';
import { SPEC_DIALECTS } from '../../db/testing/scratch-database.js';
import { NetworkIpAvailabilityService } from '../subnets/network-ip-availability.service.js';
import type { FixedIp, FixedIpRequest } from './ipam.contract.js';
import { type IpamHarness, openIpamHarness } from './testing/ipam-harness.js';

describe.each(SPEC_DIALECTS)('IPAM on %s', (dialect) => {
  let h: IpamHarness;
  beforeAll(async () => {
    h = await openIpamHarness(dialect);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const allocate = (networkId: string, requests?: FixedIpRequest[], opts: { deviceOwner?: string; mac?: string; portId?: string } = {}) =>
    h.tx((ctx) =>
      h.ipam.allocate(ctx, {
        networkId,
        portId: opts.portId ?? crypto.randomUUID(),
        deviceOwner: opts.deviceOwner ?? 'compute:nova',
        requests,
        macAddress: opts.mac,
      }),
    );
  const addresses = (ips: FixedIp[]) => ips.map((ip) => ip.ip_address);

  it('hands out the lowest free pool address, fails when exhausted, and reuses released ones', async () => {
    const net = await h.network();
    const subnet = await h.subnet({ network_id: net, ip_version: 4, cidr: '192.168.77.0/29' });
    expect(subnet.allocation_pools).toEqual([{ start: '192.168.77.2', end: '192.168.77.6' }]);
    const ports: string[] = [];
    for (let i = 0; i < 5; i++) {
      const portId = crypto.randomUUID();
      ports.push(portId);
      expect(await allocate(net, undefined, { portId })).toEqual([{ subnet_id: subnet.id, ip_address: `192.168.77.${i + 2}` }]);
    }
    expect(await errorOf(allocate(net))).toEqual({
      status: 409,
      type: 'IpAddressGenerationFailure',
      message: `No more IP addresses available on network ${net}.`,
    });
    await h.tx((ctx) => h.ipam.release(ctx, ports[2]));
    expect(addresses(await allocate(net))).toEqual(['192.168.77.4']);
    await h.tx((ctx) => h.ipam.release(ctx, ports[0]));
    await h.tx((ctx) => h.ipam.release(ctx, ports[1]));
    expect(addresses(await allocate(net))).toEqual(['192.168.77.2']);
    expect(addresses(await allocate(net))).toEqual(['192.168.77.3']);
  });

  it('takes back addresses from anywhere in what a range handed out, and hands them out again lowest first', async () => {
    const net = await h.network();
    const subnet = await h.subnet({ network_id: net, ip_version: 4, cidr: '192.168.78.0/28' });
    const ports: string[] = [];
    for (let i = 0; i < 6; i++) {
      ports.push(crypto.randomUUID());
      await allocate(net, undefined, { portId: ports[i] });
    }
    // .2-.7 are out; .4 sits inside the handed-out part, .7 is its last address, .2 its first
    for (const i of [2, 5, 0]) await h.tx((ctx) => h.ipam.release(ctx, ports[i]));
    const again: string[] = [];
    for (let i = 0; i < 5; i++) again.push(...addresses(await allocate(net)));
    expect(again).toEqual(['192.168.78.2', '192.168.78.4', '192.168.78.7', '192.168.78.8', '192.168.78.9']);
    expect(subnet.allocation_pools).toEqual([{ start: '192.168.78.2', end: '192.168.78.14' }]);
  });

  it.runIf(dialect === 'postgres')('hands out addresses without touching an index (HOT updates): no dead index entries pile up', async () => {
    const net = await h.network();
    await h.subnet({ network_id: net, ip_version: 4, cidr: '192.168.79.0/24' });
    // The backend's pending counters (not flushed inside a transaction): the difference is this transaction's.
    const counters = async (ctx: Parameters<Parameters<typeof h.tx>[0]>[0]) =>
      ((await ctx.em.query(
        "SELECT pg_stat_get_xact_tuples_updated('ipam_free_ranges'::regclass)::int AS updated, " +
          "pg_stat_get_xact_tuples_hot_updated('ipam_free_ranges'::regclass)::int AS hot",
      )) as { updated: number; hot: number }[])[0];
    const counts = await h.tx(async (ctx) => {
      const before = await counters(ctx);
      for (let i = 0; i < 20; i++) {
        await h.ipam.allocate(ctx, { networkId: net, portId: crypto.randomUUID(), deviceOwner: 'compute:nova' });
      }
      const after = await counters(ctx);
      return { updated: after.updated - before.updated, hot: after.hot - before.hot };
    });
    // 20 addresses from stripes of 16: one stripe used up (deleted), every other allocation an update, all HOT
    expect(counts.updated).toBe(19);
    expect(counts.hot).toBe(19);
  });

  it('splits a range for a given address and allows addresses outside the pools', async () => {
    const net = await h.network();
    const subnet = await h.subnet({
      network_id: net,
      ip_version: 4,
      cidr: '10.20.0.0/24',
      allocation_pools: [{ start: '10.20.0.10', end: '10.20.0.12' }],
    });
    expect(addresses(await allocate(net, [{ ip_address: '10.20.0.11' }]))).toEqual(['10.20.0.11']);
    expect(addresses(await allocate(net, [{ subnet_id: subnet.id as string, ip_address: '10.20.0.200' }]))).toEqual(['10.20.0.200']);
    expect(addresses(await allocate(net, [{ subnet_id: subnet.id as string }]))).toEqual(['10.20.0.10']);
    expect(addresses(await allocate(net))).toEqual(['10.20.0.12']);
    expect((await errorOf(allocate(net))).type).toBe('IpAddressGenerationFailure');
    expect(await errorOf(allocate(net, [{ ip_address: '10.20.0.200' }]))).toEqual({
      status: 409,
      type: 'IpAddressAlreadyAllocated',
      message: `IP address 10.20.0.200 already allocated in subnet ${subnet.id}`,
    });
  });

  it("answers Neutron's errors for bad fixed_ips", async () => {
    const net = await h.network();
    const other = await h.network();
    const subnet = await h.subnet({ network_id: net, ip_version: 4, cidr: '172.16.0.0/24' });
    const foreign = await h.subnet({ network_id: other, ip_version: 4, cidr: '172.17.0.0/24' });
    expect(await errorOf(allocate(net, [{ subnet_id: subnet.id as string, ip_address: '172.16.0.255' }]))).toEqual({
      status: 400,
      type: 'InvalidIpForSubnet',
      message: 'IP address 172.16.0.255 is not a valid IP for the specified subnet.',
    });
    expect(await errorOf(allocate(net, [{ ip_address: '172.17.0.5' }]))).toEqual({
      status: 400,
      type: 'InvalidIpForNetwork',
      message: 'IP address 172.17.0.5 is not a valid IP for any of the subnets on the specified network.',
    });
    expect(await errorOf(allocate(net, [{ subnet_id: foreign.id as string }]))).toEqual({
      status: 400,
      type: 'InvalidInput',
      message: `Invalid input for operation: Failed to create port on network ${net}, because fixed_ips included invalid subnet ${foreign.id}.`,
    });
    const missing = crypto.randomUUID();
    expect(await errorOf(allocate(net, [{ subnet_id: missing }]))).toMatchObject({ status: 404, type: 'SubnetNotFound', message: `Subnet ${missing} could not be found.` });
    expect(await errorOf(allocate(net, [{}]))).toMatchObject({ status: 400, message: 'Invalid input for operation: IP allocation requires subnet_id or ip_address.' });
    const empty = await h.network();
    expect(await allocate(empty)).toEqual([]);
    expect(await errorOf(allocate(empty, [{ ip_address: '10.0.0.5' }]))).toMatchObject({
      message: 'Invalid input for operation: IP allocation requires subnets for network.',
    });
  });

  it('gives IPv6 ports a stateful address and the EUI-64 address of their MAC on SLAAC subnets', async () => {
    const net = await h.network();
    const v4 = await h.subnet({ network_id: net, ip_version: 4, cidr: '10.30.0.0/24' });
    const slaac = await h.subnet({ network_id: net, ip_version: 6, cidr: '2001:db8:30::/64', ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' });
    const stateful = await h.subnet({ network_id: net, ip_version: 6, cidr: '2001:db8:31::/64', ipv6_address_mode: 'dhcpv6-stateful' });
    expect(slaac.gateway_ip).toBe('2001:db8:30::');
    expect(stateful.allocation_pools).toEqual([{ start: '2001:db8:31::1', end: '2001:db8:31:0:ffff:ffff:ffff:ffff' }]);
    const ips = await allocate(net, undefined, { mac: 'fa:16:3e:00:00:01' });
    expect(ips).toEqual([
      { subnet_id: v4.id, ip_address: '10.30.0.2' },
      { subnet_id: slaac.id, ip_address: '2001:db8:30:0:f816:3eff:fe00:1' },
      { subnet_id: stateful.id, ip_address: '2001:db8:31::1' },
    ]);
    // Explicit IPv4 only: the SLAAC address still comes along (as in Neutron); a fixed address on SLAAC is refused.
    const explicit = await allocate(net, [{ subnet_id: v4.id as string }], { mac: 'fa:16:3e:00:00:02' });
    expect(addresses(explicit)).toEqual(['10.30.0.3', '2001:db8:30:0:f816:3eff:fe00:2']);
    expect(await errorOf(allocate(net, [{ ip_address: '2001:db8:30::5' }], { mac: 'fa:16:3e:00:00:03' }))).toEqual({
      status: 400,
      type: 'AllocationOnAutoAddressSubnet',
      message: `IPv6 address 2001:db8:30::5 cannot be directly assigned to a port on subnet ${slaac.id} as the subnet is configured for automatic addresses`,
    });
    // Router interfaces get no SLAAC address.
    expect(addresses(await allocate(net, [{ subnet_id: v4.id as string }], { deviceOwner: 'network:router_interface', mac: 'fa:16:3e:00:00:04' }))).toEqual(['10.30.0.4']);
  });

  it('reallocates: keeps, adds and releases addresses as a port update asks', async () => {
    const net = await h.network();
    const subnet = await h.subnet({ network_id: net, ip_version: 4, cidr: '10.40.0.0/24' });
    const sid = subnet.id as string;
    const portId = crypto.randomUUID();
    const first = await allocate(net, [{ subnet_id: sid }, { ip_address: '10.40.0.50' }], { portId });
    expect(addresses(first)).toEqual(['10.40.0.2', '10.40.0.50']);
    const update = (current: FixedIp[], requests: FixedIpRequest[]) =>
      h.tx((ctx) => h.ipam.reallocate(ctx, { networkId: net, portId, deviceOwner: 'compute:nova', current, requests }));
    const second = await update(first, [{ subnet_id: sid, ip_address: '10.40.0.50' }, { ip_address: '10.40.0.60' }]);
    expect(addresses(second)).toEqual(['10.40.0.50', '10.40.0.60']);
    // 10.40.0.2 went back to the pool.
    expect(addresses(await allocate(net))).toEqual(['10.40.0.2']);
    const third = await update(second, [{ subnet_id: sid }]);
    expect(third).toEqual([{ subnet_id: sid, ip_address: '10.40.0.60' }]);
    const loaded = await h.tx((ctx) => h.ipam.loadForPorts(ctx, [portId, crypto.randomUUID()]));
    expect([...loaded.values()]).toEqual([third, []]);
  });

  it('rebuilds the free ranges when the pools change, keeping allocated addresses out', async () => {
    const net = await h.network();
    const subnet = await h.subnet({ network_id: net, ip_version: 4, cidr: '10.50.0.0/24', allocation_pools: [{ start: '10.50.0.10', end: '10.50.0.20' }] });
    expect(addresses(await allocate(net))).toEqual(['10.50.0.10']);
    const current = await h.tx((ctx) => h.subnets.get(ctx, subnet.id as string));
    const updated = await h.tx((ctx) => h.subnets.update(ctx, current!, { allocation_pools: [{ start: '10.50.0.5', end: '10.50.0.11' }] }));
    expect(updated.allocation_pools).toEqual([{ start: '10.50.0.5', end: '10.50.0.11' }]);
    const got: string[] = [];
    for (let i = 0; i < 6; i++) got.push(...addresses(await allocate(net)));
    expect(got).toEqual(['10.50.0.5', '10.50.0.6', '10.50.0.7', '10.50.0.8', '10.50.0.9', '10.50.0.11']);
    expect((await errorOf(allocate(net))).type).toBe('IpAddressGenerationFailure');
  });

  it('refuses to delete a subnet with ports on it, but takes DHCP addresses along', async () => {
    const net = await h.network();
    const subnet = await h.subnet({ network_id: net, ip_version: 4, cidr: '10.60.0.0/24' });
    const dhcp = await h.port(net, { deviceOwner: 'network:dhcp' });
    const vm = await h.port(net);
    await allocate(net, undefined, { portId: dhcp.id, deviceOwner: 'network:dhcp' });
    await allocate(net, undefined, { portId: vm.id });
    const current = (await h.tx((ctx) => h.subnets.get(ctx, subnet.id as string)))!;
    expect(await errorOf(h.tx((ctx) => h.subnets.delete(ctx, current)))).toEqual({
      status: 409,
      type: 'SubnetInUse',
      message: `Unable to complete operation on subnet ${subnet.id}: One or more ports have an IP allocation from this subnet.`,
    });
    await h.tx((ctx) => h.ipam.release(ctx, vm.id));
    await h.tx((ctx) => h.subnets.delete(ctx, current));
    const left = await h.tx((ctx) => h.ipam.loadForPorts(ctx, [dhcp.id]));
    expect(left.get(dhcp.id)).toEqual([]);
  });

  it('adds EUI-64 addresses to existing ports when a SLAAC subnet is created', async () => {
    const net = await h.network();
    const vm = await h.port(net, { mac: 'fa:16:3e:aa:bb:cc' });
    const router = await h.port(net, { deviceOwner: 'network:router_interface', mac: 'fa:16:3e:aa:bb:cd' });
    const slaac = await h.subnet({ network_id: net, ip_version: 6, cidr: '2001:db8:70::/64', ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' });
    const loaded = await h.tx((ctx) => h.ipam.loadForPorts(ctx, [vm.id, router.id]));
    expect(loaded.get(vm.id)).toEqual([{ subnet_id: slaac.id, ip_address: '2001:db8:70:0:f816:3eff:feaa:bbcc' }]);
    expect(loaded.get(router.id)).toEqual([]);
  });

  it("started with its port's insert, writes the address only once the port's row is in, and fails with it", async () => {
    const net = await h.network();
    await h.subnet({ network_id: net, ip_version: 4, cidr: '192.168.81.0/29' });
    const portId = crypto.randomUUID();
    const held = (ctx: Parameters<Parameters<typeof h.tx>[0]>[0]) =>
      sqlRows<{ ip_address: string }>(ctx.em, 'SELECT ip_address FROM ipallocations WHERE port_id = ?', [portId]);
    const seen = await h.tx(async (ctx) => {
      let portIn!: (mac: string) => void;
      const portInserted = new Promise<string>((resolve) => (portIn = resolve));
      const allocating = h.ipam.allocate(ctx, { networkId: net, portId, deviceOwner: 'compute:nova', portInserted });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const before = await held(ctx);
      portIn('fa:16:3e:00:00:01');
      return { before, allocated: addresses(await allocating), after: await held(ctx) };
    });
    expect(seen).toEqual({ before: [], allocated: ['192.168.81.2'], after: [{ ip_address: '192.168.81.2' }] });
    const refused = new Error('the port was not inserted');
    const notInserted = Promise.reject(refused);
    notInserted.catch(() => undefined); // the allocation awaits it once its reads are back
    const failing = h.tx((ctx) => h.ipam.allocate(ctx, { networkId: net, portId: crypto.randomUUID(), deviceOwner: 'compute:nova', portInserted: notInserted }));
    await expect(failing).rejects.toBe(refused);
    expect(addresses(await allocate(net))).toEqual(['192.168.81.3']);
  });

  it('costs the same number of queries for the 2,001st address as for the first', async () => {
    const net = await h.network();
    await h.subnet({ network_id: net, ip_version: 4, cidr: '10.128.0.0/20' });
    const taken = new Set<string>(['10.128.0.1']); // the gateway
    const cost = async () => {
      const before = h.db.queryCount;
      for (const ip of addresses(await allocate(net))) taken.add(ip);
      return h.db.queryCount - before;
    };
    const firstCost = await cost();
    const bulk: Promise<FixedIp[]>[] = [];
    for (let i = 0; i < 2000; i++) bulk.push(allocate(net));
    for (const ip of (await Promise.all(bulk)).flatMap(addresses)) taken.add(ip);
    expect(taken.size).toBe(2002);
    const laterCost = await cost();
    expect(laterCost).toBe(firstCost);
    // Concurrent allocations take the lowest address of different stripes (PostgreSQL); a lone one the lowest free.
    let lowestFree = 2;
    while (taken.has(`10.128.${lowestFree >> 8}.${lowestFree & 255}`)) lowestFree++;
    expect(addresses(await allocate(net))).toEqual([`10.128.${lowestFree >> 8}.${lowestFree & 255}`]);
  }, 120_000);

  it('lists subnets and IP availabilities in a constant number of queries', async () => {
    const net = await h.network();
    const availability = new NetworkIpAvailabilityService();
    const listCost = async () => {
      const before = h.db.queryCount;
      const query = { filters: [{ attr: 'network_id', values: [net] }], tagFilters: {}, sorts: [{ attr: 'id', dir: 'asc' as const }], pageReverse: false, fields: [] };
      const items = await h.tx((ctx) => h.subnets.list(ctx, query));
      const [avail] = await h.tx((ctx) => availability.list(ctx, query));
      return { n: items.length, perSubnet: (avail.subnet_ip_availability as unknown[]).length, cost: h.db.queryCount - before };
    };
    for (let i = 0; i < 3; i++) await h.subnet({ network_id: net, ip_version: 4, cidr: `10.140.${i}.0/24` });
    const few = await listCost();
    for (let i = 3; i < 30; i++) await h.subnet({ network_id: net, ip_version: 4, cidr: `10.140.${i}.0/24` });
    const many = await listCost();
    expect([few.n, many.n, many.perSubnet]).toEqual([3, 30, 30]);
    expect(many.cost).toBe(few.cost);
  });

  it('50 concurrent requests for the last free address: exactly one gets it', async () => {
    const net = await h.network();
    const subnet = await h.subnet({ network_id: net, ip_version: 4, cidr: '10.90.0.0/24', allocation_pools: [{ start: '10.90.0.10', end: '10.90.0.11' }] });
    const sid = subnet.id as string;
    await allocate(net, [{ ip_address: '10.90.0.10' }]);

    const portIds = Array.from({ length: 50 }, () => crypto.randomUUID());
    const specific = await Promise.allSettled(portIds.map((portId) => allocate(net, [{ subnet_id: sid, ip_address: '10.90.0.11' }], { portId })));
    const won = specific.flatMap((r, i) => (r.status === 'fulfilled' ? [portIds[i]] : []));
    expect(won).toHaveLength(1);
    for (const r of specific) {
      if (r.status === 'rejected') expect((r.reason as NeutronError).type).toBe('IpAddressAlreadyAllocated');
    }

    // Free it again, then 50 "any address of this subnet" requests race for it.
    await h.tx((ctx) => h.ipam.release(ctx, won[0]));
    const any = await Promise.allSettled(Array.from({ length: 50 }, () => allocate(net, [{ subnet_id: sid }])));
    const anyWon = any.filter((r) => r.status === 'fulfilled');
    expect(anyWon).toHaveLength(1);
    expect((anyWon[0] as PromiseFulfilledResult<FixedIp[]>).value).toEqual([{ subnet_id: sid, ip_address: '10.90.0.11' }]);
    for (const r of any) {
      if (r.status === 'rejected') expect((r.reason as NeutronError).type).toBe('IpAddressGenerationFailure');
    }
  }, 120_000);
});
