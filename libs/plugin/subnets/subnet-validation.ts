/**
 * The subnet rules of db_base_plugin_v2._validate_subnet and ipam_backend_mixin (allocation pools), pure and with
 * Neutron's exception classes and texts.
 */
import { isLoopbackNetwork, type IpNetwork, type IpVersion, parseIpNetwork } from '../../api/validators/ip.js';
import { pyRepr } from '../../api/validators/index.js';
import { cidrBounds, findOverlap, formatAddress, formatRange, generatePools, type IpRange, isMulticastNetwork, parseAddress, usableBounds } from '../ipam/ip-math.js';
import type { HostRoute } from './subnet.entity.js';
import {
  cannotDisableDhcpWithIpv6Attributes,
  dhcpOnFirstIpv4,
  dhcpOnLoopback,
  dhcpOnMulticast,
  dnsNameserversExhausted,
  gatewayConflictWithAllocationPools,
  gatewayNotValidOnSubnet,
  hostRoutesExhausted,
  invalidAllocationPool,
  ipv6AttributeOnIpv4,
  ipv6AutoAddressNeeds64,
  ipv6ModesDiffer,
  ipv6ModesWithoutDhcp,
  ipVersionMismatch,
  outOfBoundsAllocationPool,
  overlappingAllocationPools,
  prefixIncompatibleWithDhcp,
} from './subnet.errors.js';

export const MAX_DNS_NAMESERVERS = 5;
export const MAX_SUBNET_HOST_ROUTES = 20;
export const IPV6_MODES = ['dhcpv6-stateful', 'dhcpv6-stateless', 'slaac'];

/** A subnet as _validate_subnet sees it: undefined = not in the request (or not set on the current subnet). */
export interface SubnetSpec {
  id?: string;
  ipVersion: IpVersion;
  cidr: string;
  enableDhcp?: boolean;
  gatewayIp?: string | null;
  dnsNameservers?: string[];
  hostRoutes?: HostRoute[];
  raMode?: string | null;
  addressMode?: string | null;
}

export interface CurrentSubnet {
  enableDhcp: boolean;
  gatewayIp: string | null;
  raMode: string | null;
  addressMode: string | null;
}

const versionOf = (addr: string): IpVersion => parseIpNetwork(addr).version;

function checkVersion(ipVersion: IpVersion, addr: string, name: string): void {
  if (versionOf(addr) !== ipVersion) throw ipVersionMismatch(name, addr, ipVersion);
}

/** _validate_subnet (create: `cur` undefined). The gateway-in-use check of an update needs the database: see the service. */
export function validateSubnet(s: SubnetSpec, cur?: CurrentSubnet): void {
  const net = parseIpNetwork(s.cidr);
  checkVersion(s.ipVersion, s.cidr, 'cidr');
  if (s.enableDhcp && !cur?.enableDhcp) checkDhcpCapable(s.ipVersion, net);
  if (s.gatewayIp) {
    checkVersion(s.ipVersion, s.gatewayIp, 'gateway_ip');
    if (gatewayInvalidInSubnet(net, s.gatewayIp)) throw gatewayNotValidOnSubnet();
  }
  if (s.dnsNameservers) {
    if (s.dnsNameservers.length > MAX_DNS_NAMESERVERS) {
      throw dnsNameserversExhausted(s.id, MAX_DNS_NAMESERVERS);
    }
    for (const dns of s.dnsNameservers) checkVersion(s.ipVersion, dns, 'dns_nameserver');
  }
  if (s.hostRoutes) {
    if (s.hostRoutes.length > MAX_SUBNET_HOST_ROUTES) {
      throw hostRoutesExhausted(s.id, MAX_SUBNET_HOST_ROUTES);
    }
    for (const route of s.hostRoutes) {
      checkVersion(s.ipVersion, route.nexthop, 'nexthop');
      checkVersion(s.ipVersion, route.destination, 'destination');
    }
  }
  if (s.ipVersion === 4) {
    if (s.raMode) throw ipv6AttributeOnIpv4('ipv6_ra_mode');
    if (s.addressMode) throw ipv6AttributeOnIpv4('ipv6_address_mode');
  } else if (cur) {
    if (s.enableDhcp === false && (cur.raMode || cur.addressMode)) throw cannotDisableDhcpWithIpv6Attributes();
  } else {
    validateIpv6Modes(s, net);
  }
}

