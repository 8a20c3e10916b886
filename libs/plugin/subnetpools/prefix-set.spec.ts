import { describe, expect, it } from 'vitest';
import {
  type Cidr,
  compactCidrs,
  formatCidr,
  freeBlocks,
  intersects,
  isFree,
  mergeRanges,
  parseCidr,
  pickFreeSubnet,
  rangeOf,
  rangeToCidrs,
  subtractRanges,
} from './prefix-set.js';

const cidrs = (...texts: string[]) => texts.map(parseCidr);
const texts = (list: Cidr[]) => list.map(formatCidr);
const compact = (...t: string[]) => texts(compactCidrs(cidrs(...t)));
/** The subnet Neutron would hand out next for /prefixlen. */
const next = (prefixes: string[], allocated: string[], prefixlen: number) => {
  const picked = pickFreeSubnet(freeBlocks(cidrs(...prefixes), cidrs(...allocated)), prefixlen);
  return picked && formatCidr(picked);
};

describe('prefix compaction (netaddr IPSet.compact)', () => {
  it('merges adjacent IPv4 halves into their parent, in both halves of the address space', () => {
    expect(compact('10.0.0.0/25', '10.0.0.128/25')).toEqual(['10.0.0.0/24']);
    expect(compact('192.168.1.0/24', '192.168.0.0/24')).toEqual(['192.168.0.0/23']);
    expect(compact('192.168.0.0/24', '192.168.1.0/24', '192.168.3.0/24')).toEqual(['192.168.0.0/23', '192.168.3.0/24']);
  });

  it('drops prefixes covered by a larger one and normalises host bits', () => {
    expect(compact('10.100.0.0/16', '10.100.5.0/24', '10.100.7.9/24')).toEqual(['10.100.0.0/16']);
    expect(compact('10.11.12.0/24', '10.11.0.0/16')).toEqual(['10.11.0.0/16']);
  });

  it('keeps disjoint prefixes sorted by address', () => {
    expect(compact('192.168.0.0/16', '10.0.0.0/8', '172.16.0.0/12')).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
  });

  it('covers a non-aligned union with the fewest CIDRs', () => {
    // 10.0.1.0 – 10.0.4.255 is not one block: /24 + /23 + /24.
    expect(compact('10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24', '10.0.4.0/24')).toEqual([
      '10.0.1.0/24',
      '10.0.2.0/23',
      '10.0.4.0/24',
    ]);
  });

  it('compacts IPv6 with BigInt arithmetic', () => {
    expect(compact('2001:db8::/33', '2001:db8:8000::/33')).toEqual(['2001:db8::/32']);
    expect(compact('2001:db8:3::/48', '2001:db8:3:1::/64')).toEqual(['2001:db8:3::/48']);
    expect(compact('::/1', '8000::/1')).toEqual(['::/0']);
  });

  it('handles the edges of the address space', () => {
    expect(compact('0.0.0.0/1', '128.0.0.0/1')).toEqual(['0.0.0.0/0']);
    expect(compact('255.255.255.254/32', '255.255.255.255/32')).toEqual(['255.255.255.254/31']);
    expect(texts(rangeToCidrs(4, { first: 0n, last: 0xffffffffn }))).toEqual(['0.0.0.0/0']);
  });
});

describe('range arithmetic', () => {
  it('subtracts, detects overlap and merges', () => {
    const pool = mergeRanges(cidrs('10.0.0.0/24').map(rangeOf));
    const used = mergeRanges(cidrs('10.0.0.64/26', '10.0.0.0/26').map(rangeOf));
    expect(used).toEqual([{ first: 0x0a000000n, last: 0x0a00007fn }]);
    expect(subtractRanges(pool, used)).toEqual([{ first: 0x0a000080n, last: 0x0a0000ffn }]);
    expect(intersects(pool, used)).toBe(true);
    expect(intersects(pool, mergeRanges(cidrs('10.0.1.0/24').map(rangeOf)))).toBe(false);
  });
});

describe('free-block allocation (SubnetAllocator._allocate_any_subnet)', () => {
  it('hands out 10.100.0.0/26, then 10.100.0.64/26 from 10.100.0.0/16', () => {
    expect(next(['10.100.0.0/16'], [], 26)).toBe('10.100.0.0/26');
    expect(next(['10.100.0.0/16'], ['10.100.0.0/26'], 26)).toBe('10.100.0.64/26');
    expect(next(['10.100.0.0/16'], ['10.100.0.0/26', '10.100.0.64/26'], 26)).toBe('10.100.0.128/26');
  });

  it('fills the smallest hole that fits before splitting a larger block (192.168.x)', () => {
    // Free: 192.168.0.128/25 (a hole) and 192.168.2.0/23 (bigger); a /26 comes from the hole.
    const allocated = ['192.168.0.0/25', '192.168.1.0/24'];
    expect(next(['192.168.0.0/22'], allocated, 26)).toBe('192.168.0.128/26');
    expect(next(['192.168.0.0/22'], allocated, 24)).toBe('192.168.2.0/24');
    expect(next(['192.168.0.0/22'], allocated, 23)).toBe('192.168.2.0/23');
    expect(next(['192.168.0.0/22'], allocated, 22)).toBeUndefined();
  });

  it('uses every pool prefix and reports exhaustion', () => {
    const prefixes = ['10.0.0.0/30', '192.168.255.252/30'];
    expect(next(prefixes, ['10.0.0.0/30'], 31)).toBe('192.168.255.252/31');
    expect(next(prefixes, ['10.0.0.0/30', '192.168.255.252/31', '192.168.255.254/32'], 32)).toBe('192.168.255.255/32');
    expect(next(prefixes, ['10.0.0.0/30', '192.168.255.252/30'], 32)).toBeUndefined();
  });

  it('allocates IPv6 /64s from a /48 and /56s from a /32 without enumerating them', () => {
    expect(next(['2001:db8:3::/48'], [], 64)).toBe('2001:db8:3::/64');
    expect(next(['2001:db8:3::/48'], ['2001:db8:3::/64', '2001:db8:3:1::/64'], 64)).toBe('2001:db8:3:2::/64');
    const many = Array.from({ length: 2000 }, (_, i) => `2001:db8:${i.toString(16)}::/48`);
    expect(next(['2001:db8::/32'], many, 56)).toBe('2001:db8:7d0::/56');
    expect(next(['::/0'], ['::/1'], 1)).toBe('8000::/1');
  });

  it('is fast with thousands of allocations in a big prefix', () => {
    const allocated = Array.from({ length: 10_000 }, (_, i) => `10.${Math.floor(i / 256)}.${i % 256}.0/24`);
    const started = performance.now();
    expect(next(['10.0.0.0/8'], allocated, 24)).toBe('10.39.16.0/24');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('accepts a specific CIDR only when it lies in free space', () => {
    const free = freeBlocks(cidrs('10.100.0.0/16'), cidrs('10.100.0.0/26'));
    expect(isFree(free, parseCidr('10.100.0.64/26'))).toBe(true);
    expect(isFree(free, parseCidr('10.100.1.0/24'))).toBe(true);
    expect(isFree(free, parseCidr('10.100.0.0/24')), 'overlaps the allocated /26').toBe(false);
    expect(isFree(free, parseCidr('10.100.0.32/27'))).toBe(false);
    expect(isFree(free, parseCidr('10.101.0.0/24')), 'outside the pool').toBe(false);
    expect(isFree(free, parseCidr('10.0.0.0/8')), 'larger than the pool').toBe(false);
  });
});
