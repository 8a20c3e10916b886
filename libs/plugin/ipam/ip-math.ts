/**
 * Address arithmetic for IPAM, on bigints for both versions (no JS bit operators: 192.168.x would go negative).
 * Ranges are stored as fixed-width lower-case hex so that text order is numeric order in SQL.
 */
import { formatIp, inetPton4, inetPton6, type IpNetwork, type IpVersion, lastAddress, networkAddress } from '../../api/validators/ip.js';

export interface IpRange {
  first: bigint;
  last: bigint;
}

const hexWidth = (version: IpVersion) => (version === 4 ? 8 : 32);

export function toHex(value: bigint, version: IpVersion): string {
  return value.toString(16).padStart(hexWidth(version), '0');
}

export function fromHex(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

/** A validated address text (strict dotted quad or anything inet_pton(AF_INET6) takes). */
export function parseAddress(text: string): { version: IpVersion; value: bigint } | undefined {
  const v4 = inetPton4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = inetPton6(text);
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

export const formatAddress = (value: bigint, version: IpVersion): string => formatIp({ version, value });

/** str(netaddr.IPRange): "first-last". */
export const formatRange = (r: IpRange, version: IpVersion): string =>
  `${formatAddress(r.first, version)}-${formatAddress(r.last, version)}`;

export const rangeSize = (r: IpRange): bigint => r.last - r.first + 1n;

export const cidrBounds = (net: IpNetwork): IpRange => ({ first: networkAddress(net), last: lastAddress(net) });

export const inRange = (value: bigint, r: IpRange): boolean => value >= r.first && value <= r.last;

/** The addresses pools may use (ipam_backend_mixin.validate_allocation_pools): no IPv4 network/broadcast below /31, no IPv6 network address. */
export function usableBounds(net: IpNetwork): IpRange {
  const { first, last } = cidrBounds(net);
  if (net.version === 4) return net.prefixlen <= 30 ? { first: first + 1n, last: last - 1n } : { first, last };
  return { first: first + 1n, last };
}

/** ipam.utils.generate_pools: the usable addresses minus the gateway, as merged ranges. */
export function generatePools(net: IpNetwork, gateway: bigint | undefined): IpRange[] {
  const whole = cidrBounds(net);
  if (whole.first === whole.last) return [whole];
  return subtract([usableBounds(net)], gateway === undefined ? [] : [gateway]);
}

/** Sorted ranges minus a set of addresses: what is still free. */
export function subtract(ranges: IpRange[], addresses: bigint[]): IpRange[] {
  const holes = [...new Set(addresses)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: IpRange[] = [];
  for (const range of [...ranges].sort((a, b) => (a.first < b.first ? -1 : 1))) {
    let start = range.first;
    for (const hole of holes) {
      if (hole < start || hole > range.last) continue;
      if (hole > start) out.push({ first: start, last: hole - 1n });
      start = hole + 1n;
    }
    if (start <= range.last) out.push({ first: start, last: range.last });
  }
  return out;
}

/** First pair (in the given order) of ranges sharing an address. */
export function findOverlap(ranges: IpRange[]): [IpRange, IpRange] | undefined {
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      if (ranges[i].first <= ranges[j].last && ranges[j].first <= ranges[i].last) return [ranges[i], ranges[j]];
    }
  }
  return undefined;
}

const IPV4_MULTICAST: IpRange = { first: 0xe0000000n, last: 0xefffffffn };
const IPV6_MULTICAST: IpRange = { first: 0xffn << 120n, last: (1n << 128n) - 1n };

/** netaddr's IPNetwork.is_multicast(): the whole network inside 224.0.0.0/4 or ff00::/8. */
export function isMulticastNetwork(net: IpNetwork): boolean {
  const { first, last } = cidrBounds(net);
  const mc = net.version === 4 ? IPV4_MULTICAST : IPV6_MULTICAST;
  return first >= mc.first && last <= mc.last;
}

/** netutils.get_ipv6_addr_by_EUI64: the prefix plus the MAC stretched to EUI-64 with the universal/local bit flipped. */
export function eui64Address(prefix: IpNetwork, mac: string): bigint {
  const bytes = mac.split(/[:-]/).map((b) => BigInt(parseInt(b, 16)));
  if (bytes.length !== 6 || bytes.some((b) => b < 0n || b > 255n)) throw new Error(`bad MAC ${mac}`);
  const eui = [bytes[0], bytes[1], bytes[2], 0xffn, 0xfen, bytes[3], bytes[4], bytes[5]].reduce((acc, b) => acc * 256n + b, 0n);
  const flipped = eui & (1n << 57n) ? eui - (1n << 57n) : eui + (1n << 57n);
  return networkAddress(prefix) + flipped;
}

/** ipv6_utils.is_eui64_address: IPv6 with ff:fe in the middle of the interface id. */
export function isEui64(version: IpVersion, value: bigint): boolean {
  return version === 6 && ((value >> 24n) & 0xffffn) === 0xfffen;
}
