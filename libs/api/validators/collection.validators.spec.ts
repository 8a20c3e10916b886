/** Cases ported from neutron-lib's test_validators.py (lists, pools, fixed IPs, name servers, routes, dicts). */
import { describe, expect, it } from 'vitest';
import { NeutronError } from '../errors/neutron-error.js';
import {
  convertToBoolean,
  convertToInt,
  type KeySpecs,
  listOfItemsReason,
  nonEmptyListOfItemsReason,
  validateAnyKeySpecsOrNone,
  validateAvailabilityZoneHintList,
  validateDict,
  validateDictOrEmpty,
  validateDictOrNodata,
  validateDictOrNone,
  validateFixedIps,
  validateHostroutes,
  validateIpPools,
  validateListOfRegexOrNone,
  validateListOfUniqueStrings,
  validateNameservers,
  validateSubnetList,
  validateUuidList,
} from './index.js';

const U0 = '00000000-ffff-ffff-ffff-000000000000';

describe('lists', () => {
  it('_validate_list_of_items', () => {
    const any = () => undefined;
    for (const item of [null, 123, 'e5069610-744b-42a7-8bd8-ceac1a229cd4', { uuid: 'x' }]) {
      expect(listOfItemsReason(any, item)).toMatch(/ is not a list$/);
    }
    expect(listOfItemsReason(any, { uuid: 'x' })).toBe("'{'uuid': 'x'}' is not a list");
    expect(listOfItemsReason(any, ['a', 'b', 'duplicate_1', 'duplicate_2', 'duplicate_1', 'duplicate_2', 'duplicate_2', 'c'])).toBe(
      "Duplicate items in the list: 'duplicate_1, duplicate_2'",
    );
    expect(listOfItemsReason(any, [['a', 'b'], ['c', 'd'], ['a', 'b']])).toBe("Duplicate items in the list: '['a', 'b']'");
    expect(listOfItemsReason(any, [{ a: 'b' }, { c: 'd' }, { a: 'b' }])).toBe("Duplicate items in the list: '{'a': 'b'}'");
    expect(listOfItemsReason(any, [[], [1, 2, 3]])).toBeUndefined();
    expect(nonEmptyListOfItemsReason(any, null)).toBe("'None' is not a list");
    expect(nonEmptyListOfItemsReason(any, [])).toBe('List should not be empty');
  });

  it('list_of_unique_strings', () => {
    expect(validateListOfUniqueStrings()('TEST')).toBe("'TEST' is not a list");
    expect(validateListOfUniqueStrings()(['TEST01', 'TEST02', 'TEST01'])).toBe("Duplicate items in the list: 'TEST01'");
    expect(validateListOfUniqueStrings(8)(['12345678', '123456789'])).toBe("'123456789' exceeds maximum length of 8");
    expect(validateListOfUniqueStrings()(['TEST01', 'TEST02', 'TEST03'])).toBeUndefined();
    expect(validateListOfUniqueStrings(60)(['🏷️tag'])).toBeUndefined();
  });

  it('uuid_list, subnet_list, list_of_regex_or_none', () => {
    expect(validateUuidList()([U0, '00000000-ffff-ffff-ffff-000000000001', '123'])).toBe("'123' is not a valid UUID");
    expect(validateUuidList()([U0, '00000000-ffff-ffff-ffff-000000000001'])).toBeUndefined();
    expect(validateSubnetList()('abc')).toBe("'abc' is not a list");
    expect(validateSubnetList()(['10.1.0.0/24', '10.2.0.0/24', '10.1.0.0/24'])).toBe("Duplicate items in the list: '10.1.0.0/24'");
    expect(validateSubnetList()(['10.1.0.0/24', '10.2.0.0'])).toBe(
      "'10.2.0.0' isn't a recognized IP subnet cidr, '10.2.0.0/32' is recommended",
    );
    expect(validateListOfRegexOrNone('[hc]at|^$')(['hat', 'cat', ''])).toBeUndefined();
    expect(validateListOfRegexOrNone('[hc]at|^$')(['bat', 'hat', 'cat', ''])).toBe("'bat' is not a valid input");
  });
});

