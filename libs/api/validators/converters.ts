/**
 * neutron-lib's converters (neutron_lib/api/converters.py) and the security group ones from
 * neutron/extensions/securitygroup.py. Each returns the converted value or throws the NeutronError Neutron answers:
 * InvalidInput (400) with neutron-lib's message, the extension's own 400 types, or — where Python itself crashes
 * (e.g. convert_cidr_to_canonical_format(None)) — the 500 Neutron renders for an unexpected exception.
 */
import { randomInt } from 'node:crypto';
import { invalidInput } from '../errors/neutron-error.js';
import type { Converter } from './types.js';
import { formatMacUnixExpanded, parseEui } from './mac.js';
import { formatIp, formatIPv6, formatNetwork, parseIpAddress, parseIpNetwork } from './ip.js';
import { badRequestOf, crashAsMalformed, malformedValue, PyError } from './py-errors.js';
import { isDict, isList, isNone, isStr, pyEquals, pyFloatRepr, pyRepr, pyStr, pyStrip, pyTruthy } from './py-format.js';
import { pyFloat, pyInt } from './py-number.js';
import { boolFromString, isValidPort, rangeReason } from './number.validators.js';

/** convert_to_boolean: bools, 0/1, and 't/true/on/y/yes/1' / 'f/false/off/n/no/0' in any case, spaces stripped. */
export const convertToBoolean: Converter = (data) => {
  const b = boolFromString(data);
  if (b === undefined) throw invalidInput(`'${pyStr(data)}' cannot be converted to boolean`);
  return b;
};

export const convertToBooleanIfNotNone: Converter = (data) => (isNone(data) ? null : convertToBoolean(data));

/** convert_to_int: Python int() — ints, bools (True → 1), floats truncated, base-10 int text ('5', ' 5', '1_000'). */
export const convertToInt: Converter = (data) => {
  try {
    return Number(pyInt(data));
  } catch (e) {
    if (e instanceof PyError && e.pyType !== 'OverflowError') throw invalidInput(`'${pyStr(data)}' is not an integer`);
    throw malformedValue();
  }
};

export const convertToIntIfNotNone: Converter = (data) => (isNone(data) ? null : convertToInt(data));

/** convert_to_positive_float_or_none */
export const convertToPositiveFloatOrNone: Converter = (val) => {
  if (isNone(val)) return null;
  let f: number;
  try {
    f = pyFloat(val);
  } catch {
    throw invalidInput(`'${pyStr(val)}' must be a non negative decimal`);
  }
  if (f < 0) throw invalidInput(`'${pyFloatRepr(f)}' must be a non negative decimal`);
  return f;
};

/** convert_kvp_str_to_list: 'key=value' → ['key', 'value'] (both stripped; the key must not be empty). */
export function convertKvpStrToList(data: unknown): [string, string] {
  if (!isStr(data)) throw malformedValue();
  const eq = data.indexOf('=');
  if (eq >= 0) {
    const key = pyStrip(data.slice(0, eq));
    if (key) return [key, pyStrip(data.slice(eq + 1))];
  }
  throw invalidInput(`'${data}' is not of the form <key>=[value]`);
}

/** convert_kvp_list_to_dict: ['a=b', 'a=c'] → {a: ['b', 'c']} (values deduplicated); ['True'] → {}. */
export const convertKvpListToDict: Converter = (kvpList) => {
  if (pyEquals(kvpList, ['True'])) return {};
  const items = isList(kvpList) ? kvpList : isStr(kvpList) ? [...kvpList] : isDict(kvpList) ? Object.keys(kvpList) : undefined;
  if (!items) throw malformedValue();
  const map = new Map<string, string[]>();
  for (const kvp of items) {
    const [key, value] = convertKvpStrToList(kvp);
    const values = map.get(key) ?? [];
    if (!values.includes(value)) values.push(value);
    map.set(key, values);
  }
  return Object.fromEntries(map);
};

export const convertNoneToEmptyList: Converter = (value) => (isNone(value) ? [] : value);
export const convertNoneToEmptyDict: Converter = (value) => (isNone(value) ? {} : value);
export const convertNoneToEmptyString: Converter = (value) => (isNone(value) ? '' : value);

/** convert_to_list: None → [], a list → a copy, a dict → its keys, anything else (str too) → [value]. */
export const convertToList: Converter = (data) => {
  if (isNone(data)) return [];
  if (isList(data)) return [...data];
  if (isDict(data)) return Object.keys(data);
  return [data];
};

