/** Cases ported from neutron-lib's test_validators.py (IP, subnet, route CIDR, MAC). */
import { describe, expect, it } from 'vitest';
import {
  validateIpAddress,
  validateIpAddressOrNone,
  validateIpOrSubnetOrNone,
  validateMacAddress,
  validateMacAddressOrNone,
  validateRouteCidr,
  validateSubnet,
  validateSubnetOrNone,
} from './index.js';

const WHITESPACE = [' ', '\t', '\n', '\r', '\v', '\f'];

describe('validate_ip_address', () => {
  const v = validateIpAddress();
  it('accepts canonical IPv4 (10.x, 192.168.x) and any IPv6 text', () => {
    for (const ok of ['1.1.1.1', '10.0.0.1', '192.168.1.1', '192.168.255.255', '255.255.255.255', '0.0.0.0']) {
      expect(v(ok)).toBeUndefined();
    }
    for (const ok of ['::', '::1', 'fe80:0:0:0:0:0:0:0001', 'FE80::1', '::ffff:192.168.1.1', '2001:db8::1']) {
      expect(v(ok)).toBeUndefined();
    }
  });

  it('refuses non-addresses', () => {
    for (const bad of ['1111.1.1.1', '1'.repeat(59), '1.1.1.1 has whitespace', '111.1.1.1\twhitespace', '111.1.1.1\nwhitespace']) {
      expect(v(bad)).toBe(`'${bad}' is not a valid IP address`);
    }
    for (const ws of WHITESPACE) {
      expect(v(`${ws}111.1.1.1`)).toBe(`'${ws}111.1.1.1' is not a valid IP address`);
      expect(v(`111.1.1.1${ws}`)).toBe(`'111.1.1.1${ws}' is not a valid IP address`);
    }
    expect(v('1.2.3')).toBe("'1.2.3' is not a valid IP address");
    expect(v('10.0.0.0/8')).toBe("'10.0.0.0/8' is not a valid IP address");
    expect(v(null)).toBe("'None' is not a valid IP address");
    expect(v(167772161)).toBe("'167772161' is not a valid IP address");
  });

  it('recommends the canonical text for leading zeros', () => {
    const rec = (data: string, ip: string) => `'${data}' is not an accepted IP address, '${ip}' is recommended`;
    expect(v('1.1.1.01')).toBe(rec('1.1.1.01', '1.1.1.1'));
    expect(v('1.1.1.011')).toBe(rec('1.1.1.011', '1.1.1.11'));
    expect(v('1.1.1.09')).toBe(rec('1.1.1.09', '1.1.1.9'));
    expect(v('192.168.001.010')).toBe(rec('192.168.001.010', '192.168.1.10'));
  });

  it('or_none', () => {
    expect(validateIpAddressOrNone()(null)).toBeUndefined();
    expect(validateIpAddressOrNone()('1.1.1.1')).toBeUndefined();
    expect(validateIpAddressOrNone()('1111.1.1.1')).toBe("'1111.1.1.1' is not a valid IP address");
  });
});

describe('validate_subnet', () => {
  const rec = (data: string, cidr: string) => `'${data}' isn't a recognized IP subnet cidr, '${cidr}' is recommended`;
  for (const [name, v, allowNone] of [
    ['subnet', validateSubnet(), false],
    ['subnet_or_none', validateSubnetOrNone(), true],
  ] as const) {
    it(`${name}`, () => {
      for (const ok of ['10.0.2.0/24', 'fe80::/24', 'fe80:0:0:0:0:0:0:0/128', '2001:0db8:0:0:1::1/128', '2001:0db8::1:0:0:1/128', '2001::0:1:0:0:1100/120']) {
        expect(v(ok)).toBeUndefined();
      }
      for (const ok of ['0.0.0.0/0', '10.0.0.0/31', '10.0.0.1/32', '::/0', '::1/128']) expect(v(ok)).toBeUndefined();
      expect(v('10/24')).toBe(rec('10/24', '10.0.0.0/24'));
      expect(v('10.0.2.0')).toBe(rec('10.0.2.0', '10.0.2.0/32'));
      expect(v('10.0.0.0')).toBe("'10.0.0.0' isn't a recognized IP subnet cidr, '10.0.0.0/32' is recommended");
      for (let i = 1; i < 255; i++) expect(v(`192.168.1.${i}/24`)).toBeUndefined();
      expect(v('fe80::')).toBe(rec('fe80::', 'fe80::/128'));
      expect(v('fe80::0')).toBe(rec('fe80::0', 'fe80::/128'));
      expect(v('invalid')).toBe("'invalid' is not a valid IP subnet");
      expect(v(null)).toBe(allowNone ? undefined : "'None' is not a valid IP subnet");
      expect(v('10.0.2.0/24\r')).toBe("'10.0.2.0/24\r' is not a valid IP subnet");
      expect(v('10.0.0.0/33')).toBe("'10.0.0.0/33' is not a valid IP subnet");
      expect(v('::/129')).toBe("'::/129' is not a valid IP subnet");
    });
  }
});

describe('validate_route_cidr', () => {
  const v = validateRouteCidr();
  it('wants a network address and not loopback', () => {
    expect(v('10.0.0.0/8')).toBeUndefined();
    expect(v('192.168.1.1/32')).toBeUndefined();
    expect(v('192.168.1.1/8')).toBe("'192.168.1.1/8' is not a recognized CIDR, '192.0.0.0/8' is recommended");
    expect(v('127.0.0.0/8')).toBe("'127.0.0.0/8' is not a routable CIDR");
    expect(v('invalid')).toBe("'invalid' is not a valid CIDR");
    expect(v('::1/128')).toBeUndefined();
  });
});

describe('validate_ip_or_subnet_or_none', () => {
  const v = validateIpOrSubnetOrNone();
  it('accepts either', () => {
    for (const ok of [null, '172.0.0.1', '172.0.0.1/24', '2001:0db8:0a0b:12f0:0000:0000:0000:0001', '::1/128']) {
      expect(v(ok)).toBeUndefined();
    }
  });
  it('refuses neither', () => {
    for (const bad of ['300.0.0.1', '172.0.0.1/45', 'xxxx:0db8:0a0b:12f0:0000:0000:0000:0001', '::1/2048']) {
      expect(v(bad)).toBe(`'${bad}' is neither a valid IP address, nor is it a valid IP subnet`);
    }
  });
});

describe('validate_mac_address', () => {
  for (const [name, v, allowNone] of [
    ['mac_address', validateMacAddress(), false],
    ['mac_address_or_none', validateMacAddressOrNone(), true],
  ] as const) {
    it(name, () => {
      const err = (m: string) => `'${m}' is not a valid MAC address`;
      expect(v('ff:16:3e:4f:00:00')).toBeUndefined();
      expect(v('FA-16-3E-4F-00-01')).toBeUndefined();
      expect(v('fa16.3e4f.0001')).toBeUndefined();
      expect(v('ffa:16:3e:4f:00:00')).toBe(err('ffa:16:3e:4f:00:00'));
      expect(v('00:00:00:00:00:00')).toBe(err('00:00:00:00:00:00'));
      expect(v('ff:ff:ff:ff:ff:ff')).toBe(err('ff:ff:ff:ff:ff:ff'));
      expect(v('123')).toBe(err('123'));
      expect(v(null)).toBe(allowNone ? undefined : err('None'));
      expect(v('ff:16:3e:4f:00:00\r')).toBe(err('ff:16:3e:4f:00:00\r'));
    });
  }
});
