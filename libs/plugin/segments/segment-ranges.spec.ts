import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/index.js';
import { inRanges, parseTunnelRanges, parseVlanRanges } from './segment-ranges.js';

const configError = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('network_vlan_ranges', () => {
  it('keeps physnets in order with their ranges; a bare physnet may use every VLAN tag', () => {
    const ranges = parseVlanRanges(['physnet1:100:199', 'physnet1:300:301', ' public ', 'physnet2:5:5']);
    expect([...ranges.entries()]).toEqual([
      ['physnet1', [[100, 199], [300, 301]]],
      ['public', [[1, 4094]]],
      ['physnet2', [[5, 5]]],
    ]);
  });

  it('stops the start with Neutron’s message naming the key', () => {
    expect(configError(() => parseVlanRanges(['physnet1:100:5000']))).toBe(
      "Invalid configuration:\n  ml2.network_vlan_ranges: Invalid network VLAN range: '100:5000' - '5000 is not a valid VLAN tag'.",
    );
    expect(configError(() => parseVlanRanges(['physnet1:200:100']))).toContain("'200:100' - 'End of VLAN range is less than start of VLAN range'");
    expect(configError(() => parseVlanRanges(['physnet1:1:2:3']))).toContain("'physnet1:1:2:3' - 'Need exactly two values for VLAN range'");
    expect(configError(() => parseVlanRanges(['physnet1:a:2']))).toContain("'a is not a valid VLAN tag'");
    expect(configError(() => parseVlanRanges([':1:2']))).toContain('Empty physical network name.');
  });
});

describe('vni_ranges', () => {
  it('parses min:max entries', () => {
    const ranges = parseTunnelRanges(['1:1000', ' 5000 : 5009 '], 'vxlan', 'vni_ranges');
    expect(ranges).toEqual([[1, 1000], [5000, 5009]]);
    expect(inRanges(5005, ranges)).toBe(true);
    expect(inRanges(1001, ranges)).toBe(false);
  });

  it('refuses ids outside the 24-bit VNI space, reversed ranges and garbage', () => {
    expect(configError(() => parseTunnelRanges(['0:10'], 'vxlan', 'vni_ranges'))).toBe(
      "Invalid configuration:\n  ml2.vni_ranges: Invalid network tunnel range: '0:10' - 0 is not a valid vxlan identifier.",
    );
    expect(configError(() => parseTunnelRanges(['1:16777216'], 'geneve', 'geneve_vni_ranges'))).toContain(
      'ml2.geneve_vni_ranges: Invalid network tunnel range: \'1:16777216\' - 16777216 is not a valid geneve identifier.',
    );
    expect(configError(() => parseTunnelRanges(['10:1'], 'vxlan', 'vni_ranges'))).toContain('End of tunnel range is less than start of tunnel range');
    expect(configError(() => parseTunnelRanges(['x:1'], 'vxlan', 'vni_ranges'))).toContain("Invalid network tunnel range: 'x:1'");
  });
});
