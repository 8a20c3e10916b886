/**
 * Neutron's SubnetPoolReader and _update_subnetpool_dict as pure functions: prefixes compacted, the IP version
 * inferred, prefix-length bounds defaulted and checked, with Neutron's errors in Neutron's order.
 */
import { type Cidr, compactCidrs, formatCidr, isSubset, mergeRanges, parseCidr, rangeOf, widthOf } from './prefix-set.js';
import { emptySubnetPoolPrefixList, illegalPrefixBounds, illegalPrefixUpdate, prefixVersionMismatch } from './subnetpool.errors.js';

export interface PoolBounds {
  ipVersion: 4 | 6;
  prefixes: string[];
  minPrefixlen: number;
  maxPrefixlen: number;
  defaultPrefixlen: number;
}

export interface BoundsInput {
  minPrefixlen?: number;
  maxPrefixlen?: number;
  defaultPrefixlen?: number;
}

const DEFAULT_MIN = { 4: 8, 6: 64 } as const;

/** SubnetPoolReader(prefixes, bounds): undefined bounds take Neutron's defaults. */
export function readSubnetPool(prefixTexts: readonly string[], bounds: BoundsInput): PoolBounds {
  if (!prefixTexts.length) throw emptySubnetPoolPrefixList();
  const cidrs = prefixTexts.map(parseCidr);
  const ipVersion = cidrs[0].version;
  if (cidrs.some((c) => c.version !== ipVersion)) throw prefixVersionMismatch();
  const width = widthOf(ipVersion);

  const minPrefixlen = bounds.minPrefixlen ?? DEFAULT_MIN[ipVersion];
  const maxPrefixlen = bounds.maxPrefixlen ?? width;
  // Neutron crashes (a 500) when min_prefixlen is 0 and default_prefixlen is missing; we apply its documented default.
  const defaultPrefixlen = bounds.defaultPrefixlen ?? minPrefixlen;

  if (minPrefixlen > maxPrefixlen) throw illegalPrefixBounds('min_prefixlen', minPrefixlen, 'max_prefixlen', maxPrefixlen);
  if (maxPrefixlen > width) throw illegalPrefixBounds('max_prefixlen', maxPrefixlen, 'ip_version_max', width);
  if (defaultPrefixlen < minPrefixlen) {
    throw illegalPrefixBounds('default_prefixlen', defaultPrefixlen, 'min_prefixlen', minPrefixlen);
  }
  if (defaultPrefixlen > maxPrefixlen) {
    throw illegalPrefixBounds('default_prefixlen', defaultPrefixlen, 'max_prefixlen', maxPrefixlen);
  }
  return { ipVersion, prefixes: compactCidrs(cidrs).map(formatCidr), minPrefixlen, maxPrefixlen, defaultPrefixlen };
}

/**
 * The prefix list a PUT asks for: it may only add or grow (the old set must stay covered), and comes back compacted.
 * Versions are not checked here: mixing them is readSubnetPool's PrefixVersionMismatch, as in Neutron.
 */
export function grownPrefixes(current: readonly string[], requested: readonly string[]): string[] {
  const requestedCidrs = requested.map(parseCidr);
  for (const version of [4, 6] as const) {
    const before = mergeRanges(current.map(parseCidr).filter((c) => c.version === version).map(rangeOf));
    const after = mergeRanges(requestedCidrs.filter((c) => c.version === version).map(rangeOf));
    if (!isSubset(before, after)) throw illegalPrefixUpdate('Existing prefixes must be a subset of the new prefixes');
  }
  return byVersion(requestedCidrs).flatMap((cidrs) => compactCidrs(cidrs).map(formatCidr));
}

/** IPSet iterates IPv4 before IPv6. */
function byVersion(cidrs: readonly Cidr[]): Cidr[][] {
  return [cidrs.filter((c) => c.version === 4), cidrs.filter((c) => c.version === 6)].filter((l) => l.length);
}