/** convert_ip_to_canonical_format: IPv6 text → compressed lower-case form; anything else unchanged. */
export const convertIpToCanonicalFormat: Converter = (value) => {
  try {
    const ip = parseIpAddress(value);
    if (ip.version === 6) return formatIPv6(ip.value);
  } catch {
    // AddrFormatError / ValueError: returned as given
  }
  return value;
};

/** convert_cidr_to_canonical_format: 'Fe80:0::1/64' → 'fe80::1/64', IPv4 re-printed ('10/8' → '10.0.0.0/8'). */
export const convertCidrToCanonicalFormat: Converter = (value) => {
  const errorMessage = `${pyStr(value)} is not in a CIDR format`;
  try {
    const net = parseIpNetwork(value);
    return `${formatIp(net)}/${net.prefixlen}`;
  } catch (e) {
    if (e instanceof PyError && e.pyType === 'AddrFormatError') throw invalidInput(errorMessage);
    throw malformedValue(); // TypeError (not a str) and ValueError (a second '/') crash Neutron
  }
};

/** convert_string_to_case_insensitive: str.lower(). */
export const convertStringToCaseInsensitive: Converter = (data) => {
  if (!isStr(data)) throw invalidInput(`Input value ${pyStr(data)} must be string type`);
  return data.toLowerCase();
};

/** neutron_lib.constants.IPTABLES_PROTOCOL_MAP keys */
const IPTABLES_PROTOCOLS = ['dccp', 'icmp', 'ipv6-icmp', 'sctp', 'tcp', 'udp'];

/**
 * neutron-lib's convert_to_protocol (not what security group rules use — see convertToProtocol): a str naming an
 * iptables protocol, or an int text 0..255; returned unchanged.
 */
export const convertToProtocolNeutronLib: Converter = (data) => {
  if (isNone(data)) return null;
  const val = convertStringToCaseInsensitive(data) as string;
  if (IPTABLES_PROTOCOLS.includes(val)) return data;
  const error = invalidInput(
    `IP protocol '${pyStr(data)}' is not supported. Only protocol names and their integer representation (0 to 255) are supported`,
  );
  let n: number;
  try {
    n = convertToInt(data) as number;
  } catch {
    throw error;
  }
  if (rangeReason(n, 0, 255) === undefined) return data;
  throw error;
};

/** convert_to_string: str(data), None kept. */
export const convertToString: Converter = (data) => (isNone(data) ? null : pyStr(data));

/** convert_prefix_forced_case(data, prefix): a str starting with `prefix` in any case gets `prefix`'s case. */
export function convertPrefixForcedCase(prefix: string): Converter {
  const len = [...prefix].length;
  return (data) => {
    if (!isStr(data)) return data;
    const chars = [...data];
    if (chars.length >= len && chars.slice(0, len).join('').toLowerCase() === prefix.toLowerCase()) {
      return prefix + chars.slice(len).join('');
    }
    return data;
  };
}

/** convert_uppercase_ip: 'ipv4' → 'IPv4'. */
export const convertUppercaseIp: Converter = convertPrefixForcedCase('IP');

/**
 * convert_to_mac_if_none (port-mac-address-regenerate): None → a random MAC on cfg base_mac (default
 * fa:16:3e:00:00:00; a non-'00' 4th octet is kept).
 */
export function convertToMacIfNone(baseMac = 'fa:16:3e:00:00:00'): Converter {
  const base = baseMac.split(':');
  return (data) => {
    if (!isNone(data)) return data;
    const octets = [0, 1, 2].map((i) => parseInt(base[i], 16));
    octets.push(base[3] !== '00' ? parseInt(base[3], 16) : randomInt(256), randomInt(256), randomInt(256));
    return octets.map((o) => o.toString(16).padStart(2, '0')).join(':');
  };
}

/**
 * convert_to_sanitized_mac_address: any netaddr form → 'aa:bb:cc:dd:ee:ff'; text netaddr cannot read is returned
 * unchanged (the validator refuses it next). netaddr quirks kept: a decimal text or an int is a MAC ('123' →
 * '00:00:00:00:00:7b', true → '00:00:00:00:00:01'), and None, lists, floats or values beyond 48 bits crash (500).
 */
export const convertToSanitizedMacAddress: Converter = (mac) => {
  let eui;
  try {
    eui = parseEui(mac);
  } catch (e) {
    if (e instanceof PyError && e.pyType === 'AddrFormatError') return mac;
    throw malformedValue();
  }
  return crashAsMalformed(() => formatMacUnixExpanded(eui));
};

