/**
 * The pure part of Neutron's securitygroups_db._validate_security_group_rule and _rule_to_key: canonical forms,
 * the checks in Neutron's order, and the key two rules are compared by.
 */
import { cidrOf, formatNetwork, malformedValue, IP_PROTOCOL_MAP, parseIpNetwork } from '../api/validators/index.js';
import {
  ethertypeConflictWithProtocol,
  invalidIcmpValue,
  invalidPortRange,
  invalidPortValue,
  invalidProtocolForPort,
  missingIcmpType,
  multipleRemoteEntities,
  protocolRequiredWithPorts,
  ruleParameterConflict,
} from './security-group.errors.js';

export interface RuleSpec {
  security_group_id: string;
  direction: string;
  ethertype: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  remote_address_group_id?: string | null;
}

const PORT_PROTOCOL_NUMBERS = [33, 132, 6, 17, 136]; // dccp, sctp, tcp, udp, udplite
const PORT_PROTOCOL_NAMES = 'DCCP, SCTP, TCP, UDP, UDPLITE';
const ICMP_NUMBERS = [1, 58];
const IPV6_ICMP_LEGACY = ['icmp', 'icmpv6'];
const IPV6_ONLY_PROTOCOLS = [
  'ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'icmpv6', 'ipv6-nonxt', 'ipv6-opts', 'ipv6-route',
  '41', '44', '58', '59', '60', '43',
];
/** neutron_lib's IP_PROTOCOL_NUM_TO_NAME_MAP: the last name wins for a shared number (0 → ip), icmpv6 left out. */
const NUMBER_TO_NAME = new Map(
  Object.entries(IP_PROTOCOL_MAP)
    .filter(([name]) => name !== 'icmpv6')
    .map(([name, num]) => [String(num), name]),
);

/** Validates a rule as Neutron does and returns it in the form it is stored in. Throws Neutron's errors. */
export function canonicalRule(input: RuleSpec): RuleSpec {
  const rule = { ...input };
  if (rule.ethertype === 'IPv6') {
    // Legacy spellings of IPv6 ICMP are stored as ipv6-icmp / 58.
    if (rule.protocol !== null && IPV6_ICMP_LEGACY.includes(rule.protocol)) rule.protocol = 'ipv6-icmp';
    else if (rule.protocol === '1') rule.protocol = '58';
  }
  if (rule.port_range_min === 1 && rule.port_range_max === 65535) {
    rule.port_range_min = null;
    rule.port_range_max = null;
  }
  validatePortRange(rule);
  if (rule.remote_ip_prefix) {
    const version = parseIpNetwork(rule.remote_ip_prefix).version;
    if (rule.ethertype !== `IPv${version}`) throw ruleParameterConflict(rule.ethertype, rule.remote_ip_prefix);
  }
  if (rule.ethertype === 'IPv4' && rule.protocol !== null && IPV6_ONLY_PROTOCOLS.includes(rule.protocol)) {
    throw ethertypeConflictWithProtocol(rule.ethertype, rule.protocol);
  }
  const remotes = [rule.remote_ip_prefix, rule.remote_group_id, rule.remote_address_group_id].filter((r) => !!r);
  if (remotes.length > 1) throw multipleRemoteEntities();
  return rule;
}

function validatePortRange(rule: RuleSpec): void {
  const { port_range_min: min, port_range_max: max } = rule;
  if (min === null && max === null) return;
  if (!rule.protocol) throw protocolRequiredWithPorts();
  const proto = protocolNumber(rule.protocol);
  if (PORT_PROTOCOL_NUMBERS.includes(proto)) {
    if (min === 0 || max === 0) throw invalidPortValue(0);
    if (min === null || max === null || min > max) throw invalidPortRange();
  } else if (ICMP_NUMBERS.includes(proto)) {
    if (min !== null && !(min >= 0 && min <= 255)) throw invalidIcmpValue('type', 'port_range_min', min);
    if (max !== null && !(max >= 0 && max <= 255)) throw invalidIcmpValue('code', 'port_range_max', max);
    if (min === null && max !== null) throw missingIcmpType(max);
  } else {
    throw invalidProtocolForPort(proto, PORT_PROTOCOL_NAMES);
  }
}

/** _get_ip_proto_number: a name's number, or the text as Python's int() reads it (else Neutron crashes: 500). */
function protocolNumber(protocol: string): number {
  const name = protocol === 'icmpv6' ? 'ipv6-icmp' : protocol;
  if (Object.hasOwn(IP_PROTOCOL_MAP, name)) return IP_PROTOCOL_MAP[name];
  if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(protocol)) throw malformedValue();
  return Number(protocol.replace(/_/g, ''));
}

/** _get_ip_proto_name_and_num: tcp and 6 are the same protocol for the duplicate check. */
function protocolNameAndNumber(protocol: string, ethertype: string): [string, string] {
  let p = protocol;
  if (ethertype === 'IPv6') {
    if (IPV6_ICMP_LEGACY.includes(p)) p = 'ipv6-icmp';
    else if (p === '1') p = '58';
  }
  if (Object.hasOwn(IP_PROTOCOL_MAP, p)) return [p, String(IP_PROTOCOL_MAP[p])];
  const name = NUMBER_TO_NAME.get(p);
  return name !== undefined ? [name, p] : [p, p];
}

/** _rule_to_key: equal keys = the same rule (any-address prefixes and null are equal). */
export function ruleKey(rule: RuleSpec): string {
  const none = '+';
  const prefix = rule.remote_ip_prefix;
  const parts = [
    rule.direction,
    rule.ethertype,
    rule.port_range_max === null ? none : String(rule.port_range_max),
    rule.port_range_min === null ? none : String(rule.port_range_min),
    rule.protocol === null ? none : pyListRepr(protocolNameAndNumber(rule.protocol, rule.ethertype)),
    rule.remote_group_id ?? none,
    rule.remote_address_group_id ?? none,
    prefix === null || prefix === '0.0.0.0/0' || prefix === '::/0' ? none : prefix,
    rule.security_group_id,
  ];
  return parts.join('_');
}

/** security-groups-normalized-cidr: the network form of remote_ip_prefix (10.0.0.1/24 → 10.0.0.0/24). */
export function normalizedCidr(remoteIpPrefix: string | null): string | null {
  return remoteIpPrefix ? formatNetwork(cidrOf(parseIpNetwork(remoteIpPrefix))) : null;
}

const pyListRepr = (items: string[]) => `[${items.map((i) => `'${i}'`).join(', ')}]`;
