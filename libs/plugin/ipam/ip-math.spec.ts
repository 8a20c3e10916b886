import { describe, expect, it } from 'vitest';
import { parseIpNetwork } from '../../api/validators/ip.js';
import { eui64Address, findOverlap, formatAddress, formatRange, fromHex, generatePools, isEui64, isMulticastNetwork, parseAddress, subtract, toHex } from './ip-math.js';
import { checkSubnetIp, type SubnetInfo } from './subnet-info.js';

const v = (text: string) => parseAddress(text)!.value;
// Expected values below were printed by Neutron's own ipam.utils / oslo netutils on this machine.
const pools = (cidr: string, gw: string | null) => {
  const net = parseIpNetwork(cidr);
  return generatePools(net, gw ? v(gw) : undefined).map((r) => formatRange(r, net.version));
};

describe('hex encoding', () => {
  it('is fixed width so that text order is numeric order, on both halves of the IPv4 space', () => {
    const addrs = ['0.0.0.0', '9.255.255.255', '10.0.0.1', '10.0.0.10', '127.255.255.255', '128.0.0.0', '192.168.0.1', '192.168.255.254', '255.255.255.255'];
    const hexes = addrs.map((a) => toHex(v(a), 4));
    expect(hexes.every((h) => h.length === 8)).toBe(true);
    expect([...hexes].sort()).toEqual(hexes);
    expect(toHex(v('192.168.1.1'), 4)).toBe('c0a80101');
    expect(hexes.map((h) => formatAddress(fromHex(h), 4))).toEqual(addrs);
  });

  it('orders IPv6 by value, 32 lower-case digits', () => {
    const addrs = ['::', '::1', '::ffff', '1::', '2001:db8::1', '2001:db8::a', '2001:db8::f816:3eff:fe00:1', 'fe80::1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'];
    const hexes = addrs.map((a) => toHex(v(a), 6));
    expect(hexes.every((h) => h.length === 32 && h === h.toLowerCase())).toBe(true);
    expect([...hexes].sort()).toEqual(hexes);
    expect(hexes.map((h) => formatAddress(fromHex(h), 6))).toEqual(addrs);
  });

  it('steps to the next and previous address across octet and word boundaries', () => {
    expect(formatAddress(v('10.0.0.255') + 1n, 4)).toBe('10.0.1.0');
    expect(formatAddress(v('192.168.1.0') - 1n, 4)).toBe('192.168.0.255');
    expect(formatAddress(v('127.255.255.255') + 1n, 4)).toBe('128.0.0.0');
    expect(formatAddress(v('2001:db8::ffff') + 1n, 6)).toBe('2001:db8::1:0');
    expect(formatAddress(v('2001:db8:0:1::') - 1n, 6)).toBe('2001:db8::ffff:ffff:ffff:ffff');
  });
});

describe('generatePools (ipam.utils.generate_pools)', () => {
  it('excludes network, broadcast and gateway on both halves of the IPv4 space', () => {
    expect(pools('10.0.0.0/24', '10.0.0.1')).toEqual(['10.0.0.2-10.0.0.254']);
    expect(pools('192.168.1.0/24', '192.168.1.1')).toEqual(['192.168.1.2-192.168.1.254']);
    expect(pools('192.168.255.0/24', '192.168.255.254')).toEqual(['192.168.255.1-192.168.255.253']);
    expect(pools('255.255.255.0/24', '255.255.255.1')).toEqual(['255.255.255.2-255.255.255.254']);
    expect(pools('192.168.0.0/16', null)).toEqual(['192.168.0.1-192.168.255.254']);
    expect(pools('10.0.0.0/24', '10.0.0.100')).toEqual(['10.0.0.1-10.0.0.99', '10.0.0.101-10.0.0.254']);
  });

  it('keeps every address of /31 and /32 (no broadcast), /30 has one left', () => {
    expect(pools('10.0.0.0/30', '10.0.0.1')).toEqual(['10.0.0.2-10.0.0.2']);
    expect(pools('10.0.0.0/31', '10.0.0.1')).toEqual(['10.0.0.0-10.0.0.0']);
    expect(pools('10.0.0.4/32', '10.0.0.5')).toEqual(['10.0.0.4-10.0.0.4']);
  });

  it('IPv6 leaves out only the network address', () => {
    expect(pools('2001:db8::/64', '2001:db8::')).toEqual(['2001:db8::1-2001:db8::ffff:ffff:ffff:ffff']);
    expect(pools('2001:db8::/126', '2001:db8::1')).toEqual(['2001:db8::2-2001:db8::3']);
  });
});

