/** Cases ported from neutron-lib's tests/unit/api/test_conversions.py, plus the security group converters. */
import { describe, expect, it } from 'vitest';
import { NeutronError } from '../errors/neutron-error.js';
import {
  convertCidrToCanonicalFormat,
  convertEthertypeToCaseInsensitive,
  convertIpPrefixToCidr,
  convertIpToCanonicalFormat,
  convertKvpListToDict,
  convertKvpStrToList,
  convertNoneToEmptyDict,
  convertNoneToEmptyList,
  convertPrefixForcedCase,
  convertStringToCaseInsensitive,
  convertToBoolean,
  convertToBooleanIfNotNone,
  convertToInt,
  convertToIntIfNotNone,
  convertToList,
  convertToMacIfNone,
  convertToPositiveFloatOrNone,
  convertToProtocol,
  convertToProtocolNeutronLib,
  convertToSanitizedMacAddress,
  convertToString,
  convertValidatePortValue,
  validateMacAddress,
} from './index.js';

function errorOf(fn: () => unknown): { type: string; message: string; status: number } {
  try {
    fn();
  } catch (e) {
    if (e instanceof NeutronError) return { type: e.type, message: e.message, status: e.status };
    throw e;
  }
  throw new Error('did not throw');
}

describe('booleans and ints', () => {
  it('convert_to_boolean', () => {
    expect(convertToBoolean(true)).toBe(true);
    expect(convertToBoolean(false)).toBe(false);
    expect(convertToBoolean(0)).toBe(false);
    expect(convertToBoolean(1)).toBe(true);
    for (const t of ['True', 'true', '1', 'on', 'Y']) expect(convertToBoolean(t)).toBe(true);
    for (const f of ['False', 'false', '0', 'OFF', 'n']) expect(convertToBoolean(f)).toBe(false);
    expect(errorOf(() => convertToBoolean(7))).toEqual({
      type: 'InvalidInput',
      message: "Invalid input for operation: '7' cannot be converted to boolean.",
      status: 400,
    });
    expect(errorOf(() => convertToBoolean('x')).message).toBe("Invalid input for operation: 'x' cannot be converted to boolean.");
    expect(convertToBooleanIfNotNone(null)).toBeNull();
    expect(convertToBooleanIfNotNone(1)).toBe(true);
  });

  it('convert_to_int', () => {
    expect(convertToInt(-1)).toBe(-1);
    expect(convertToInt(0)).toBe(0);
    expect(convertToInt('4')).toBe(4);
    expect(convertToInt(true)).toBe(1);
    expect(convertToInt(' 6 ')).toBe(6);
    expect(errorOf(() => convertToInt('garbage')).message).toBe("Invalid input for operation: 'garbage' is not an integer.");
    expect(errorOf(() => convertToInt('5.5')).message).toBe("Invalid input for operation: '5.5' is not an integer.");
    expect(errorOf(() => convertToInt(null)).message).toBe("Invalid input for operation: 'None' is not an integer.");
    expect(errorOf(() => convertToInt([1])).message).toBe("Invalid input for operation: '[1]' is not an integer.");
    expect(errorOf(() => convertToInt(Infinity)).status).toBe(400); // OverflowError crashes Neutron
    expect(convertToIntIfNotNone(null)).toBeNull();
    expect(convertToIntIfNotNone(1)).toBe(1);
  });

  it('convert_to_positive_float_or_none', () => {
    expect(convertToPositiveFloatOrNone(1.111)).toBe(1.111);
    expect(convertToPositiveFloatOrNone('4.44')).toBe(4.44);
    expect(convertToPositiveFloatOrNone(null)).toBeNull();
    expect(errorOf(() => convertToPositiveFloatOrNone(-1.11)).message).toBe(
      "Invalid input for operation: '-1.11' must be a non negative decimal.",
    );
    expect(errorOf(() => convertToPositiveFloatOrNone(-1)).message).toBe(
      "Invalid input for operation: '-1.0' must be a non negative decimal.",
    );
    expect(errorOf(() => convertToPositiveFloatOrNone('garbage')).type).toBe('InvalidInput');
  });
});

