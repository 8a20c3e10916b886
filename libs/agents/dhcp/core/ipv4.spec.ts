import { describe, expect, it } from 'vitest';
import { formatIpv4, inCidr4, maskOf, parseCidr4, parseIpv4 } from './ipv4.js';

describe('IPv4 as unsigned numbers', () => {
  it('parses and formats both halves of the address space', () => {
    for (const ip of ['0.0.0.0', '10.0.0.1', '127.255.255.255', '128.0.0.0', '192.168.1.1', '255.255.255.255']) {
      const n = parseIpv4(ip)!;
      expect(n).toBeGreaterThanOrEqual(0);
      expect(formatIpv4(n)).toBe(ip);
    }
    expect(parseIpv4('192.168.1.1')).toBe(3232235777);
    expect(parseIpv4('255.255.255.255')).toBe(4294967295);
  });

  it('rejects what is not a strict dotted quad', () => {
    for (const bad of ['256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.4 ', '::1', '', '1.2.3.4/24']) expect(parseIpv4(bad)).toBeUndefined();
  });

  it('computes masks, networks and broadcasts without going negative', () => {
    expect(formatIpv4(maskOf(0))).toBe('0.0.0.0');
    expect(formatIpv4(maskOf(26))).toBe('255.255.255.192');
    expect(formatIpv4(maskOf(30))).toBe('255.255.255.252');
    expect(formatIpv4(maskOf(32))).toBe('255.255.255.255');
    const high = parseCidr4('192.168.100.77/26')!;
    expect([formatIpv4(high.network), formatIpv4(high.broadcast), high.prefixlen]).toEqual(['192.168.100.64', '192.168.100.127', 26]);
    const low = parseCidr4('10.0.0.0/8')!;
    expect([formatIpv4(low.network), formatIpv4(low.broadcast)]).toEqual(['10.0.0.0', '10.255.255.255']);
    expect(inCidr4(parseIpv4('192.168.100.127')!, high)).toBe(true);
    expect(inCidr4(parseIpv4('192.168.100.128')!, high)).toBe(false);
    expect(inCidr4(parseIpv4('250.1.2.3')!, parseCidr4('0.0.0.0/0')!)).toBe(true);
    expect(parseCidr4('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr4('10.0.0.0')).toBeUndefined();
  });
});
