/** Cases ported from neutron-lib's tests/unit/api/validators/test_validators.py, plus our NUL rule. */
import { describe, expect, it } from 'vitest';
import {
  NUL_REASON,
  validateBoolean,
  validateInteger,
  validateNonNegative,
  validateNotEmptyString,
  validateNotEmptyStringOrNone,
  validateOnelineNotEmptyString,
  validatePortRangeOrNone,
  validateRange,
  validateRangeOrNone,
  validateRegex,
  validateRegexOrNone,
  validateString,
  validateStringOrNone,
  validateSubnetpoolId,
  validateUuid,
  validateUuidOrNone,
  validateValues,
} from './index.js';

describe('strings', () => {
  it('validate_string', () => {
    expect(validateString()(null)).toBe("'None' is not a valid string");
    expect(validateString(0)('')).toBeUndefined();
    expect(validateString(9)('')).toBeUndefined();
    expect(validateString(10)('123456789')).toBeUndefined();
    expect(validateString(9)('123456789')).toBeUndefined();
    expect(validateString(9)('1234567890')).toBe("'1234567890' exceeds maximum length of 9");
    expect(validateString()('123456789')).toBeUndefined();
    expect(validateString(255)(['a'])).toBe("'['a']' is not a valid string");
    expect(validateString(255)({ a: 1 })).toBe("'{'a': 1}' is not a valid string");
    expect(validateString(255)(12)).toBe("'12' is not a valid string");
  });

  it('counts code points like Python (emoji are one character each)', () => {
    expect(validateString(255)('😀'.repeat(255))).toBeUndefined();
    expect(validateString(255)('😀'.repeat(256))).toBe(`'${'😀'.repeat(256)}' exceeds maximum length of 255`);
    expect(validateString(3)('e\u0301e')).toBeUndefined(); // 3 code points (combining accent counts)
  });

  it('refuses NUL (our PostgreSQL rule), after Neutron’s own checks', () => {
    expect(validateString(255)('a\u0000b')).toBe(NUL_REASON);
    expect(validateString(255)('\u0000')).toBe('Strings must not contain the NUL character');
    expect(validateString(2)('ab\u0000')).toBe("'ab\u0000' exceeds maximum length of 2");
    expect(validateStringOrNone(255)('\u0000')).toBe(NUL_REASON);
    expect(validateNotEmptyString(255)('\u0000')).toBe(NUL_REASON);
  });

  it('validate_string_or_none / not_empty_string(_or_none) / oneline', () => {
    expect(validateStringOrNone()('test')).toBeUndefined();
    expect(validateStringOrNone()(null)).toBeUndefined();
    expect(validateNotEmptyString()('    ')).toBe("'    ' Blank strings are not permitted");
    expect(validateNotEmptyString()(123)).toBe("'123' is not a valid string");
    expect(validateNotEmptyStringOrNone()('    ')).toBe("'    ' Blank strings are not permitted");
    expect(validateNotEmptyStringOrNone()(null)).toBeUndefined();
    expect(validateOnelineNotEmptyString()('Test')).toBeUndefined();
    expect(validateOnelineNotEmptyString(4)('Test but this is too long')).toBe(
      "'Test but this is too long' exceeds maximum length of 4",
    );
    expect(validateOnelineNotEmptyString()('First line\nsecond line')).toBe(
      "Multi-line string is not allowed: 'First line\nsecond line'",
    );
    expect(validateOnelineNotEmptyString()('')).toBe("'' Blank strings are not permitted");
  });

  it('validate_values', () => {
    expect(validateValues()(4)).toBeUndefined();
    expect(validateValues([4, 6])(4)).toBeUndefined();
    expect(validateValues(['2', '1', '4', '5'])('1')).toBeUndefined();
    expect(validateValues([4, 6], '[4, 6]')(7)).toBe('7 is not in [4, 6]');
    expect(validateValues(['2', '3', '4', '5'], "'valid_values_to_show'")('1')).toBe("1 is not in 'valid_values_to_show'");
    expect(validateValues(['ingress', 'egress'])('sideways')).toBe('sideways is not in valid_values');
    expect(validateValues([1])(true)).toBeUndefined(); // True == 1 in Python
  });

  it('validate_regex(_or_none)', () => {
    expect(validateRegex('[hc]at')(null)).toBe("'None' is not a valid input");
    expect(validateRegex('[hc]at')('bat')).toBe("'bat' is not a valid input");
    expect(validateRegex('[hc]at')('hat')).toBeUndefined();
    expect(validateRegex('[hc]at')('cat')).toBeUndefined();
    expect(validateRegex('[hc]at')('chat')).toBe("'chat' is not a valid input"); // re.match anchors at the start
    expect(validateRegex('[hc]at$')('hat\n')).toBeUndefined(); // Python's $ before a final newline
    expect(validateRegexOrNone('[hc]at')(null)).toBeUndefined();
  });

  it('validate_uuid', () => {
    for (const bad of [null, 123, '123', 't5069610-744b-42a7-8bd8-ceac1a229cd4', 'e5069610-744bb-42a7-8bd8-ceac1a229cd4']) {
      expect(validateUuid()(bad)).toBe(`'${bad === null ? 'None' : String(bad)}' is not a valid UUID`);
    }
    expect(validateUuid()('00000000-ffff-ffff-ffff-000000000000')).toBeUndefined();
    expect(validateUuid()('{12345678-1234-5678-1234-567812345678}')).toBeUndefined();
    expect(validateUuidOrNone()(null)).toBeUndefined();
    expect(validateSubnetpoolId()('prefix_delegation')).toBeUndefined();
  });
});

