import { describe, expect, it } from 'vitest';
import { NeutronError } from '../../api/errors/neutron-error.js';
import { parseIpNetwork } from '../../api/validators/ip.js';
import { formatRange } from '../ipam/ip-math.js';
import { defaultGateway, preparePools, validateSubnet } from './subnet-validation.js';

function errorOf(fn: () => unknown): { type: string; status: number; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof NeutronError) return { type: e.type, status: e.status, message: e.message };
    throw e;
  }
  throw new Error('expected a NeutronError');
}

const pools = (p: unknown, cidr: string, gw: string | null) =>
  preparePools(p, cidr, gw).map((r) => formatRange(r, parseIpNetwork(cidr).version));

describe('allocation pools (texts printed by Neutron on this machine)', () => {
  it('generates the default pools around the gateway', () => {
    expect(pools(undefined, '10.0.0.0/24', '10.0.0.1')).toEqual(['10.0.0.2-10.0.0.254']);
    expect(pools(undefined, '192.168.0.0/24', null)).toEqual(['192.168.0.1-192.168.0.254']);
  });

  it('keeps user pools, sorted by address', () => {
    const given = [
      { start: '10.0.0.20', end: '10.0.0.30' },
      { start: '10.0.0.2', end: '10.0.0.10' },
    ];
    expect(pools(given, '10.0.0.0/24', '10.0.0.1')).toEqual(['10.0.0.2-10.0.0.10', '10.0.0.20-10.0.0.30']);
  });

  it.each([
    [[{ start: '10.0.0.5', end: '10.0.0.1' }], '10.0.0.1', 400, 'InvalidAllocationPool', "The allocation pool {'start': '10.0.0.5', 'end': '10.0.0.1'} is not valid."],
    [[{ start: '10.0.0.2', end: '2001:db8::10' }], '10.0.0.1', 400, 'InvalidAllocationPool', "The allocation pool {'start': '10.0.0.2', 'end': '2001:db8::10'} is not valid."],
    [[{ start: '2001:db8::2', end: '2001:db8::10' }], '10.0.0.1', 400, 'InvalidAllocationPool', 'The allocation pool 2001:db8::2-2001:db8::10 is not valid.'],
    [[{ start: '10.0.0.0', end: '10.0.0.10' }], '10.0.0.1', 400, 'OutOfBoundsAllocationPool', 'The allocation pool 10.0.0.0-10.0.0.10 spans beyond the subnet cidr 10.0.0.0/24.'],
    [[{ start: '10.0.0.250', end: '10.0.0.255' }], '10.0.0.1', 400, 'OutOfBoundsAllocationPool', 'The allocation pool 10.0.0.250-10.0.0.255 spans beyond the subnet cidr 10.0.0.0/24.'],
    [
      [
        { start: '10.0.0.2', end: '10.0.0.10' },
        { start: '10.0.0.10', end: '10.0.0.20' },
      ],
      '10.0.0.1',
      409,
      'OverlappingAllocationPools',
      'Found overlapping allocation pools: 10.0.0.2-10.0.0.10 10.0.0.10-10.0.0.20 for subnet 10.0.0.0/24.',
    ],
    [[{ start: '10.0.0.2', end: '10.0.0.10' }], '10.0.0.5', 409, 'GatewayConflictWithAllocationPools', 'Gateway ip 10.0.0.5 conflicts with allocation pool 10.0.0.2-10.0.0.10.'],
  ])('refuses %j (gateway %s)', (given, gw, status, type, message) => {
    expect(errorOf(() => preparePools(given, '10.0.0.0/24', gw))).toEqual({ status, type, message });
  });

  it('refuses an IPv6 pool starting at the network address', () => {
    expect(errorOf(() => preparePools([{ start: '2001:db8::', end: '2001:db8::10' }], '2001:db8::/64', '2001:db8::'))).toMatchObject({
      type: 'OutOfBoundsAllocationPool',
      message: 'The allocation pool 2001:db8::-2001:db8::10 spans beyond the subnet cidr 2001:db8::/64.',
    });
  });
});

