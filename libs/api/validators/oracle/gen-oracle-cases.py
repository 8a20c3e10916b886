#!/usr/bin/env python3
"""Regenerates oracle-cases.json.gz: what the real neutron-lib 3.1.0 / neutron 21 (Debian's python3-neutron-lib and
python3-neutron) answer for a wide set of JSON inputs. oracle.spec.ts replays every case against our port.

Run with the system Python that has those packages (apt: python3-neutron-lib python3-neutron):
    PYTHONHASHSEED=0 /usr/bin/python3 gen-oracle-cases.py | gzip -9n > oracle-cases.json.gz
Inputs are JSON values JS reads back identically (no integral floats such as 1.0, ints below 2**53).
"""
import copy
import json
import math
import random

from neutron.conf.extensions import allowedaddresspairs as aap_conf
from neutron.extensions import securitygroup as sg
from neutron_lib.api import converters as c
from neutron_lib.api import validators as v
from neutron_lib.api.definitions import extra_dhcp_opt
from neutron_lib.api.validators import allowedaddresspairs as aap
from neutron_lib.api.validators import availability_zone as az
from neutron_lib.api.validators import multiprovidernet as mpnet
from neutron_lib import constants
from neutron_lib import exceptions as n_exc
import webob.exc

aap_conf.register_allowed_address_pair_opts()

NOT_SPECIFIED = '<ATTR_NOT_SPECIFIED>'

SPECS = {
    'EXTRA_DHCP_OPT_KEY_SPECS': extra_dhcp_opt.EXTRA_DHCP_OPT_KEY_SPECS,
    'TEST_CONSTRAINTS': {'key1': {'type:values': ['val1', 'val2'], 'required': True},
                         'key2': {'type:string': None, 'required': False},
                         'key3': {'type:dict': {'k4': {'type:string': None, 'required': True}},
                                  'required': True}},
    'UNKNOWN_VALIDATOR': {'key1': {'type:unsupported': None, 'required': True}},
    'RANGE_SPEC': {'n': {'type:range': [1, 9]}, 's': {'type:string': 3, 'required': True}},
}


def resolve(p):
    if isinstance(p, dict) and '$spec' in p:
        return SPECS[p['$spec']]
    return p


def enc(x):
    if isinstance(x, float) and not math.isfinite(x):
        return {'$float': repr(x)}
    if isinstance(x, list):
        return [enc(i) for i in x]
    if isinstance(x, tuple):
        return [enc(i) for i in x]
    if isinstance(x, dict):
        return {k: enc(i) for k, i in x.items()}
    if x is constants.ATTR_NOT_SPECIFIED:
        return NOT_SPECIFIED
    return x


def dec(x):
    if isinstance(x, dict) and '$float' in x:
        return float(x['$float'])
    if isinstance(x, list):
        return [dec(i) for i in x]
    if isinstance(x, dict):
        return {k: dec(i) for k, i in x.items()}
    return x


def with_param(f):
    return lambda data, param: f(data, resolve(param))


def no_param(f):
    return lambda data, param: f(data)


