import { describe, expect, it } from 'vitest';
import { canonicalRule, normalizedCidr, type RuleSpec, ruleKey } from './rule-validation.js';

const SG = '11111111-2222-3333-4444-555555555555';
const OTHER = '99999999-2222-3333-4444-555555555555';
const base: RuleSpec = {
  security_group_id: SG,
  direction: 'ingress',
  ethertype: 'IPv4',
  protocol: null,
  port_range_min: null,
  port_range_max: null,
  remote_ip_prefix: null,
  remote_group_id: null,
};
const rule = (attrs: Partial<RuleSpec>) => canonicalRule({ ...base, ...attrs });
const fails = (attrs: Partial<RuleSpec>, type: string, message: string) =>
  expect(() => rule(attrs)).toThrow(expect.objectContaining({ type, status: 400, message }));

describe('canonicalRule', () => {
  it('accepts a TCP port range, a single port, and protocols by name or number', () => {
    expect(rule({ protocol: 'tcp', port_range_min: 80, port_range_max: 80 })).toMatchObject({ port_range_min: 80, port_range_max: 80 });
    expect(rule({ protocol: '17', port_range_min: 1000, port_range_max: 2000 })).toMatchObject({ protocol: '17' });
    expect(rule({ protocol: 'vrrp' }).protocol).toBe('vrrp');
  });

  it('stores the whole port range 1-65535 as no range', () => {
    expect(rule({ protocol: 'udp', port_range_min: 1, port_range_max: 65535 })).toMatchObject({ port_range_min: null, port_range_max: null });
  });

  it('refuses bad TCP/UDP ranges with Neutron messages', () => {
    fails({ protocol: 'tcp', port_range_min: 90, port_range_max: 80 }, 'SecurityGroupInvalidPortRange', 'For TCP/UDP protocols, port_range_min must be <= port_range_max');
    fails({ protocol: 'tcp', port_range_max: 80 }, 'SecurityGroupInvalidPortRange', 'For TCP/UDP protocols, port_range_min must be <= port_range_max');
    fails({ protocol: 'sctp', port_range_min: 0, port_range_max: 80 }, 'SecurityGroupInvalidPortValue', 'Invalid value for port 0');
    fails({ port_range_min: 22, port_range_max: 22 }, 'SecurityGroupProtocolRequiredWithPorts', 'Must also specify protocol if port range is given.');
    fails(
      { protocol: 'gre', port_range_min: 1, port_range_max: 2 },
      'SecurityGroupInvalidProtocolForPort',
      'Ports cannot be specified for protocol 47. Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE.',
    );
  });

  it('checks ICMP type and code', () => {
    expect(rule({ protocol: 'icmp', port_range_min: 8, port_range_max: 0 })).toMatchObject({ port_range_min: 8, port_range_max: 0 });
    fails({ protocol: 'icmp', port_range_min: 300 }, 'SecurityGroupInvalidIcmpValue', 'Invalid value for ICMP type (port_range_min) 300. It must be 0 to 255.');
    fails({ protocol: '1', port_range_min: 8, port_range_max: 256 }, 'SecurityGroupInvalidIcmpValue', 'Invalid value for ICMP code (port_range_max) 256. It must be 0 to 255.');
    fails(
      { protocol: 'icmp', port_range_max: 6 },
      'SecurityGroupMissingIcmpType',
      'ICMP code (port-range-max) 6 is provided but ICMP type (port-range-min) is missing.',
    );
  });

  it('stores the legacy IPv6 ICMP spellings as ipv6-icmp / 58, and refuses IPv6 protocols on IPv4', () => {
    expect(rule({ ethertype: 'IPv6', protocol: 'icmp' }).protocol).toBe('ipv6-icmp');
    expect(rule({ ethertype: 'IPv6', protocol: 'icmpv6' }).protocol).toBe('ipv6-icmp');
    expect(rule({ ethertype: 'IPv6', protocol: '1' }).protocol).toBe('58');
    expect(rule({ ethertype: 'IPv4', protocol: 'icmp' }).protocol).toBe('icmp');
    fails({ protocol: 'icmpv6' }, 'SecurityGroupEthertypeConflictWithProtocol', 'Invalid ethertype IPv4 for protocol icmpv6.');
    fails({ protocol: '58' }, 'SecurityGroupEthertypeConflictWithProtocol', 'Invalid ethertype IPv4 for protocol 58.');
  });

  it('refuses a prefix of the other IP version, and more than one remote', () => {
    fails({ ethertype: 'IPv6', remote_ip_prefix: '10.0.0.0/24' }, 'SecurityGroupRuleParameterConflict', 'Conflicting value ethertype IPv6 for CIDR 10.0.0.0/24');
    fails({ remote_ip_prefix: '2001:db8::/64' }, 'SecurityGroupRuleParameterConflict', 'Conflicting value ethertype IPv4 for CIDR 2001:db8::/64');
    fails(
      { remote_ip_prefix: '10.0.0.0/24', remote_group_id: OTHER },
      'SecurityGroupMultipleRemoteEntites',
      'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.',
    );
  });

  it('checks the port range before the prefix (Neutron’s order)', () => {
    fails({ ethertype: 'IPv6', remote_ip_prefix: '10.0.0.0/8', protocol: 'tcp', port_range_min: 9, port_range_max: 8 }, 'SecurityGroupInvalidPortRange', 'For TCP/UDP protocols, port_range_min must be <= port_range_max');
  });
});

describe('ruleKey', () => {
  const key = (attrs: Partial<RuleSpec>) => ruleKey({ ...base, ...attrs });

  it('treats a protocol name and its number, and any-address prefixes and none, as equal', () => {
    expect(key({ protocol: 'tcp', port_range_min: 80, port_range_max: 80 })).toBe(key({ protocol: '6', port_range_min: 80, port_range_max: 80 }));
    expect(key({ remote_ip_prefix: '0.0.0.0/0' })).toBe(key({}));
    expect(key({ ethertype: 'IPv6', remote_ip_prefix: '::/0' })).toBe(key({ ethertype: 'IPv6' }));
    expect(key({ ethertype: 'IPv6', protocol: 'ipv6-icmp' })).toBe(key({ ethertype: 'IPv6', protocol: '58' }));
  });

  it('tells different rules apart', () => {
    expect(key({ direction: 'egress' })).not.toBe(key({}));
    expect(key({ remote_ip_prefix: '10.0.0.1/24' })).not.toBe(key({ remote_ip_prefix: '10.0.0.0/24' }));
    expect(key({ remote_group_id: OTHER })).not.toBe(key({}));
    expect(key({ security_group_id: OTHER })).not.toBe(key({}));
    expect(key({ protocol: 'tcp', port_range_min: 80, port_range_max: 81 })).not.toBe(key({ protocol: 'tcp', port_range_min: 80, port_range_max: 80 }));
  });
});

describe('normalizedCidr', () => {
  it('is the network of the prefix', () => {
    expect(normalizedCidr('10.0.0.1/24')).toBe('10.0.0.0/24');
    expect(normalizedCidr('192.168.77.9/32')).toBe('192.168.77.9/32');
    expect(normalizedCidr('2001:db8::5/64')).toBe('2001:db8::/64');
    expect(normalizedCidr(null)).toBeNull();
  });
});