describe('lists, dicts, strings', () => {
  it('kvp', () => {
    expect(convertKvpListToDict(['True'])).toEqual({});
    expect(convertKvpListToDict(['a=b', 'a=c', 'a=c', 'b=a'])).toEqual({ a: ['b', 'c'], b: ['a'] });
    expect(convertKvpStrToList('a=')).toEqual(['a', '']);
    expect(convertKvpStrToList('a=a=a')).toEqual(['a', 'a=a']);
    expect(errorOf(() => convertKvpStrToList('=a')).message).toBe("Invalid input for operation: '=a' is not of the form <key>=[value].");
    expect(errorOf(() => convertKvpStrToList('a')).type).toBe('InvalidInput');
  });

  it('none to empty, to list, to string', () => {
    expect(convertNoneToEmptyList(null)).toEqual([]);
    expect(convertNoneToEmptyDict(null)).toEqual({});
    for (const value of ['1', 3, [], [1], {}, { a: 3 }]) expect(convertNoneToEmptyList(value)).toBe(value);
    for (const item of [null, [], {}]) expect(convertToList(item)).toEqual([]);
    for (const item of ['', 'foo', true, 1, 1.2]) expect(convertToList(item)).toEqual([item]);
    expect(convertToList([1, 2, 3])).toEqual([1, 2, 3]);
    expect(convertToString(10000)).toBe('10000');
    expect(convertToString(null)).toBeNull();
    expect(convertToString([1, 2, 3])).toBe('[1, 2, 3]');
    expect(convertToString({ foo: 'bar' })).toBe("{'foo': 'bar'}");
  });

  it('case helpers', () => {
    expect(convertStringToCaseInsensitive('THIS Is tEsT')).toBe('this is test');
    expect(errorOf(() => convertStringToCaseInsensitive(123)).message).toBe(
      'Invalid input for operation: Input value 123 must be string type.',
    );
    expect(convertPrefixForcedCase('bar')('foobar')).toBe('foobar');
    expect(convertPrefixForcedCase('Foo')('foobar')).toBe('Foobar');
    expect(convertPrefixForcedCase('fOoX')('Fooxbar')).toBe('fOoXbar');
    expect(convertPrefixForcedCase('foo')('fo')).toBe('fo');
  });
});