FUNCS = {
    # validators
    'validate_values': with_param(v.validate_values),
    'validate_string': with_param(v.validate_string),
    'validate_string_or_none': with_param(v.validate_string_or_none),
    'validate_not_empty_string': with_param(v.validate_not_empty_string),
    'validate_not_empty_string_or_none': with_param(v.validate_not_empty_string_or_none),
    'validate_oneline_not_empty_string': with_param(v.validate_oneline_not_empty_string),
    'validate_oneline_not_empty_string_or_none': with_param(v.validate_oneline_not_empty_string_or_none),
    'validate_list_of_unique_strings': with_param(v.validate_list_of_unique_strings),
    'validate_boolean': no_param(v.validate_boolean),
    'validate_integer': with_param(v.validate_integer),
    'validate_range': with_param(v.validate_range),
    'validate_range_or_none': with_param(v.validate_range_or_none),
    'validate_mac_address': no_param(v.validate_mac_address),
    'validate_mac_address_or_none': no_param(v.validate_mac_address_or_none),
    'validate_ip_address': no_param(v.validate_ip_address),
    'validate_ip_address_or_none': no_param(v.validate_ip_address_or_none),
    'validate_ip_pools': no_param(v.validate_ip_pools),
    'validate_fixed_ips': no_param(v.validate_fixed_ips),
    'validate_nameservers': no_param(v.validate_nameservers),
    'validate_hostroutes': no_param(v.validate_hostroutes),
    'validate_ip_or_subnet_or_none': no_param(v.validate_ip_or_subnet_or_none),
    'validate_subnet': no_param(v.validate_subnet),
    'validate_subnet_or_none': no_param(v.validate_subnet_or_none),
    'validate_route_cidr': no_param(v.validate_route_cidr),
    'validate_subnet_list': no_param(v.validate_subnet_list),
    'validate_subnet_list_or_none': no_param(v.validate_subnet_list_or_none),
    'validate_regex': with_param(v.validate_regex),
    'validate_regex_or_none': with_param(v.validate_regex_or_none),
    'validate_list_of_regex_or_none': with_param(v.validate_list_of_regex_or_none),
    'validate_subnetpool_id': no_param(v.validate_subnetpool_id),
    'validate_subnetpool_id_or_none': no_param(v.validate_subnetpool_id_or_none),
    'validate_uuid': no_param(v.validate_uuid),
    'validate_uuid_or_none': no_param(v.validate_uuid_or_none),
    'validate_uuid_list': no_param(v.validate_uuid_list),
    'validate_uuid_list_non_empty': no_param(v.validate_uuid_list_non_empty),
    'validate_dict': with_param(v.validate_dict),
    'validate_dict_or_none': with_param(v.validate_dict_or_none),
    'validate_dict_or_empty': with_param(v.validate_dict_or_empty),
    'validate_dict_or_nodata': with_param(v.validate_dict_or_nodata),
    'validate_non_negative': no_param(v.validate_non_negative),
    'validate_port_range_or_none': with_param(v.validate_port_range_or_none),
    'validate_subports': no_param(v.validate_subports),
    'validate_subnet_service_types': no_param(v.validate_subnet_service_types),
    'validate_any_key_specs_or_none': with_param(v.validate_any_key_specs_or_none),
    'validate_availability_zone_hint_list': no_param(az._validate_availability_zone_hints),
    'validate_allowed_address_pairs': no_param(aap._validate_allowed_address_pairs),
    'validate_network_segments': no_param(mpnet.convert_and_validate_segments),
    'validate_name_not_default': with_param(sg._validate_name_not_default),
    # converters
    'convert_to_boolean': no_param(c.convert_to_boolean),
    'convert_to_boolean_if_not_none': no_param(c.convert_to_boolean_if_not_none),
    'convert_to_int': no_param(c.convert_to_int),
    'convert_to_int_if_not_none': no_param(c.convert_to_int_if_not_none),
    'convert_to_positive_float_or_none': no_param(c.convert_to_positive_float_or_none),
    'convert_kvp_str_to_list': no_param(c.convert_kvp_str_to_list),
    'convert_kvp_list_to_dict': no_param(c.convert_kvp_list_to_dict),
    'convert_none_to_empty_list': no_param(c.convert_none_to_empty_list),
    'convert_none_to_empty_dict': no_param(c.convert_none_to_empty_dict),
    'convert_none_to_empty_string': no_param(c.convert_none_to_empty_string),
    'convert_to_list': no_param(c.convert_to_list),
    'convert_ip_to_canonical_format': no_param(c.convert_ip_to_canonical_format),
    'convert_cidr_to_canonical_format': no_param(c.convert_cidr_to_canonical_format),
    'convert_string_to_case_insensitive': no_param(c.convert_string_to_case_insensitive),
    'convert_to_protocol': no_param(c.convert_to_protocol),
    'convert_to_string': no_param(c.convert_to_string),
    'convert_prefix_forced_case': with_param(c.convert_prefix_forced_case),
    'convert_uppercase_ip': no_param(c.convert_uppercase_ip),
    'convert_to_sanitized_mac_address': no_param(c.convert_to_sanitized_mac_address),
    'sg_convert_protocol': no_param(sg.convert_protocol),
    'sg_convert_ethertype_to_case_insensitive': no_param(sg.convert_ethertype_to_case_insensitive),
    'sg_convert_validate_port_value': no_param(sg.convert_validate_port_value),
    'sg_convert_ip_prefix_to_cidr': no_param(sg.convert_ip_prefix_to_cidr),
}