describe('validateSubnet (_validate_subnet)', () => {
  const invalid = (msg: string) => ({ status: 400, type: 'InvalidInput', message: `Invalid input for operation: ${msg}.` });

  it('accepts the issue walkthrough subnets', () => {
    validateSubnet({ ipVersion: 4, cidr: '10.0.0.0/24', enableDhcp: true, dnsNameservers: ['10.0.0.53'], hostRoutes: [{ destination: '10.9.0.0/16', nexthop: '10.0.0.254' }] });
    validateSubnet({ ipVersion: 6, cidr: '2001:db8::/64', enableDhcp: true, raMode: 'slaac', addressMode: 'slaac' });
  });

  it.each([
    [{ ipVersion: 6 as const, cidr: '10.0.0.0/24' }, "cidr '10.0.0.0/24' does not match the ip_version '6'"],
    [{ ipVersion: 4 as const, cidr: '10.0.0.0/24', gatewayIp: '10.0.0.255' }, 'Gateway is not valid on subnet'],
    [{ ipVersion: 4 as const, cidr: '10.0.0.0/24', gatewayIp: '10.0.0.0' }, 'Gateway is not valid on subnet'],
    [{ ipVersion: 4 as const, cidr: '192.168.0.0/24', gatewayIp: '2001:db8::1' }, "gateway_ip '2001:db8::1' does not match the ip_version '4'"],
    [{ ipVersion: 4 as const, cidr: '10.0.0.0/31', enableDhcp: true }, 'Subnet has a prefix length that is incompatible with DHCP service enabled'],
    [{ ipVersion: 4 as const, cidr: '224.0.0.0/24', enableDhcp: true }, 'Multicast IP subnet is not supported if enable_dhcp is True'],
    [{ ipVersion: 4 as const, cidr: '127.0.0.0/24', enableDhcp: true }, 'Loopback IP subnet is not supported if enable_dhcp is True'],
    [{ ipVersion: 4 as const, cidr: '0.0.0.0/24', enableDhcp: true }, "First IP '0.0.0.0' of network is not supported if enable_dhcp is True."],
    [{ ipVersion: 4 as const, cidr: '10.0.0.0/24', dnsNameservers: ['2001:db8::1'] }, "dns_nameserver '2001:db8::1' does not match the ip_version '4'"],
    [{ ipVersion: 4 as const, cidr: '10.0.0.0/24', hostRoutes: [{ destination: '10.1.0.0/16', nexthop: '2001:db8::1' }] }, "nexthop '2001:db8::1' does not match the ip_version '4'"],
    [{ ipVersion: 4 as const, cidr: '10.0.0.0/24', raMode: 'slaac' }, 'ipv6_ra_mode is not valid when ip_version is 4'],
    [{ ipVersion: 6 as const, cidr: '2001:db8::/64', enableDhcp: false, addressMode: 'slaac' }, 'ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False'],
    [
      { ipVersion: 6 as const, cidr: '2001:db8::/64', enableDhcp: true, raMode: 'slaac', addressMode: 'dhcpv6-stateful' },
      "ipv6_ra_mode set to 'slaac' with ipv6_address_mode set to 'dhcpv6-stateful' is not valid. If both attributes are set, they must be the same value",
    ],
    [
      { ipVersion: 6 as const, cidr: '2001:db8::/80', enableDhcp: true, addressMode: 'slaac' },
      'Invalid CIDR 2001:db8::/80 for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64',
    ],
  ])('refuses %j', (spec, message) => {
    expect(errorOf(() => validateSubnet(spec))).toEqual(invalid(message));
  });

  it('allows a gateway outside the CIDR and a stateful IPv6 subnet of any size', () => {
    validateSubnet({ ipVersion: 4, cidr: '10.0.0.0/24', gatewayIp: '10.1.0.1' });
    validateSubnet({ ipVersion: 6, cidr: '2001:db8::/120', enableDhcp: true, raMode: 'dhcpv6-stateful', addressMode: 'dhcpv6-stateful' });
  });

  it('caps DNS servers at 5 and host routes at 20', () => {
    const dns = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6'];
    expect(errorOf(() => validateSubnet({ ipVersion: 4, cidr: '10.0.0.0/24', dnsNameservers: dns }))).toEqual({
      status: 400,
      type: 'DNSNameServersExhausted',
      message: 'Unable to complete operation for new subnet. The number of DNS nameservers exceeds the limit 5.',
    });
    const routes = Array.from({ length: 21 }, (_, i) => ({ destination: `10.${i + 1}.0.0/16`, nexthop: '10.0.0.254' }));
    expect(errorOf(() => validateSubnet({ id: 'sid', ipVersion: 4, cidr: '10.0.0.0/24', hostRoutes: routes }))).toEqual({
      status: 400,
      type: 'HostRoutesExhausted',
      message: 'Unable to complete operation for sid. The number of host routes exceeds the limit 20.',
    });
  });

  it('on update only checks DHCP capability when DHCP is being turned on, and keeps IPv6 modes with DHCP', () => {
    const cur = { enableDhcp: true, gatewayIp: null, raMode: null, addressMode: null };
    validateSubnet({ ipVersion: 4, cidr: '10.0.0.0/31', enableDhcp: true }, cur);
    const v6 = { enableDhcp: true, gatewayIp: '2001:db8::', raMode: 'slaac', addressMode: 'slaac' };
    expect(errorOf(() => validateSubnet({ ipVersion: 6, cidr: '2001:db8::/64', enableDhcp: false }, v6))).toEqual(
      invalid('Cannot disable enable_dhcp with ipv6 attributes set'),
    );
  });

  it('defaults the gateway to .1 for IPv4 and to the network address for IPv6', () => {
    expect(defaultGateway(parseIpNetwork('192.168.7.0/24'))).toBe('192.168.7.1');
    expect(defaultGateway(parseIpNetwork('2001:db8:5::/64'))).toBe('2001:db8:5::');
  });
});