describe('numbers', () => {
  it('validate_boolean', () => {
    expect(validateBoolean()(true)).toBeUndefined();
    expect(validateBoolean()(0)).toBeUndefined();
    expect(validateBoolean()('false')).toBeUndefined();
    expect(validateBoolean()(' Yes ')).toBeUndefined();
    expect(validateBoolean()('fasle')).toBe("'fasle' is not a valid boolean value");
    expect(validateBoolean()(null)).toBe("'None' is not a valid boolean value");
  });

  it('validate_integer', () => {
    expect(validateInteger()(1)).toBeUndefined();
    expect(validateInteger()(0.1)).toBe("'0.1' is not an integer");
    expect(validateInteger()('1')).toBeUndefined();
    expect(validateInteger()('0.1')).toBe("'0.1' is not an integer");
    expect(validateInteger()(true)).toBe("'True' is not an integer:boolean");
    expect(validateInteger()(false)).toBe("'False' is not an integer:boolean");
    expect(validateInteger()(Infinity)).toBe("'inf' is not an integer");
    expect(validateInteger()(null)).toBe("'None' is not an integer");
    expect(validateInteger([2, 3, 4, 5])(2)).toBeUndefined();
    expect(validateInteger([2, 3, 4, 5])(1)).toBe('1 is not in valid_values');
  });

  it('validate_range(_or_none)', () => {
    expect(validateRange(1, 9)(1)).toBeUndefined();
    expect(validateRange(1, 9)(5)).toBeUndefined();
    expect(validateRange(1, 9)(9)).toBeUndefined();
    expect(validateRange(1, 9)(0)).toBe("'0' is too small - must be at least '1'");
    expect(validateRange(1, 9)(10)).toBe("'10' is too large - must be no larger than '9'");
    expect(validateRange(1, 9)('bogus')).toBe("'bogus' is not an integer");
    expect(validateRange(null, null)(10)).toBeUndefined();
    expect(validateRange(1, null)(10)).toBeUndefined();
    expect(validateRange(null, 9)(1)).toBeUndefined();
    expect(validateRange(0, null)(-1)).toBe("'-1' is too small - must be at least '0'");
    expect(validateRange(null, 9)(10)).toBe("'10' is too large - must be no larger than '9'");
    expect(validateRange(-1, 2 ** 31 - 1)(2 ** 31)).toBe("'2147483648' is too large - must be no larger than '2147483647'");
    expect(validateRange(1, 9)(12.9)).toBe("'12' is too large - must be no larger than '9'"); // int() truncates
    expect(validateRangeOrNone(1, 9)(null)).toBeUndefined();
  });

  it('validate_non_negative', () => {
    expect(validateNonNegative()('abc')).toBe("'abc' is not an integer");
    expect(validateNonNegative()(-1)).toBe("'-1' should be non-negative");
    expect(validateNonNegative()('-2')).toBe("'-2' should be non-negative");
    for (const ok of [0, 1, '2', true, false]) expect(validateNonNegative()(ok)).toBeUndefined();
  });

  it('validate_port_range_or_none', () => {
    expect(validatePortRangeOrNone([1, 65535])('4:5')).toBeUndefined();
    expect(validatePortRangeOrNone([1, 65535])('4:500000')).toBe('Invalid port: 500000');
    expect(validatePortRangeOrNone([1, 65535])('0:10')).toBe('Invalid port: 0, the port must be in the range [1, 65535]');
    expect(validatePortRangeOrNone()('80')).toBeUndefined();
    expect(validatePortRangeOrNone()(80)).toBeUndefined();
    expect(validatePortRangeOrNone()('9:1111')).toBeUndefined();
    expect(validatePortRangeOrNone()('99999')).toBe('Invalid port: 99999');
    expect(validatePortRangeOrNone()('-1')).toBe('Invalid port: -1');
    expect(validatePortRangeOrNone()('1111:9')).toBe('First port in a port range must be lower than the second port');
    expect(validatePortRangeOrNone()('DEAD:BEEF')).toBe('Invalid port: DEAD');
    expect(validatePortRangeOrNone()(['a', 'b', 'c'])).toBe("Invalid port: ['a', 'b', 'c']");
    expect(validatePortRangeOrNone()(':')).toBe('Port range must be two integers separated by a colon');
    expect(validatePortRangeOrNone()('80:888:8888')).toBe('Port range must be two integers separated by a colon');
  });
});