# Inputs every function gets: JSON values of every shape, and strings that trip the parsers.
GENERIC = [
    None, True, False, 0, 1, -1, 7, 255, 256, 65535, 65536, 1.5, -0.25, 1e-05, 123456.789,
    float('inf'), float('-inf'), 2 ** 53 - 1, -(2 ** 40),
    '', ' ', 'abc', 'ABC', 'x' * 40, '\U0001F600' * 3, 'a\x00b', 'tab\there', 'line\nbreak', '\u00a0',
    '1', '0', '-2', ' 42 ', '+7', '1_000', '1.0', '0x10', '\u0663', '1e3', 'nan', 'inf', 'true', 'False', 'Yes', ' off ',
    [], [1, 2], ['a', 'a'], ['a', 'b'], [None], [[1], [1]], {}, {'a': 1}, {'a': [1, {'b': None}]},
    "it's", 'say "hi"', 'both \' and "', 'back\\slash', '\x7f\x85\u2028',
]

IPS = [
    '10.0.0.1', '192.168.1.1', '192.168.255.255', '255.255.255.255', '0.0.0.0', '1.1.1.01', '1.1.1.011',
    '1.1.1.09', '010.0.0.1', '1111.1.1.1', '1' * 59, '1.2.3', '1.2.3.4.5', '256.1.1.1', '-1.2.3.4', '+1.2.3.4',
    '1_0.0.0.1', '\u0661.2.3.4', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.4\r', '1.2.3.4/32', '0x1.2.3.4', '1..2.3',
    '::', '::1', '::ffff:1.2.3.4', '::1.2.3.4', '::ffff:01.2.3.4', 'fe80:0:0:0:0:0:0:0001', 'FE80::1',
    '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8:0:1:1:1:1:1', '2001:db8::1:0:0:1', '1:2:3:4:5:6:7::',
    '1:2:3:4:5:6:7:8::', ':1::', '1:::2', '12345::', 'g::1', '::ffff:0:0', '0:0:0:0:0:ffff:102:304',
    '1:0:0:2:0:0:0:3', '1:0:0:0:2:0:0:3', 'fe80::1%eth0', '1.2.3.4::', '::1.2.3', '::1.2.3.4.5', 'a:b:c:d:e:f:1.2.3.4',
    'a:b:c:d:e:f:g:1.2.3.4', 'www.example.com', '2001:db8::/64',
]

CIDRS = [
    '10.0.0.0/8', '10.0.0.0/32', '10.0.0.0', '10/24', '10.1/16', '192.168.1.0/24', '192.168.1.7/24',
    '192.168.1.7/32', '0.0.0.0/0', '10.0.0.0/31', '10.0.0.1/33', '10.0.0.0/-1', '10.0.0.0/+24', '10.0.0.0/024',
    '10.0.0.0/255.255.255.0', '10.0.0.0/0.0.0.255', '10.0.0.0/255.0.255.0', '10.0.0.0/', '10.0.0.0/24/24',
    '010.0.0.0/8', '10.0.0.0/24 ', ' 10/8', '127.0.0.0/8', '127.0.0.1/32', '127.0.0.0/7', '::/0', '::/128',
    '::1/128', 'fe80::/10', 'fe80::1/64', 'Fe80:0:0:0:0:0:0:1/64', '2001:db8::/129', '::1/2048', 'fe80::',
    '2001:db8::/ffff:ffff::', '2001:db8::/a/b', '1.2.3.4/a/b', 'invalid', 'Dormamu/DarkSeid/Vulture', '10.0.0.0/8\n',
    '\u0661\u0660/8', '10.0.0.0/\u0668', '172.0.0.1/45', '300.0.0.1', '2001::0:1:0:0:1100/120', '::ffff:1.2.3.0/120',
]