describe('range math', () => {
  it('subtracts allocated addresses from pools', () => {
    const net = parseIpNetwork('192.168.10.0/24');
    const free = subtract([{ first: v('192.168.10.10'), last: v('192.168.10.20') }], [v('192.168.10.10'), v('192.168.10.15'), v('192.168.10.99')]);
    expect(free.map((r) => formatRange(r, net.version))).toEqual(['192.168.10.11-192.168.10.14', '192.168.10.16-192.168.10.20']);
    expect(subtract([{ first: 5n, last: 5n }], [5n])).toEqual([]);
  });

  it('finds the first overlapping pair in request order', () => {
    const a = { first: 1n, last: 10n };
    const b = { first: 20n, last: 30n };
    const c = { first: 10n, last: 12n };
    expect(findOverlap([a, b, c])).toEqual([a, c]);
    expect(findOverlap([a, b])).toBeUndefined();
  });

  it('knows multicast networks', () => {
    expect(isMulticastNetwork(parseIpNetwork('224.0.0.0/4'))).toBe(true);
    expect(isMulticastNetwork(parseIpNetwork('239.1.0.0/16'))).toBe(true);
    expect(isMulticastNetwork(parseIpNetwork('224.0.0.0/3'))).toBe(false);
    expect(isMulticastNetwork(parseIpNetwork('192.168.0.0/16'))).toBe(false);
    expect(isMulticastNetwork(parseIpNetwork('ff02::/16'))).toBe(true);
  });
});

describe('EUI-64', () => {
  const prefix = parseIpNetwork('2001:db8:1:2::/64');
  it.each([
    ['fa:16:3e:00:00:01', '2001:db8:1:2:f816:3eff:fe00:1'],
    ['00:00:00:00:00:00', '2001:db8:1:2:200:ff:fe00:0'],
    ['02:ff:ff:12:34:56', '2001:db8:1:2:ff:ffff:fe12:3456'],
    ['fe:ff:ff:ff:ff:ff', '2001:db8:1:2:fcff:ffff:feff:ffff'],
  ])('%s gives %s', (mac, expected) => {
    const ip = eui64Address(prefix, mac);
    expect(formatAddress(ip, 6)).toBe(expected);
    expect(isEui64(6, ip)).toBe(true);
  });

  it('does not take a plain address for an EUI-64 one', () => {
    expect(isEui64(6, v('2001:db8::1'))).toBe(false);
    expect(isEui64(4, v('10.0.0.1'))).toBe(false);
  });
});

describe('checkSubnetIp (ipam.utils.check_subnet_ip)', () => {
  const subnet = (cidr: string): SubnetInfo => {
    const net = parseIpNetwork(cidr);
    return { id: 's', networkId: 'n', projectId: 'p', version: net.version, net, raMode: null, addressMode: null, pools: [] };
  };
  const check = (cidr: string, ip: string, owner = 'compute:nova') => checkSubnetIp(subnet(cidr), parseAddress(ip)!, owner);

  it('refuses the IPv4 network and broadcast addresses and anything outside', () => {
    expect(check('10.0.0.0/24', '10.0.0.0')).toBe(false);
    expect(check('10.0.0.0/24', '10.0.0.255')).toBe(false);
    expect(check('10.0.0.0/24', '10.0.0.254')).toBe(true);
    expect(check('192.168.200.0/24', '192.168.200.255')).toBe(false);
    expect(check('192.168.200.0/24', '192.168.201.1')).toBe(false);
    expect(check('192.168.200.0/24', '2001:db8::1')).toBe(false);
  });

  it('has no broadcast address on /31 and /32', () => {
    expect(check('10.0.0.0/31', '10.0.0.1')).toBe(true);
    expect(check('10.0.0.0/31', '10.0.0.0')).toBe(false);
    expect(check('10.0.0.5/32', '10.0.0.5')).toBe(false);
  });

  it('gives the IPv6 network address only to router ports and unknown owners', () => {
    expect(check('2001:db8::/64', '2001:db8::', 'compute:nova')).toBe(false);
    expect(check('2001:db8::/64', '2001:db8::', 'network:router_interface')).toBe(true);
    expect(check('2001:db8::/64', '2001:db8::', '')).toBe(true);
    expect(check('2001:db8::/64', '2001:db8::ffff:ffff:ffff:ffff')).toBe(true);
  });
});