function checkDhcpCapable(ipVersion: IpVersion, net: IpNetwork): void {
  if ((ipVersion === 4 && net.prefixlen > 30) || (ipVersion === 6 && net.prefixlen > 126)) {
    throw prefixIncompatibleWithDhcp();
  }
  if (isMulticastNetwork(net)) throw dhcpOnMulticast();
  if (isLoopbackNetwork(net)) throw dhcpOnLoopback();
  if (ipVersion === 4 && cidrBounds(net).first === 0n) {
    throw dhcpOnFirstIpv4();
  }
}

function validateIpv6Modes(s: SubnetSpec, net: IpNetwork): void {
  const ra = s.raMode ?? undefined;
  const addr = s.addressMode ?? undefined;
  if ((ra || addr) && !s.enableDhcp) {
    throw ipv6ModesWithoutDhcp();
  }
  if (ra && addr && ra !== addr) {
    throw ipv6ModesDiffer(ra, addr);
  }
  const auto = ['slaac', 'dhcpv6-stateless'];
  if ((auto.includes(ra ?? '') || auto.includes(addr ?? '')) && net.prefixlen !== 64) {
    throw ipv6AutoAddressNeeds64(s.cidr);
  }
}

/** ipam.utils.check_gateway_invalid_in_subnet: an IPv4 gateway on the network or broadcast address. */
export function gatewayInvalidInSubnet(net: IpNetwork, gateway: string): boolean {
  const ip = parseAddress(gateway);
  if (!ip || ip.version !== 4 || net.version !== 4) return false;
  const { first, last } = cidrBounds(net);
  return ip.value === first || ip.value === last;
}

/** _gateway_ip_str: IPv4 → first address after the network; IPv6 → the network address itself (this Zed build). */
export function defaultGateway(net: IpNetwork): string {
  const { first } = cidrBounds(net);
  return formatAddress(net.version === 6 ? first : first + 1n, net.version);
}

/**
 * _prepare_allocation_pools: the generated pools when none are given, else the given ones checked
 * (InvalidAllocationPool, OutOfBoundsAllocationPool, OverlappingAllocationPools, GatewayConflictWithAllocationPools).
 * Returned sorted by address, as Neutron stores them.
 */
export function preparePools(pools: unknown, cidr: string, gateway: string | null): IpRange[] {
  const net = parseIpNetwork(cidr);
  if (pools === undefined) return generatePools(net, gateway ? parseAddress(gateway)!.value : undefined);
  const ranges = poolsToRanges(pools as Record<string, string>[]);
  validatePools(ranges, net, cidr);
  if (gateway) checkGatewayOutOfPools(gateway, ranges.map((r) => r.range), net.version);
  return ranges.map((r) => r.range).sort((a, b) => (a.first < b.first ? -1 : 1));
}

interface ParsedPool {
  range: IpRange;
  version: IpVersion;
}

/** pools_to_ip_range: netaddr.IPRange refuses a reversed range or an end of another version. */
export function poolsToRanges(pools: Record<string, string>[]): ParsedPool[] {
  return pools.map((pool) => {
    const start = parseAddress(pool.start);
    const end = parseAddress(pool.end);
    if (!start || !end || start.version !== end.version || start.value > end.value) {
      throw invalidAllocationPool(pyRepr(pool));
    }
    return { range: { first: start.value, last: end.value }, version: start.version };
  });
}

/** validate_allocation_pools */
export function validatePools(pools: ParsedPool[], net: IpNetwork, cidr: string): void {
  const bounds = usableBounds(net);
  for (const { range, version } of pools) {
    if (version !== net.version) {
      throw invalidAllocationPool(formatRange(range, version));
    }
    if (range.first < bounds.first || range.last > bounds.last) {
      throw outOfBoundsAllocationPool(formatRange(range, version), cidr);
    }
  }
  const overlap = findOverlap(pools.map((p) => p.range));
  if (overlap) {
    const [a, b] = overlap.map((r) => formatRange(r, net.version));
    throw overlappingAllocationPools(a, b, cidr);
  }
}

/** validate_gw_out_of_pools */
export function checkGatewayOutOfPools(gateway: string, pools: IpRange[], version: IpVersion): void {
  const gw = parseAddress(gateway);
  if (!gw || gw.version !== version) return;
  const pool = pools.find((p) => gw.value >= p.first && gw.value <= p.last);
  if (pool) throw gatewayConflictWithAllocationPools(gateway, formatRange(pool, version));
}