MACS = [
    'fa:16:3e:4f:00:00', 'ff:16:3e:4f:00:00', 'FA:16:3E:4F:0:0', 'ffa:16:3e:4f:00:00', '00:00:00:00:00:00',
    'ff:ff:ff:ff:ff:ff', 'FF-FF-FF-FF-FF-FF', '123', '0:1:2:3:4:5', 'ca:FE:cA:Fe:a:E', '12345678901', '012345678901',
    '00:11:22:33:44', '00:11:22:33:44:', 'fa16.3e4f.0000', 'fa16:3e4f:0000', 'fa163e-4f0000', 'fa163e:4f0000',
    'fa-16-3e-4f-00-01', '00:11:22:33:44:55:66:77', '0011.2233.4455.6677', '0011223344556677', '281474976710655',
    '281474976710656', 'aa:bb:cc:dd:ee:ff\n', 'aa:bb:cc:dd:ee:ff\r', '0x10', ' 12 ', 'zz:zz:zz:zz:zz:zz',
    'fa:16:3e:4f:00:00:00', 2 ** 48 - 1, 2 ** 48, 5,
]

UUIDS = [
    '00000000-ffff-ffff-ffff-000000000000', 'E5069610-744B-42A7-8BD8-CEAC1A229CD4',
    't5069610-744b-42a7-8bd8-ceac1a229cd4', 'e5069610-744bb-42a7-8bd8-ceac1a229cd4', '12345678123456781234567812345678',
    '{12345678-1234-5678-1234-567812345678}', 'urn:uuid:12345678-1234-5678-1234-567812345678',
    '1234567812345678123456781234567-8', ' 12345678123456781234567812345678', '0x345678123456781234567812345678',
    'prefix_delegation',
]

U1 = '00000000-ffff-ffff-ffff-000000000000'
U2 = '11111111-ffff-ffff-ffff-000000000000'

cases = []


def add(fn, inputs, params=(None,)):
    for param in params:
        for data in inputs:
            cases.append((fn, param, data))


for name in FUNCS:
    if name in ('validate_any_key_specs_or_none', 'convert_prefix_forced_case', 'validate_regex',
                'validate_regex_or_none', 'validate_list_of_regex_or_none'):
        continue
    params = [None]
    if name in ('validate_range', 'validate_range_or_none'):
        params = [[0, 255], [None, 9], [1, None]]
    elif name in ('validate_string', 'validate_string_or_none', 'validate_not_empty_string',
                  'validate_list_of_unique_strings', 'validate_name_not_default',
                  'validate_oneline_not_empty_string'):
        params = [None, 5]
    elif name in ('validate_values', 'validate_integer'):
        params = [None, [4, 6, 'a', True]]
    elif name in ('validate_dict', 'validate_dict_or_none', 'validate_dict_or_empty', 'validate_dict_or_nodata'):
        params = [None, {'$spec': 'TEST_CONSTRAINTS'}]
    elif name == 'validate_port_range_or_none':
        params = [None, [1, 65535]]
    add(name, GENERIC, params)

for fn in ('validate_ip_address', 'validate_ip_address_or_none', 'validate_ip_or_subnet_or_none', 'validate_subnet',
           'validate_route_cidr', 'convert_ip_to_canonical_format', 'convert_cidr_to_canonical_format',
           'sg_convert_ip_prefix_to_cidr'):
    add(fn, IPS + CIDRS)
add('convert_ip_to_canonical_format', [2 ** 32 - 1, 2 ** 32, 2 ** 40])
for fn in ('validate_mac_address', 'convert_to_sanitized_mac_address'):
    add(fn, MACS)
for fn in ('validate_uuid', 'validate_subnetpool_id', 'validate_subnetpool_id_or_none'):
    add(fn, UUIDS)

