import { parseIpNetwork, type IpNetwork, type IpVersion } from '../../api/validators/ip.js';
import type { SubnetRow } from '../subnets/subnet.entity.js';
import { cidrBounds, inRange, type IpRange, parseAddress } from './ip-math.js';
import { ROUTER_PORT_OWNERS } from './ipam.errors.js';

/** What IPAM needs to know about a subnet, parsed once. */
export interface SubnetInfo {
  id: string;
  networkId: string;
  projectId: string;
  version: IpVersion;
  net: IpNetwork;
  raMode: string | null;
  addressMode: string | null;
  pools: IpRange[];
}

/** The subnet columns IPAM reads. */
export type SubnetAddressing = Pick<SubnetRow, 'id' | 'network_id' | 'project_id' | 'cidr' | 'ipv6_ra_mode' | 'ipv6_address_mode' | 'allocation_pools'>;

export function subnetInfo(row: SubnetAddressing): SubnetInfo {
  const { net, pools } = parsedAddressing(row.cidr, row.allocation_pools);
  return {
    id: row.id,
    networkId: row.network_id,
    projectId: row.project_id,
    version: net.version,
    net,
    raMode: row.ipv6_ra_mode,
    addressMode: row.ipv6_address_mode,
    pools,
  };
}

/**
 * A CIDR and its pools, parsed once by their text: every port created on a subnet asks for the same few (frozen, as
 * they are shared). Bounded: forgotten all at once past PARSED_MAX entries.
 */
const parsed = new Map<string, { net: IpNetwork; pools: IpRange[] }>();
const PARSED_MAX = 4096;

function parsedAddressing(cidr: string, allocationPools: SubnetAddressing['allocation_pools']): { net: IpNetwork; pools: IpRange[] } {
  let key = cidr;
  for (const p of allocationPools) key += ` ${p.start}-${p.end}`;
  let entry = parsed.get(key);
  if (!entry) {
    const pools = allocationPools.map((p) => Object.freeze({ first: parseAddress(p.start)!.value, last: parseAddress(p.end)!.value }));
    entry = Object.freeze({ net: Object.freeze(parseIpNetwork(cidr)), pools: Object.freeze(pools) as IpRange[] });
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(key, entry);
  }
  return entry;
}

const AUTO_MODES = ['slaac', 'dhcpv6-stateless'];

/** ipv6_utils.is_auto_address_subnet: SLAAC or DHCPv6-stateless addresses come from the MAC, not from IPAM. */
export const isAutoAddress = (s: { raMode: string | null; addressMode: string | null }): boolean =>
  AUTO_MODES.includes(s.addressMode ?? '') || AUTO_MODES.includes(s.raMode ?? '');

/**
 * ipam.utils.check_subnet_ip: inside the CIDR, never the IPv4 network or broadcast address; the IPv6 network
 * address (subnet-router anycast) only for router ports and ports whose owner is unknown ('').
 */
export function checkSubnetIp(s: SubnetInfo, ip: { version: IpVersion; value: bigint }, deviceOwner: string): boolean {
  if (ip.version !== s.version) return false;
  const { first, last } = cidrBounds(s.net);
  if (!inRange(ip.value, { first, last })) return false;
  if (s.version === 6) return deviceOwner === '' || ROUTER_PORT_OWNERS.includes(deviceOwner) || ip.value !== first;
  // netaddr has no broadcast address for /31 and /32.
  return ip.value !== first && (s.net.prefixlen >= 31 || ip.value !== last);
}

export const inPools = (s: SubnetInfo, ip: bigint): boolean => s.pools.some((p) => inRange(ip, p));
