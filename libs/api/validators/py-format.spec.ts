import { describe, expect, it } from 'vitest';
import { pyEquals, pyFloatRepr, pyJsonDumps, pyLen, pyRepr, pySetRepr, pySplitlines, pyStr, pyStrip, pyTruthy } from './py-format.js';
import { pyFloat, pyInt, pyIntFromStr } from './py-number.js';

describe('pyStr / pyRepr (Python %s / %r of JSON values)', () => {
  it('prints scalars as Python does', () => {
    expect(pyStr(null)).toBe('None');
    expect(pyStr(undefined)).toBe('None');
    expect(pyStr(true)).toBe('True');
    expect(pyStr(false)).toBe('False');
    expect(pyStr(42)).toBe('42');
    expect(pyStr(-0)).toBe('0');
    expect(pyStr(1.5)).toBe('1.5');
    expect(pyStr(1e21)).toBe('1000000000000000000000');
    expect(pyStr(2 ** 64)).toBe('18446744073709551616');
    expect(pyStr('raw text')).toBe('raw text');
    expect(pyRepr('raw text')).toBe("'raw text'");
  });

  it('prints floats with Python repr rules', () => {
    expect(pyFloatRepr(0.1)).toBe('0.1');
    expect(pyFloatRepr(1e-5)).toBe('1e-05');
    expect(pyFloatRepr(0.0001)).toBe('0.0001');
    expect(pyFloatRepr(1.5e-7)).toBe('1.5e-07');
    expect(pyFloatRepr(1e16)).toBe('1e+16');
    expect(pyFloatRepr(123456.789)).toBe('123456.789');
    expect(pyFloatRepr(-1)).toBe('-1.0');
    expect(pyFloatRepr(Infinity)).toBe('inf');
    expect(pyFloatRepr(NaN)).toBe('nan');
  });

  it('prints containers with repr of their items', () => {
    expect(pyStr(['a', 'b'])).toBe("['a', 'b']");
    expect(pyStr({ a: 1, b: [null, true] })).toBe("{'a': 1, 'b': [None, True]}");
    expect(pyStr([])).toBe('[]');
    expect(pyStr({})).toBe('{}');
  });

  it('quotes and escapes strings like Python', () => {
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyRepr('both \' and "')).toBe("'both \\' and \"'");
    expect(pyRepr('a\nb\t\\')).toBe("'a\\nb\\t\\\\'");
    expect(pyRepr('\u0000\u007f\u0085\u00a0')).toBe("'\\x00\\x7f\\x85\\xa0'");
    expect(pyRepr('\u2028')).toBe("'\\u2028'");
    expect(pyRepr('é😀')).toBe("'é😀'");
  });

  it('prints sets, set() when empty', () => {
    expect(pySetRepr(['start', 'end'])).toBe("{'start', 'end'}");
    expect(pySetRepr([])).toBe('set()');
  });

  it('dumps JSON like json.dumps (ASCII only, spaced separators)', () => {
    expect(pyJsonDumps(['nova', 'é', '😀'])).toBe('["nova", "\\u00e9", "\\ud83d\\ude00"]');
    expect(pyJsonDumps({ a: [1, null] })).toBe('{"a": [1, null]}');
  });
});

describe('Python semantics helpers', () => {
  it('compares like ==', () => {
    expect(pyEquals(true, 1)).toBe(true);
    expect(pyEquals(1, '1')).toBe(false);
    expect(pyEquals({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(pyEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(pyEquals(null, undefined)).toBe(true);
  });

  it('has Python truthiness, len, strip and splitlines', () => {
    expect([null, 0, '', [], {}, false].map(pyTruthy)).toEqual([false, false, false, false, false, false]);
    expect(pyTruthy(NaN)).toBe(true);
    expect(pyLen('😀😀')).toBe(2);
    expect(pyStrip('\u3000 x \u2028')).toBe('x');
    expect(pySplitlines('a\r\nb\nc\u2028d\n')).toEqual(['a', 'b', 'c', 'd']);
    expect(pySplitlines('\n')).toEqual(['']);
  });

  it('parses numbers like int() and float()', () => {
    expect(pyInt('  42 ')).toBe(42n);
    expect(pyInt('+7')).toBe(7n);
    expect(pyInt('1_000')).toBe(1000n);
    expect(pyInt('\u0663')).toBe(3n);
    expect(pyInt(true)).toBe(1n);
    expect(pyInt(-5.9)).toBe(-5n);
    expect(pyIntFromStr('5.5')).toBeUndefined();
    expect(pyIntFromStr('1__0')).toBeUndefined();
    expect(pyIntFromStr('0x10')).toBeUndefined();
    expect(() => pyInt(null)).toThrow();
    expect(() => pyInt(Infinity)).toThrow(/infinity/);
    expect(pyFloat('4.44')).toBe(4.44);
    expect(pyFloat(' -inf ')).toBe(-Infinity);
    expect(pyFloat('.5')).toBe(0.5);
    expect(() => pyFloat('garbage')).toThrow();
  });
});