add('validate_string', ['\U0001F600' * 255, '\U0001F600' * 256, 'e\u0301' * 128, 'a\x00', '\x00'], [255])
add('validate_not_empty_string', ['\u3000', '\u2028', '\x1c', 'a\x00'], [None])
add('validate_oneline_not_empty_string', ['a\n', 'a\nb', 'a\r\nb', 'a\x0bb', 'a\u2028b', 'a\x85', '\n', 'a\n\n'], [None])
add('validate_list_of_unique_strings', [['a', 'b'], ['12345678', '123456789'], ['a', 1], ['a\x00'],
                                        ['x', 'y', 'x', 'y', 'z', 'x'], [[1], [1]], [{'a': 'b'}, {'a': 'b'}],
                                        [1, True]], [None, 8])
add('validate_values', ['IPv4', 'ipv4', 1, True, None], [['IPv4', 'IPv6'], [1, 2], [True], [None]])
add('validate_range', [2 ** 31 - 1, 2 ** 31, -1, '2147483648', 5.9, -5.9, True], [[-1, 2 ** 31 - 1]])
add('validate_integer', ['9007199254740993', '1' * 400, '1e400', '  7  ', '7.', '.5'], [None])
add('validate_port_range_or_none', ['4:5', '4:500000', '0:10', '80', 80, '9:1111', '99999', '-1', '80:99999',
                                    '-1:8888', '1111:9', 'DEAD:BEEF', ['a', 'b', 'c'], ':', '80:888:8888', '80:',
                                    ' 80: 90', '+80', '٨٠'], [None, [1, 65535]])
add('validate_ip_pools', [
    [{'end': '10.0.0.254'}], [{'start': '10.0.0.254'}], [{'start': '1000.0.0.254', 'end': '1.1.1.1'}],
    [{'start': '10.0.0.2', 'end': '10.0.0.254', 'forza': 'juve'}],
    [{'start': '10.0.0.2', 'end': '10.0.0.254'}, {'end': '10.0.0.254'}], [None], None,
    [{'end': '10.0.0.254', 'start': '10.0.0.2'}, {'start': '11.0.0.2', 'end': '11.1.1.1'}],
    [{'start': '10.0.0.2\r', 'end': '10.0.0.254'}], [{}], [{'start': '2001:db8::1', 'end': '2001:db8::ff'}],
    [['start', 'end']], 'pools',
])
add('validate_fixed_ips', [
    [{'subnet_id': U1, 'ip_address': '1111.1.1.1'}], [{'subnet_id': 'invalid', 'ip_address': '1.1.1.1'}],
    None, '1.1.1.1', [U1, '1.1.1.1'], [[U1, '1.1.1.1']],
    [{'subnet_id': U1, 'ip_address': '1.1.1.1'}, {'subnet_id': U2, 'ip_address': '1.1.1.1'}],
    [{'subnet_id': U1, 'ip_address': '1.1.1.1'}, {'subnet_id': U2, 'ip_address': '1.1.1.2'}],
    [{'subnet_id': U1}, {'subnet_id': U1}], [{'ip_address': '192.168.0.010'}], [{'ip_address': None}],
    [{'ip_address': 'fe80::1'}, {'ip_address': 'FE80::1'}], [{}], [{'foo': 'bar'}],
])
add('validate_nameservers', [
    ['1.1.1.2', '1.1.1.2'], ['www.hostname.com'], ['1000.0.0.1'], ['1' * 59], None, ['100.0.0.2'],
    ['1.1.1.1', '1.1.1.2'], '1.1.1.1', '1', {'8.8.8.8': 1}, [], ['2001:4860:4860::8888'], [1], [None],
])
add('validate_hostroutes', [
    [{'destination': '100.0.0.0/24'}], [{'nexthop': '10.0.2.20'}],
    [{'nexthop': '10.0.2.20', 'forza': 'juve', 'destination': '100.0.0.0/8'}],
    [{'nexthop': '1110.0.2.20', 'destination': '100.0.0.0/8'}], [{'nexthop': '10.0.2.20', 'destination': '100.0.0.0'}],
    [{'nexthop': '10.0.2.20', 'destination': '100.0.0.0/8'}, {'nexthop': '10.0.2.20', 'destination': '100.0.0.0/8'}],
    [None], None, [{'destination': '100.0.0.0/24', 'nexthop': '10.0.2.20'}],
    [{'nexthop': '10.0.2.20', 'destination': '100.0.0.0/8'}, {'nexthop': '10.0.2.20', 'destination': '101.0.0.0/8'}],
    [{'destination': '127.0.0.0/8', 'nexthop': '10.0.0.1'}], [{'destination': '192.168.1.1/8', 'nexthop': '10.0.0.1'}],
    [{'destination': '::/0', 'nexthop': 'fe80::1'}], [{'destination': '::1/128', 'nexthop': '::1'}],
    [{'destination': 'fe80::1/64', 'nexthop': '::1'}],
])
add('validate_subnet_list', [['10.1.0.0/24', '10.2.0.0/24', '10.1.0.0/24'], ['10.1.0.0/24', '10.2.0.0'],
                             ['fe80::/64'], 'abc'])