// --- neutron/extensions/securitygroup.py -------------------------------------------------------------------------

/** sg_supported_protocols: None and the names of neutron_lib.constants.IP_PROTOCOL_MAP, in its order. */
export const SG_SUPPORTED_PROTOCOLS: readonly (string | null)[] = [
  null, 'ah', 'dccp', 'egp', 'esp', 'gre', 'hopopt', 'icmp', 'igmp', 'ip', 'ipip', 'ipv6-encap', 'ipv6-frag',
  'ipv6-icmp', 'icmpv6', 'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', 'ospf', 'pgm', 'rsvp', 'sctp', 'tcp', 'udp',
  'udplite', 'vrrp',
];

/** neutron_lib.constants.IP_PROTOCOL_MAP: protocol name → number. */
export const IP_PROTOCOL_MAP: Readonly<Record<string, number>> = {
  ah: 51, dccp: 33, egp: 8, esp: 50, gre: 47, hopopt: 0, icmp: 1, igmp: 2, ip: 0, ipip: 4, 'ipv6-encap': 41,
  'ipv6-frag': 44, 'ipv6-icmp': 58, icmpv6: 58, 'ipv6-nonxt': 59, 'ipv6-opts': 60, 'ipv6-route': 43, ospf: 89,
  pgm: 113, rsvp: 46, sctp: 132, tcp: 6, udp: 17, udplite: 136, vrrp: 112,
};

export const SG_SUPPORTED_ETHERTYPES: readonly string[] = ['IPv4', 'IPv6'];

const invalidProtocol = (value: unknown) =>
  badRequestOf(
    'SecurityGroupRuleInvalidProtocol',
    `Security group rule protocol ${pyStr(value)} not supported. Only protocol values ${pyRepr(SG_SUPPORTED_PROTOCOLS)} and integer representations [0 to 255] are supported.`,
  );

/**
 * securitygroup's convert_protocol: an int 0..255 (or its text) → str(value) as given ('6', ' 6', and True →
 * 'True', as in Neutron); a protocol name in any case → lower case; else SecurityGroupRuleInvalidProtocol (400).
 */
export const convertToProtocol: Converter = (value) => {
  if (isNone(value)) return null;
  let n: bigint | undefined;
  try {
    n = pyInt(value);
  } catch (e) {
    if (!(e instanceof PyError) || e.pyType === 'OverflowError') throw malformedValue();
    if (!isStr(value)) throw malformedValue(); // value.lower() raises AttributeError inside the except clause
    const lower = value.toLowerCase();
    if (SG_SUPPORTED_PROTOCOLS.includes(lower)) return lower;
    throw invalidProtocol(value);
  }
  if (n >= 0n && n <= 255n) return pyStr(value);
  throw invalidProtocol(value);
};

/** securitygroup's convert_ethertype_to_case_insensitive: 'ipv4' → 'IPv4'; else SecurityGroupRuleInvalidEtherType. */
export const convertEthertypeToCaseInsensitive: Converter = (value) => {
  if (isStr(value)) {
    const match = SG_SUPPORTED_ETHERTYPES.find((e) => e.toLowerCase() === value.toLowerCase());
    if (match) return match;
  }
  throw badRequestOf(
    'SecurityGroupRuleInvalidEtherType',
    `Security group rule for ethertype '${pyStr(value)}' not supported. Allowed values are ${pyRepr(SG_SUPPORTED_ETHERTYPES)}.`,
  );
};

/** securitygroup's convert_validate_port_value: None kept; int(port) in 0..65535; else SecurityGroupInvalidPortValue. */
export const convertValidatePortValue: Converter = (port) => {
  if (isNone(port)) return null;
  if (isValidPort(port)) return Number(pyInt(port));
  throw badRequestOf('SecurityGroupInvalidPortValue', `Invalid value for port ${pyStr(port)}`);
};

/** securitygroup's convert_ip_prefix_to_cidr: falsy → None; str(IPNetwork(x)) ('10.0.0.1' → '10.0.0.1/32'); else InvalidCIDR. */
export const convertIpPrefixToCidr: Converter = (ipPrefix) => {
  if (!pyTruthy(ipPrefix)) return null;
  try {
    return formatNetwork(parseIpNetwork(ipPrefix));
  } catch {
    throw badRequestOf('InvalidCIDR', `Invalid CIDR ${pyStr(ipPrefix)} given as IP prefix.`);
  }
};