describe('ip_pools', () => {
  const v = validateIpPools();
  it('refuses bad pools', () => {
    for (const pool of [
      [{ end: '10.0.0.254' }],
      [{ start: '10.0.0.254' }],
      [{ start: '1000.0.0.254', end: '1.1.1.1' }],
      [{ start: '10.0.0.2', end: '10.0.0.254', forza: 'juve' }],
      [{ start: '10.0.0.2', end: '10.0.0.254' }, { end: '10.0.0.254' }],
      [null],
      null,
    ]) {
      expect(v(pool)).toBeDefined();
    }
    expect(v([{ end: '10.0.0.254' }])).toBe(
      "Validation of dictionary's keys failed. Expected keys: {'start', 'end'} Provided keys: {'end'}",
    );
    expect(v([null])).toBe("Invalid input. 'None' must be a dictionary with keys: ['start', 'end']");
    expect(v(null)).toBe("Invalid data format for IP pool: 'None'");
    expect(v([{ end: '10.0.0.254', start: '10.0.0.2\r' }])).toBe("'10.0.0.2\r' is not a valid IP address");
  });
  it('accepts good pools', () => {
    expect(v([{ end: '10.0.0.254', start: '10.0.0.2' }, { start: '11.0.0.2', end: '11.1.1.1' }])).toBeUndefined();
    expect(v([{ start: '192.168.0.10', end: '192.168.0.100' }])).toBeUndefined();
  });
});

describe('fixed_ips', () => {
  const v = validateFixedIps();
  it('matches neutron-lib messages', () => {
    expect(v([{ subnet_id: U0, ip_address: '1111.1.1.1' }])).toBe("'1111.1.1.1' is not a valid IP address");
    expect(v([{ subnet_id: 'invalid', ip_address: '1.1.1.1' }])).toBe("'invalid' is not a valid UUID");
    expect(v(null)).toBe("Invalid data format for fixed IP: 'None'");
    expect(v('1.1.1.1')).toBe("Invalid data format for fixed IP: '1.1.1.1'");
    expect(v([U0, '1.1.1.1'])).toBe(`Invalid data format for fixed IP: '${U0}'`);
    expect(v([[U0, '1.1.1.1']])).toBe(`Invalid data format for fixed IP: '['${U0}', '1.1.1.1']'`);
    expect(v([{ subnet_id: U0, ip_address: '1.1.1.1' }, { subnet_id: U0, ip_address: '1.1.1.1' }])).toBe(
      "Duplicate IP address '1.1.1.1'",
    );
    expect(v([{ subnet_id: U0, ip_address: '1.1.1.1' }, { subnet_id: U0, ip_address: '1.1.1.2' }])).toBeUndefined();
    expect(v([{ subnet_id: U0 }, { subnet_id: U0 }])).toBeUndefined();
  });
});

describe('nameservers and host routes', () => {
  it('nameservers', () => {
    const v = validateNameservers();
    for (const bad of [['1.1.1.2', '1.1.1.2'], ['www.hostname.com'], ['1000.0.0.1'], ['1'.repeat(59)], null]) {
      expect(v(bad)).toBeDefined();
    }
    expect(v(['1.1.1.2', '1.1.1.2'])).toBe("Duplicate nameserver '1.1.1.2'");
    expect(v(['www.hostname.com'])).toBe("'www.hostname.com' is not a valid nameserver. 'www.hostname.com' is not a valid IP address");
    expect(v(null)).toBe("Invalid data format for nameserver: 'None'");
    expect(v(['100.0.0.2'])).toBeUndefined();
    expect(v(['1.1.1.1', '1.1.1.2', '2001:4860:4860::8888'])).toBeUndefined();
  });

  it('hostroutes', () => {
    const v = validateHostroutes();
    expect(v([{ destination: '100.0.0.0/24' }])).toBe(
      "Validation of dictionary's keys failed. Expected keys: {'destination', 'nexthop'} Provided keys: {'destination'}",
    );
    expect(v([{ nexthop: '1110.0.2.20', destination: '100.0.0.0/8' }])).toBe("'1110.0.2.20' is not a valid IP address");
    expect(v([{ nexthop: '10.0.2.20', destination: '100.0.0.0' }])).toBe(
      "'100.0.0.0' is not a recognized CIDR, '100.0.0.0/32' is recommended",
    );
    const route = { nexthop: '10.0.2.20', destination: '100.0.0.0/8' };
    expect(v([route, { ...route }])).toBe("Duplicate hostroute '{'nexthop': '10.0.2.20', 'destination': '100.0.0.0/8'}'");
    expect(v([null])).toBe("Invalid input. 'None' must be a dictionary with keys: ['destination', 'nexthop']");
    expect(v(null)).toBe("Invalid data format for hostroute: 'None'");
    expect(v([{ destination: '100.0.0.0/24', nexthop: '10.0.2.20' }])).toBeUndefined();
    expect(v([route, { nexthop: '10.0.2.20', destination: '101.0.0.0/8' }])).toBeUndefined();
  });
});