add('validate_uuid_list', [[U1, U2], [U1, '123'], [U1, U1], U1])
add('validate_uuid_list_non_empty', [[], [U1]])
add('validate_regex', [None, 'bat', 'hat', 'cat', 'hat\n', 'chat', 5], ['[hc]at', '[hc]at$', '^$|[hc]at'])
add('validate_regex_or_none', [None, 'bat', 'hat'], ['[hc]at'])
add('validate_list_of_regex_or_none', [['hat', 'cat', ''], ['bat', 'hat', 'cat', ''], [], None, 'hat', ['hat', 'hat']],
    ['[hc]at|^$'])
add('validate_dict', [
    {'key1': 'val1', 'key2': 'a string value', 'key3': {'k4': 'a string value'}},
    {'key2': 'a string value', 'key3': {'k4': 'a string value'}},
    {'key1': 'UNSUPPORTED', 'key3': {'k4': 'x'}},
    {'key1': 'val1', 'key3': {'k4': 'x'}, 'unexpected_key': 'val', 'other': 1},
    {'key1': 'val1', 'key3': {'k5': 'x'}}, {'key1': 'val1', 'key3': 'x'},
], [{'$spec': 'TEST_CONSTRAINTS'}])
add('validate_dict', [{'key1': 'x'}], [{'$spec': 'UNKNOWN_VALIDATOR'}])
add('validate_dict', [{'s': 'abc'}, {'s': 'abcd'}, {'s': 'a', 'n': 10}, {'s': 'a', 'n': 'x'}, {'n': 1}],
    [{'$spec': 'RANGE_SPEC'}])
add('validate_any_key_specs_or_none', [
    None, {}, 'abc', 1, True, [],
    [{'opt_name': 'a', 'opt_value': 'A'}, {'opt_name': 'b', 'opt_valuee': 'B'}],
    [{'opt_name': 'a', 'opt_value': 'A'}, {'opt_name': 'b', 'opt_value': 'B', 'ip_version': '4'}],
    [{'opt_name': 'a', 'opt_value': 'A'}, {'opt_name': 'b', 'opt_value': 'B', 'ip_version': '3'}],
    [{'opt_name': 'router', 'opt_value': None}, {'opt_name': 'b', 'opt_value': 'B', 'ip_version': '4'}],
    [{'opt_name': 'a', 'opt_value': 'A', 'ip_version': 'x'}],
    [{'opt_name': 'a', 'opt_value': 'A'}, {'opt_name': 'a', 'opt_value': 'A'}],
    [{'opt_name': 'a\nb', 'opt_value': 'A'}], [{'opt_name': 'a', 'opt_value': None}], ['x'],
], [{'$spec': 'EXTRA_DHCP_OPT_KEY_SPECS'}])
add('validate_subports', [
    None, ['foo_port'], [{'port_id': 'foo_port'}], [{'poort_id': 'foo_port'}], [{'port_id': U1}, {'port_id': U1}],
    [{'port_id': U1, 'segmentation_id': '3'}], [{'port_id': U1, 'segmentation_id': '3', 'segmeNAtion_type': 'vlan'}],
    [{'port_id': U1, 'segmentation_id': 0, 'segmentation_type': 'vlan'},
     {'port_id': U2, 'segmentation_id': 0, 'segmentation_type': 'vlan'}],
    [{'port_id': U1, 'segmentation_id': '0', 'segmentation_type': 'vlan'}],
    [{'port_id': U1, 'segmentation_type': 'inherit'}, {'port_id': 'x'}],
    [{'port_id': U1, 'segmentation_id': '3', 'segmentation_type': 'vlan'},
     {'port_id': U2, 'segmentation_id': '3', 'segmentation_type': 'vxlan'}],
    [{'port_id': U1, 'segmentation_id': 3, 'segmentation_type': 'vlan'},
     {'port_id': U2, 'segmentation_id': True, 'segmentation_type': 'vlan'}],
    [{'port_id': U1, 'segmentation_id': 1, 'segmentation_type': 'vlan'},
     {'port_id': U2, 'segmentation_id': True, 'segmentation_type': 'vlan'}],
    [{'port_id': U1, 'segmentation_id': [3], 'segmentation_type': 'vlan'}], [], [{'port_id': U1}, {'port_id': U2}],
])
add('validate_subnet_service_types', [None, [], 'x', ['network:dhcp'], ['compute:nova'], ['cheese'], ['baremetal:x'],
                                      [5], {'a': 1}, ['neutron:x', 'foo']])
