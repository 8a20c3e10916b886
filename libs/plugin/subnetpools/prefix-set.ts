/**
 * The address-set arithmetic subnet pools need (netaddr's IPSet, cidr_merge and iter_cidrs), on BigInt ranges so
 * IPv4 and IPv6 share one code path and nothing is enumerated block by block.
 */
import { cidrOf, formatIp, type IpNetwork, type IpVersion, lastAddress, parseIpNetwork } from '../../api/validators/index.js';

export interface Cidr {
  version: IpVersion;
  /** The network address. */
  value: bigint;
  prefixlen: number;
}

/** An inclusive address range [first, last]. */
export interface Range {
  first: bigint;
  last: bigint;
}

export const widthOf = (version: IpVersion): number => (version === 4 ? 32 : 128);

/** A CIDR as the validators accept it ('10.0.0.5/24' too): normalised to its network address. */
export function parseCidr(text: string): Cidr {
  const net = cidrOf(parseIpNetwork(text));
  return { version: net.version, value: net.value, prefixlen: net.prefixlen };
}

export const formatCidr = (c: Cidr): string => `${formatIp(c)}/${c.prefixlen}`;

export const rangeOf = (c: Cidr): Range => ({ first: c.value, last: lastAddress(c as IpNetwork) });

/** Sorted, with overlapping and adjacent ranges joined (an IPSet's content). */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: Range[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && r.first <= prev.last + 1n) {
      if (r.last > prev.last) prev.last = r.last;
    } else {
      out.push({ ...r });
    }
  }
  return out;
}

/** The fewest CIDRs covering exactly one range, ascending (netaddr's iprange_to_cidrs). */
export function rangeToCidrs(version: IpVersion, r: Range): Cidr[] {
  const width = widthOf(version);
  const out: Cidr[] = [];
  let cur = r.first;
  while (cur <= r.last) {
    // The largest block aligned at cur (its lowest set bit) that still fits before r.last.
    let size = cur === 0n ? 1n << BigInt(width) : cur & -cur;
    while (size > r.last - cur + 1n) size >>= 1n;
    out.push({ version, value: cur, prefixlen: width - bitLength(size) + 1 });
    cur += size;
  }
  return out;
}

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

/** IPSet(cidrs).compact().iter_cidrs(): overlapping and adjacent prefixes merged into the fewest CIDRs. */
export function compactCidrs(cidrs: readonly Cidr[]): Cidr[] {
  if (!cidrs.length) return [];
  const version = cidrs[0].version;
  return mergeRanges(cidrs.map(rangeOf)).flatMap((r) => rangeToCidrs(version, r));
}

/** a − b for merged, sorted range lists, in one pass over both. */
export function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let j = 0;
  for (const r of a) {
    let first = r.first;
    while (j < b.length && b[j].last < first) j++;
    let k = j;
    while (k < b.length && b[k].first <= r.last && first <= r.last) {
      if (b[k].first > first) out.push({ first, last: b[k].first - 1n });
      first = b[k].last + 1n;
      k++;
    }
    if (first <= r.last) out.push({ first, last: r.last });
  }
  return out;
}

/** Whether every address of `inner` lies in `outer` (both merged, sorted). */
export function isSubset(inner: readonly Range[], outer: readonly Range[]): boolean {
  return subtractRanges(inner, outer).length === 0;
}

/** Whether the two merged, sorted range lists share an address. */
export function intersects(a: readonly Range[], b: readonly Range[]): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i].last < b[j].first) i++;
    else if (b[j].last < a[i].first) j++;
    else return true;
  }
  return false;
}

/** The pool's free space as CIDRs: prefixes minus allocations, compacted (SubnetAllocator._get_available_prefix_list). */
export function freeBlocks(prefixes: readonly Cidr[], allocated: readonly Cidr[]): Cidr[] {
  if (!prefixes.length) return [];
  const version = prefixes[0].version;
  const used = mergeRanges(allocated.filter((c) => c.version === version).map(rangeOf));
  return subtractRanges(mergeRanges(prefixes.map(rangeOf)), used).flatMap((r) => rangeToCidrs(version, r));
}

/**
 * Neutron's choice for "any subnet of /prefixlen": the free blocks sorted by prefix length, longest first (a stable
 * sort, so ascending addresses among equals), and the first subnet of the first block large enough. The smallest
 * fitting hole is used before a big one is split.
 */
export function pickFreeSubnet(free: readonly Cidr[], prefixlen: number): Cidr | undefined {
  let best: Cidr | undefined;
  for (const block of free) {
    if (block.prefixlen > prefixlen) continue;
    if (!best || block.prefixlen > best.prefixlen) best = block;
  }
  return best && { version: best.version, value: best.value, prefixlen };
}

/** Whether `cidr` lies wholly inside the free space (netaddr.all_matching_cidrs on the available blocks). */
export function isFree(free: readonly Cidr[], cidr: Cidr): boolean {
  const want = rangeOf(cidr);
  return free.some((b) => b.version === cidr.version && b.value <= want.first && rangeOf(b).last >= want.last);
}
