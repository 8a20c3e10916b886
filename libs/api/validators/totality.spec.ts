/** Every validator and converter is total over JSON values: a result, or a NeutronError — never anything else. */
import { describe, expect, it } from 'vitest';
import { NeutronError } from '../errors/neutron-error.js';
import * as V from './index.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ATOMS: unknown[] = [
  null, true, false, 0, -1, 1.5, 2 ** 53 + 2, 1e308, -1e-320, Infinity, -Infinity, Number('12345678901234567890'),
  '', ' ', '\u0000', 'a\u0000b', '😀', '\ud800', '10.0.0.1', '192.168.300.1', '::1', 'fe80::/64', '10.0.0.0/8',
  'fa:16:3e:00:00:01', '00000000-ffff-ffff-ffff-000000000000', 'default', 'tcp', '6', 'IPv4', '1'.repeat(5000),
  '٣', '1_0', '0x1f', '/', '//', '1.2.3.4/1/2', 'x'.repeat(300),
];

function randomValue(r: () => number, depth = 0): unknown {
  const k = r();
  if (depth > 3 || k < 0.55) return ATOMS[Math.floor(r() * ATOMS.length)];
  if (k < 0.8) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  const keys = ['start', 'end', 'ip_address', 'subnet_id', 'destination', 'nexthop', 'mac_address', 'port_id',
    'segmentation_id', 'segmentation_type', 'opt_name', 'opt_value', 'provider:segmentation_id', 'x'];
  return Object.fromEntries(
    Array.from({ length: Math.floor(r() * 4) }, () => [keys[Math.floor(r() * keys.length)], randomValue(r, depth + 1)]),
  );
}

const PARAMS: Record<string, unknown> = {
  'type:values': ['a', 1],
  'type:range': [0, 10],
  'type:range_or_none': [0, 10],
  'type:regex': '[a-z]+$',
  'type:regex_or_none': '[a-z]+$',
  'type:list_of_regex_or_none': '^$|x',
  'type:list_of_any_key_specs_or_none': [{ opt_name: { 'type:string': 5, required: true }, x: { convert_to: V.convertToInt } }],
  'type:dict': { start: { 'type:ip_address': null, required: true }, x: { convert_to: V.convertToBoolean, 'type:boolean': null } },
  'type:string': 255,
};

const CONVERTERS = Object.entries(V).filter(
  ([name, f]) => name.startsWith('convert') && typeof f === 'function' && (f as () => unknown).length <= 1 &&
    !['convertPrefixForcedCase', 'convertToMacIfNone', 'convertAzListToString'].includes(name),
) as Array<[string, V.Converter]>;

function check(what: string, fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof NeutronError)) throw new Error(`${what} threw ${String(e)}`);
  }
}

describe('totality', () => {
  it('every registered validator and every converter answers or throws a NeutronError', () => {
    const r = rng(7);
    const values = [...ATOMS, ...Array.from({ length: 400 }, () => randomValue(r))];
    for (const [name, factory] of Object.entries(V.validatorsByName)) {
      const validate = factory(PARAMS[name]);
      for (const value of values) {
        check(`${name}(${JSON.stringify(value)})`, () => {
          const out = validate(structuredClone(value));
          if (out !== undefined && typeof out !== 'string') throw new Error(`${name} returned ${String(out)}`);
        });
      }
    }
    for (const [name, convert] of CONVERTERS) {
      for (const value of values) check(`${name}(${JSON.stringify(value)})`, () => convert(structuredClone(value)));
    }
    expect(CONVERTERS.length).toBeGreaterThan(20);
  });

  it('handles deep nesting without a stack overflow', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(V.validateString()(deep)).toMatch(/is not a valid string$/);
    expect(V.validateListOfUniqueStrings()([deep, deep])).toMatch(/^Duplicate items in the list/);
  });
});