add('validate_availability_zone_hint_list', [['nova'], ['a' * 250], ['a' * 251], ['\u00e9' * 40], ['\u00e9' * 41],
                                             ['\U0001F600' * 20], ['\U0001F600' * 21], ['a', 'a'], 'nova', ['x\x00']])
add('validate_allowed_address_pairs', [
    [{'ip_address': '10.0.0.1'}], [{'ip_address': '10.0.0.0/24', 'mac_address': 'fa:16:3e:00:00:01'}],
    [{'ip_address': '10.0.0.0'}] * 11, [{'mac_address': 'fa:16:3e:00:00:01'}], [{'ip_address': '10.0.0.1'}] * 2,
    [{'ip_address': '10.0.0.1', 'foo': 1}], [{'ip_address': '10.0.0.300'}], [{'ip_address': '10.0.0.0/33'}],
    [{'ip_address': '10.0.0.1', 'mac_address': 'zz'}], ['x'], 'x', None, [{'ip_address': None}],
    [{'ip_address': ['/']}], [{'ip_address': 5}], [{'ip_address': '10.0.0.1', 'mac_address': None}],
    [{'ip_address': 'fe80::1/64'}], [{'ip_address': '10.0.0.01'}],
])
add('validate_network_segments', [
    [], [{}], [{'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1',
                'provider:segmentation_id': '100'}],
    [{'provider:network_type': 'vlan', 'provider:segmentation_id': 0}], [{'foo': 1}],
    [{'provider:segmentation_id': 'abc'}], [{'provider:segmentation_id': True}], ['x'], {}, None, 'ab',
])
add('validate_name_not_default', ['default', 'DeFaUlT', 'web', 'x' * 256, 5], [255])
add('convert_to_protocol', ['tcp', 'TCP', 'icmp', 'ipv6-icmp', 'icmpv6', '6', '17', '300', '-1', 'Invalid', ' 6', 6],
    [None])
add('sg_convert_protocol', ['tcp', 'TCP', 'Tcp', 'icmp', 'ipv6-icmp', 'icmpv6', 'vrrp', '6', '06', ' 6', '+6', '300',
                            '-1', 'Invalid', 6, 255, 256, 6.5, 'any'])
add('sg_convert_ethertype_to_case_insensitive', ['IPv4', 'ipv4', 'IPV6', 'ipv5', 4])
add('sg_convert_validate_port_value', ['22', 22, '65536', 65536, '-1', 'ssh', 22.7])
add('sg_convert_ip_prefix_to_cidr', ['10.0.0.1', '10.0.0.0/8', '::/0', 'fe80::1/64', '', 0, 'x'])
add('convert_kvp_list_to_dict', [['True'], ['a=b', 'c=d'], ['a=b', 'b=a'], ['=a'], ['a'], ['a='], ['a=a=a'],
                                 [' a = b '], 'a=b', None, 5])
