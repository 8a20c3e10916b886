import { describe, expect, it } from 'vitest';
import { NeutronError } from '../../api/errors/neutron-error.js';
import { grownPrefixes, readSubnetPool } from './subnetpool-reader.js';

function neutronError(fn: () => unknown): { type: string; status: number; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof NeutronError) return { type: e.type, status: e.status, message: e.message };
    throw e;
  }
  throw new Error('expected a NeutronError');
}

describe('readSubnetPool (SubnetPoolReader)', () => {
  it('infers the version and Neutron defaults: min 8/64, max 32/128, default = min', () => {
    expect(readSubnetPool(['10.100.0.0/16'], {})).toEqual({
      ipVersion: 4,
      prefixes: ['10.100.0.0/16'],
      minPrefixlen: 8,
      maxPrefixlen: 32,
      defaultPrefixlen: 8,
    });
    expect(readSubnetPool(['2001:db8::/32'], { minPrefixlen: 48 })).toMatchObject({
      ipVersion: 6,
      minPrefixlen: 48,
      maxPrefixlen: 128,
      defaultPrefixlen: 48,
    });
    expect(readSubnetPool(['192.168.0.0/24', '192.168.1.0/24'], { defaultPrefixlen: 26 }).prefixes).toEqual(['192.168.0.0/23']);
  });

  it('refuses empty and mixed-version prefix lists', () => {
    expect(neutronError(() => readSubnetPool([], {}))).toEqual({
      type: 'EmptySubnetPoolPrefixList',
      status: 400,
      message: 'Empty subnet pool prefix list.',
    });
    expect(neutronError(() => readSubnetPool(['10.0.0.0/8', '2001:db8::/32'], {}))).toEqual({
      type: 'PrefixVersionMismatch',
      status: 400,
      message: 'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.',
    });
  });

  it('checks the bounds in Neutron order with its messages', () => {
    const msg = (bounds: Parameters<typeof readSubnetPool>[1], prefixes = ['10.0.0.0/8']) =>
      neutronError(() => readSubnetPool(prefixes, bounds)).message;
    expect(msg({ minPrefixlen: 28, maxPrefixlen: 24 })).toBe('Illegal prefix bounds: min_prefixlen=28, max_prefixlen=24.');
    expect(msg({ maxPrefixlen: 33 })).toBe('Illegal prefix bounds: max_prefixlen=33, ip_version_max=32.');
    expect(msg({ maxPrefixlen: 129 }, ['2001:db8::/32'])).toBe('Illegal prefix bounds: max_prefixlen=129, ip_version_max=128.');
    expect(msg({ minPrefixlen: 16, defaultPrefixlen: 12 })).toBe('Illegal prefix bounds: default_prefixlen=12, min_prefixlen=16.');
    expect(msg({ maxPrefixlen: 24, defaultPrefixlen: 26 })).toBe('Illegal prefix bounds: default_prefixlen=26, max_prefixlen=24.');
    expect(neutronError(() => readSubnetPool(['10.0.0.0/8'], { minPrefixlen: 28, maxPrefixlen: 24 })).type).toBe(
      'IllegalSubnetPoolPrefixBounds',
    );
  });

  it('defaults default_prefixlen to a min_prefixlen of 0 (where Neutron crashes with a 500)', () => {
    expect(readSubnetPool(['10.0.0.0/8'], { minPrefixlen: 0 }).defaultPrefixlen).toBe(0);
    expect(readSubnetPool(['10.0.0.0/8'], { minPrefixlen: 0, defaultPrefixlen: 0 }).defaultPrefixlen).toBe(0);
  });
});

describe('grownPrefixes (_update_subnetpool_dict)', () => {
  it('accepts additions and larger covering prefixes, compacted', () => {
    expect(grownPrefixes(['10.11.12.0/24'], ['10.11.12.0/24', '10.11.15.0/24'])).toEqual(['10.11.12.0/24', '10.11.15.0/24']);
    expect(grownPrefixes(['10.11.12.0/24'], ['10.11.0.0/16'])).toEqual(['10.11.0.0/16']);
    expect(grownPrefixes(['2001:db8:3::/48'], ['2001:db8::/32'])).toEqual(['2001:db8::/32']);
  });

  it('refuses to shrink', () => {
    expect(neutronError(() => grownPrefixes(['10.11.0.0/16'], ['10.11.12.0/24']))).toEqual({
      type: 'IllegalSubnetPoolPrefixUpdate',
      status: 400,
      message: 'Illegal update to prefixes: Existing prefixes must be a subset of the new prefixes.',
    });
    expect(neutronError(() => grownPrefixes(['10.11.0.0/16'], ['2001:db8::/32'])).type).toBe('IllegalSubnetPoolPrefixUpdate');
  });

  it('leaves a version mix for readSubnetPool to refuse', () => {
    const grown = grownPrefixes(['10.0.0.0/8'], ['10.0.0.0/8', '2001:db8::/32']);
    expect(grown).toEqual(['10.0.0.0/8', '2001:db8::/32']);
    expect(neutronError(() => readSubnetPool(grown, {})).type).toBe('PrefixVersionMismatch');
  });
});