describe('dicts', () => {
  const constraints = (): KeySpecs => ({
    key1: { 'type:values': ['val1', 'val2'], required: true },
    key2: { 'type:string': null, required: false },
    key3: { 'type:dict': { k4: { 'type:string': null, required: true } }, required: true },
  });
  const dictionary = () => ({ key1: 'val1', key2: 'a string value', key3: { k4: 'a string value' } });

  it('validate_dict', () => {
    for (const value of [null, true, '1', []]) {
      expect(validateDict()(value)).toMatch(/ is not a dictionary$/);
    }
    expect(validateDict()(true)).toBe("'True' is not a dictionary");
    expect(validateDict()({})).toBeUndefined();
    expect(validateDict()({ key: 'value' })).toBeUndefined();
    expect(validateDict(constraints())(dictionary())).toBeUndefined();
    expect(validateDict({ ...constraints(), key1: { 'type:unsupported': null, required: true } })(dictionary())).toBe(
      "Validator 'type:unsupported' does not exist",
    );
    const { key2: _, ...withoutKey2 } = dictionary();
    expect(validateDict(constraints())(withoutKey2)).toBeUndefined();
    const { key1: __, ...withoutKey1 } = dictionary();
    expect(validateDict(constraints())(withoutKey1)).toContain('Expected keys:');
    expect(validateDict(constraints())({ ...dictionary(), key1: 'UNSUPPORTED' })).toBe('UNSUPPORTED is not in valid_values');
    expect(validateDict(constraints())({ ...dictionary(), unexpected_key: 'val' })).toBe('Unexpected keys supplied: unexpected_key');
    expect(validateDict(constraints())({ ...dictionary(), key3: { k5: 'x' } })).toContain('Expected keys:');
  });

  it('applies convert_to in place', () => {
    const spec: KeySpecs = { ...constraints(), key_bool: { 'type:boolean': null, required: false, convert_to: convertToBoolean } };
    const data: Record<string, unknown> = { ...dictionary(), key_bool: 'true' };
    expect(validateDict(spec)(data)).toBeUndefined();
    expect(data.key_bool).toBe(true);
  });

  it('or_none / or_empty / or_nodata', () => {
    expect(validateDictOrNone(constraints())(null)).toBeUndefined();
    expect(validateDictOrNone(constraints())(dictionary())).toBeUndefined();
    expect(validateDictOrEmpty(constraints())({})).toBeUndefined();
    expect(validateDictOrEmpty(constraints())(null)).toBe("'None' is not a dictionary");
    expect(validateDictOrNodata(constraints())(null)).toBeUndefined();
    expect(validateDictOrNodata(constraints())({})).toBeUndefined();
    expect(validateDictOrNodata(constraints())(dictionary())).toBeUndefined();
  });

  it('list_of_any_key_specs_or_none raises InvalidInput', () => {
    const spec = (names: KeySpecs['x']): KeySpecs => ({
      opt_name: names,
      opt_value: { 'type:string_or_none': 255, required: true },
      ip_version: { convert_to: convertToInt, 'type:values': [4, 6], required: false },
    });
    const v = validateAnyKeySpecsOrNone([
      spec({ 'type:values': ['router', 'classless-static-route'], required: true }),
      spec({ 'type:oneline_not_empty_string': 64, required: true }),
    ]);
    expect(v(null)).toBeUndefined();
    expect(v([{ opt_name: 'a', opt_value: 'A' }, { opt_name: 'b', opt_value: 'B', ip_version: '4' }])).toBeUndefined();
    expect(v([{ opt_name: 'router', opt_value: null }])).toBeUndefined();
    expect(() => v([{ opt_name: 'b', opt_valuee: 'B' }])).toThrow(NeutronError);
    expect(() => v([{ opt_name: 'b', opt_value: 'B', ip_version: '3' }])).toThrow(
      "Invalid input for operation: No valid key specs matched for: {'opt_name': 'b', 'opt_value': 'B', 'ip_version': 3}.",
    );
    for (const t of [{}, 'abc', 1, true]) expect(() => v(t)).toThrow(/is not a list/);
  });
});

describe('availability_zone_hint_list', () => {
  it('limits the JSON text to 255 characters', () => {
    const v = validateAvailabilityZoneHintList();
    expect(v(['nova'])).toBeUndefined();
    expect(v(['a'.repeat(251)])).toBeUndefined(); // ["…"] is 255
    expect(() => v(['a'.repeat(252)])).toThrow('Invalid input for operation: Too many availability_zone_hints specified.');
    expect(() => v(['é'.repeat(42)])).toThrow(/Too many/); // \u00e9 is 6 characters
    expect(v('nova')).toBe("'nova' is not a list");
  });
});