add('convert_kvp_str_to_list', ['=a', 'a', 'a=', 'a=a=a', ' k = v ', None])
add('convert_prefix_forced_case', ['foobar', 'FOObar', 'fOobar', 'Fooxbar', 'fo', 5], ['Foo', 'foo', 'fOoX', 'IP'])
add('convert_uppercase_ip', ['ipv4', 'Ipv6', 'iP', 'xip'])
add('convert_to_positive_float_or_none', ['4', '4.44', '-1.11', '1_0.5', '\u0664', '-0', 'garbage'])
add('convert_to_list', [(1, 2), 'foo'])


# Seeded fuzz for the address parsers (inet_pton/inet_aton/netaddr corner cases).
rnd = random.Random(42)


def fuzz(alphabet, n, max_len):
    return [''.join(rnd.choice(alphabet) for _ in range(rnd.randint(1, max_len))) for _ in range(n)]


def fuzz_ipv6(n):
    out = []
    for _ in range(n):
        words = ['%x' % rnd.choice([0, 0, 0, 1, 0xffff, rnd.randint(0, 0xffff)]) for _ in range(8)]
        text = ':'.join(words)
        if rnd.random() < 0.3:
            text = ':'.join(words[:6]) + ':%d.%d.%d.%d' % tuple(rnd.randint(0, 255) for _ in range(4))
        if rnd.random() < 0.3:
            text = text.upper()
        if rnd.random() < 0.3:
            text += '/%d' % rnd.randint(0, 130)
        out.append(text)
    return out


IP_FUZZ = fuzz('0123456789.:/', 200, 12) + fuzz('0123456789abcdefABCDEFx:./ ', 150, 16) + fuzz_ipv6(250) + [
    '%d.%d.%d.%d/%d' % (rnd.randint(0, 300), rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(0, 255),
                        rnd.randint(0, 34)) for _ in range(100)]
for fn in ('validate_ip_address', 'validate_subnet', 'validate_route_cidr', 'convert_ip_to_canonical_format',
           'convert_cidr_to_canonical_format', 'sg_convert_ip_prefix_to_cidr'):
    add(fn, IP_FUZZ)
MAC_FUZZ = fuzz('0123456789abcdefABCDEF:-.', 250, 20) + [
    rnd.choice([':', '-']).join('%x' % rnd.randint(0, 255) for _ in range(6)) for _ in range(30)]
for fn in ('validate_mac_address', 'convert_to_sanitized_mac_address'):
    add(fn, MAC_FUZZ)
NUM_FUZZ = fuzz('0123456789+-_. e', 200, 6)
for fn in ('validate_integer', 'validate_non_negative', 'convert_to_int', 'convert_to_positive_float_or_none',
           'validate_port_range_or_none', 'sg_convert_validate_port_value', 'sg_convert_protocol'):
    add(fn, NUM_FUZZ)


def run(fn, param, data):
    arg = copy.deepcopy(data)
    try:
        out = {'ok': FUNCS[fn](arg, copy.deepcopy(param))}
    except (n_exc.NeutronException, webob.exc.HTTPException) as e:
        out = {'raise': {'type': type(e).__name__, 'message': str(e)}}
    except Exception as e:  # noqa
        out = {'crash': type(e).__name__}
    if 'ok' in out and isinstance(out['ok'], set):
        out['ok'] = sorted(out['ok'])
    if fn == 'convert_kvp_list_to_dict' and 'ok' in out:
        out['ok'] = {k: sorted(v) for k, v in out['ok'].items()}
    if arg != data and fn in ('validate_network_segments', 'validate_any_key_specs_or_none', 'validate_dict'):
        out['after'] = arg
    return out


result = []
for fn, param, data in cases:
    result.append({'fn': fn, 'param': enc(param), 'input': enc(data), 'expect': enc(run(fn, param, data))})
print('[\n' + ',\n'.join(json.dumps(r, ensure_ascii=True, separators=(',', ':')) for r in result) + '\n]')
