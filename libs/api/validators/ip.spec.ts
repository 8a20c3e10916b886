import { describe, expect, it } from 'vitest';
import {
  cidrOf,
  formatIPv4,
  formatIPv6,
  formatNetwork,
  inetAton,
  inetPton4,
  inetPton6,
  isLoopbackNetwork,
  parseIpAddress,
  parseIpNetwork,
} from './ip.js';

describe('IPv4', () => {
  it('parses strictly with inet_pton and prints high addresses without sign trouble', () => {
    expect(inetPton4('192.168.255.254')).toBe(0xc0a8fffen);
    expect(formatIPv4(0xc0a8fffen)).toBe('192.168.255.254');
    expect(formatIPv4(0xffffffffn)).toBe('255.255.255.255');
    expect(inetPton4('10.0.0.01')).toBeUndefined();
    expect(inetPton4('256.0.0.1')).toBeUndefined();
    expect(inetPton4('1.2.3')).toBeUndefined();
  });

  it('reads inet_aton forms', () => {
    expect(inetAton('10')).toBe(10n);
    expect(inetAton('0x0a.1')).toBe(0x0a000001n);
    expect(inetAton('010.0.0.1')).toBe(0x08000001n);
    expect(inetAton('08.0.0.1')).toBeUndefined();
    expect(inetAton('1'.repeat(59))).toBeUndefined();
  });

  it('zero-fills like netaddr ZEROFILL', () => {
    expect(parseIpAddress('010.000.000.001', { zerofill: true })).toEqual({ version: 4, value: 0x0a000001n });
  });
});

describe('IPv6', () => {
  it('parses glibc forms', () => {
    expect(inetPton6('::')).toBe(0n);
    expect(inetPton6('::1')).toBe(1n);
    expect(inetPton6('::ffff:1.2.3.4')).toBe(0xffff01020304n);
    expect(inetPton6('1:2:3:4:5:6:7::')).toBeDefined();
    expect(inetPton6('1:2:3:4:5:6:7:8::')).toBeUndefined();
    expect(inetPton6(':1::')).toBeUndefined();
    expect(inetPton6('1:::2')).toBeUndefined();
    expect(inetPton6('12345::')).toBeUndefined();
    expect(inetPton6('::ffff:01.2.3.4')).toBeUndefined();
    expect(inetPton6('fe80::1%eth0')).toBeUndefined();
  });

  it('prints the compressed lower-case form', () => {
    const fmt = (s: string) => formatIPv6(inetPton6(s)!);
    expect(fmt('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(fmt('1:0:0:2:0:0:0:3')).toBe('1:0:0:2::3');
    expect(fmt('1:0:0:0:2:0:0:3')).toBe('1::2:0:0:3');
    expect(fmt('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(fmt('0:0:0:0:0:ffff:102:304')).toBe('::ffff:1.2.3.4');
    expect(fmt('::102:304')).toBe('::1.2.3.4');
    expect(fmt('::')).toBe('::');
    expect(fmt('fe80::')).toBe('fe80::');
  });
});

describe('IPNetwork', () => {
  it('keeps host bits, computes the network, accepts masks and partial IPv4', () => {
    const net = parseIpNetwork('192.168.1.7/24');
    expect(formatNetwork(net)).toBe('192.168.1.7/24');
    expect(formatNetwork(cidrOf(net))).toBe('192.168.1.0/24');
    expect(formatNetwork(parseIpNetwork('10/8'))).toBe('10.0.0.0/8');
    expect(formatNetwork(parseIpNetwork('10.0.0.0/255.255.255.0'))).toBe('10.0.0.0/24');
    expect(formatNetwork(parseIpNetwork('10.0.0.0/0.0.0.255'))).toBe('10.0.0.0/24');
    expect(formatNetwork(parseIpNetwork('10.0.0.0'))).toBe('10.0.0.0/32');
    expect(formatNetwork(parseIpNetwork('fe80::1/64'))).toBe('fe80::1/64');
    expect(formatNetwork(cidrOf(parseIpNetwork('fe80::1/64')))).toBe('fe80::/64');
    expect(formatNetwork(parseIpNetwork('::/0'))).toBe('::/0');
    expect(() => parseIpNetwork('10.0.0.0/33')).toThrow();
    expect(() => parseIpNetwork('10.0.0.0/24/24')).toThrow(/netmasks/);
  });

  it('knows IPv4 loopback networks only', () => {
    expect(isLoopbackNetwork(parseIpNetwork('127.0.0.0/8'))).toBe(true);
    expect(isLoopbackNetwork(parseIpNetwork('127.0.0.0/7'))).toBe(false);
    expect(isLoopbackNetwork(parseIpNetwork('::1/128'))).toBe(false);
  });
});