describe('addresses', () => {
  it('convert_ip_to_canonical_format', () => {
    expect(convertIpToCanonicalFormat('2001:0db8:0:0:0:0:0:0001')).toBe('2001:db8::1');
    expect(convertIpToCanonicalFormat('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(convertIpToCanonicalFormat('Fe80:0:0:0:0:0:0:1')).toBe('fe80::1');
    expect(convertIpToCanonicalFormat('192.168.1.1')).toBe('192.168.1.1');
    expect(convertIpToCanonicalFormat('10.0.0.010')).toBe('10.0.0.010');
    expect(convertIpToCanonicalFormat(null)).toBeNull();
    expect(convertIpToCanonicalFormat('on')).toBe('on');
    expect(convertIpToCanonicalFormat('192.168.1.1/32')).toBe('192.168.1.1/32');
    expect(convertIpToCanonicalFormat('2001:db8:0:1:1:1:1:1/128')).toBe('2001:db8:0:1:1:1:1:1/128');
  });

  it('convert_cidr_to_canonical_format', () => {
    expect(convertCidrToCanonicalFormat('192.168.1.1/24')).toBe('192.168.1.1/24');
    expect(convertCidrToCanonicalFormat('Fe80:0:0:0:0:0:0:1/64')).toBe('fe80::1/64');
    expect(convertCidrToCanonicalFormat('10/8')).toBe('10.0.0.0/8');
    expect(convertCidrToCanonicalFormat('2001:db8::/128')).toBe('2001:db8::/128');
    expect(errorOf(() => convertCidrToCanonicalFormat('Dormamu/DarkSeid/Vulture')).message).toBe(
      'Invalid input for operation: Dormamu/DarkSeid/Vulture is not in a CIDR format.',
    );
    expect(errorOf(() => convertCidrToCanonicalFormat(null)).status).toBe(400); // TypeError in netaddr
  });

  it('convert_to_sanitized_mac_address', () => {
    expect(convertToSanitizedMacAddress('00:11:22:33:44:55')).toBe('00:11:22:33:44:55');
    expect(convertToSanitizedMacAddress('00:11:22:33:44:5')).toBe('00:11:22:33:44:05');
    expect(convertToSanitizedMacAddress('0:1:2:3:4:5')).toBe('00:01:02:03:04:05');
    expect(convertToSanitizedMacAddress('ca:FE:cA:Fe:a:E')).toBe('ca:fe:ca:fe:0a:0e');
    expect(convertToSanitizedMacAddress('12345678901')).toBe('01:23:45:67:89:01');
    expect(convertToSanitizedMacAddress('012345678901')).toBe('01:23:45:67:89:01');
    expect(convertToSanitizedMacAddress('FA-16-3E-00-00-01')).toBe('fa:16:3e:00:00:01');
    expect(convertToSanitizedMacAddress('00:11:22:33:44')).toBe('00:11:22:33:44');
    expect(convertToSanitizedMacAddress('00:11:22:33:44:')).toBe('00:11:22:33:44:');
    expect(convertToSanitizedMacAddress('123')).toBe('00:00:00:00:00:7b'); // netaddr reads decimal text
    expect(errorOf(() => convertToSanitizedMacAddress(null)).status).toBe(400);
  });

  it('convert_to_mac_if_none', () => {
    expect(convertToMacIfNone()('fa:16:3e:b6:78:1f')).toBe('fa:16:3e:b6:78:1f');
    const mac = convertToMacIfNone('fa:16:3e:00:00:00')(null) as string;
    expect(mac).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    expect(validateMacAddress()(mac)).toBeUndefined();
    expect(convertToMacIfNone('fa:16:3e:4f:00:00')(null)).toMatch(/^fa:16:3e:4f(:[0-9a-f]{2}){2}$/);
  });
});

describe('protocols (neutron-lib convert_to_protocol)', () => {
  it('accepts iptables names and numbers', () => {
    expect(convertToProtocolNeutronLib('tcp')).toBe('tcp');
    expect(convertToProtocolNeutronLib('6')).toBe('6');
    expect(convertToProtocolNeutronLib('udp')).toBe('udp');
    expect(convertToProtocolNeutronLib('17')).toBe('17');
    expect(convertToProtocolNeutronLib('icmp')).toBe('icmp');
    expect(convertToProtocolNeutronLib('2')).toBe('2');
    for (const bad of ['300', '-1', 'Invalid']) {
      expect(errorOf(() => convertToProtocolNeutronLib(bad)).message).toBe(
        `Invalid input for operation: IP protocol '${bad}' is not supported. Only protocol names and their integer representation (0 to 255) are supported.`,
      );
    }
  });
});

describe('security group converters', () => {
  it('convert_protocol', () => {
    expect(convertToProtocol(null)).toBeNull();
    expect(convertToProtocol('TCP')).toBe('tcp');
    expect(convertToProtocol('icmpv6')).toBe('icmpv6');
    expect(convertToProtocol(6)).toBe('6');
    expect(convertToProtocol('17')).toBe('17');
    expect(convertToProtocol(true)).toBe('True'); // str(True), as Neutron stores it
    const err = errorOf(() => convertToProtocol('foo'));
    expect(err.type).toBe('SecurityGroupRuleInvalidProtocol');
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      "Security group rule protocol foo not supported. Only protocol values [None, 'ah', 'dccp', 'egp', 'esp', 'gre', " +
        "'hopopt', 'icmp', 'igmp', 'ip', 'ipip', 'ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'icmpv6', 'ipv6-nonxt', " +
        "'ipv6-opts', 'ipv6-route', 'ospf', 'pgm', 'rsvp', 'sctp', 'tcp', 'udp', 'udplite', 'vrrp'] and integer " +
        'representations [0 to 255] are supported.',
    );
    expect(errorOf(() => convertToProtocol(256)).type).toBe('SecurityGroupRuleInvalidProtocol');
    expect(errorOf(() => convertToProtocol([6])).status).toBe(400);
  });

  it('convert_ethertype_to_case_insensitive', () => {
    expect(convertEthertypeToCaseInsensitive('ipv4')).toBe('IPv4');
    expect(convertEthertypeToCaseInsensitive('IPV6')).toBe('IPv6');
    expect(errorOf(() => convertEthertypeToCaseInsensitive('ipv5'))).toEqual({
      type: 'SecurityGroupRuleInvalidEtherType',
      message: "Security group rule for ethertype 'ipv5' not supported. Allowed values are ['IPv4', 'IPv6'].",
      status: 400,
    });
  });

  it('convert_validate_port_value', () => {
    expect(convertValidatePortValue(null)).toBeNull();
    expect(convertValidatePortValue('22')).toBe(22);
    expect(convertValidatePortValue(65535)).toBe(65535);
    expect(errorOf(() => convertValidatePortValue(65536))).toEqual({
      type: 'SecurityGroupInvalidPortValue',
      message: 'Invalid value for port 65536',
      status: 400,
    });
  });

  it('convert_ip_prefix_to_cidr', () => {
    expect(convertIpPrefixToCidr('10.0.0.1')).toBe('10.0.0.1/32');
    expect(convertIpPrefixToCidr('192.168.0.0/16')).toBe('192.168.0.0/16');
    expect(convertIpPrefixToCidr('::/0')).toBe('::/0');
    expect(convertIpPrefixToCidr('2001:DB8::1')).toBe('2001:db8::1/128');
    expect(convertIpPrefixToCidr('')).toBeNull();
    expect(errorOf(() => convertIpPrefixToCidr('x'))).toEqual({
      type: 'InvalidCIDR',
      message: 'Invalid CIDR x given as IP prefix.',
      status: 400,
    });
  });
});
