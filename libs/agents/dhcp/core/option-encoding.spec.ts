import { describe, expect, it } from 'vitest';
import { parseCidr4, parseIpv4 } from './ipv4.js';
import { classlessRoutes, domainSearch } from './option-encoding.js';

const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);
const route = (cidr: string, via: string) => ({ destination: parseCidr4(cidr)!, nexthop: parseIpv4(via)! });

describe('option 121 (RFC 3442)', () => {
  it('writes only the significant octets of each destination (the RFC\'s table)', () => {
    const router = '10.0.0.1';
    const cases: [string, string][] = [
      ['0.0.0.0/0', '00'],
      ['10.0.0.0/8', '080a'],
      ['10.17.0.0/16', '100a11'],
      ['10.27.129.0/24', '180a1b81'],
      ['10.229.0.128/25', '190ae50080'],
      ['10.198.122.47/32', '200ac67a2f'],
    ];
    for (const [cidr, prefix] of cases) expect(hex(classlessRoutes([route(cidr, router)]))).toBe(`${prefix}0a000001`);
  });

  it('concatenates routes in order, high addresses included', () => {
    expect(hex(classlessRoutes([route('192.168.200.0/24', '192.168.1.254'), route('0.0.0.0/0', '192.168.1.1')]))).toBe(
      '18c0a8c8' + 'c0a801fe' + '00' + 'c0a80101',
    );
  });
});

describe('option 119 (RFC 3397)', () => {
  it('writes each name as length-prefixed labels ending in a zero', () => {
    expect(hex(domainSearch(['example.org', 'a.b']))).toBe('076578616d706c65036f726700' + '0161016200');
    expect(domainSearch(['bad..name'])).toBeUndefined();
  });
});
