/** neutron-lib's boolean, integer, range and port-range validators. */
import type { Validator } from './types.js';
import { malformedValue, PyError } from './py-errors.js';
import { intText, isNone, pyStr, pyStrip } from './py-format.js';
import { pyFloat, pyInt, pyIntText } from './py-number.js';
import { valuesReason } from './string.validators.js';

const TRUE_STRINGS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_STRINGS = ['0', 'f', 'false', 'off', 'n', 'no'];

/** oslo.utils bool_from_string(subject, strict=True); undefined where it raises ValueError. */
export function boolFromString(subject: unknown): boolean | undefined {
  if (typeof subject === 'boolean') return subject;
  const lowered = pyStrip(pyStr(subject)).toLowerCase();
  if (TRUE_STRINGS.includes(lowered)) return true;
  if (FALSE_STRINGS.includes(lowered)) return false;
  return undefined;
}

export function booleanReason(data: unknown): string | undefined {
  return boolFromString(data) === undefined ? `'${pyStr(data)}' is not a valid boolean value` : undefined;
}

export function validateBoolean(): Validator {
  return booleanReason;
}

/** Python int(v), or undefined where it raises ValueError/TypeError; OverflowError (inf) crashes as in Neutron. */
export function intOrUndefined(v: unknown, opts: { overflow: 'crash' | 'invalid' } = { overflow: 'crash' }): bigint | undefined {
  try {
    return pyInt(v);
  } catch (e) {
    if (e instanceof PyError && e.pyType === 'OverflowError' && opts.overflow === 'crash') throw malformedValue();
    return undefined;
  }
}

/** validate_integer: an int or an integral int text, not a bool; optionally one of `validValues`. */
export function integerReason(data: unknown, validValues?: readonly unknown[] | null): string | undefined {
  if (!isNone(validValues)) {
    const msg = valuesReason(data, validValues);
    if (msg) return msg;
  }
  const notInt = `'${pyStr(data)}' is not an integer`;
  let fl: number;
  try {
    fl = pyFloat(data);
  } catch {
    return notInt;
  }
  const n = intOrUndefined(data, { overflow: 'invalid' });
  if (n === undefined) return notInt;
  if (!Number.isFinite(fl) || !Number.isInteger(fl) || BigInt(fl) !== n) return notInt;
  if (typeof data === 'boolean') return `'${pyStr(data)}' is not an integer:boolean`;
  return undefined;
}

export function validateInteger(validValues?: readonly unknown[] | null): Validator {
  return (data) => integerReason(data, validValues);
}

export type Limit = number | null | undefined;

/** validate_range: int(data) within [min, max], either bound null for unlimited. */
export function rangeReason(data: unknown, min: Limit, max: Limit): string | undefined {
  const n = intOrUndefined(data);
  if (n === undefined) return `'${pyStr(data)}' is not an integer`;
  if (!isNone(min) && n < BigInt(Math.trunc(min))) return `'${intText(n)}' is too small - must be at least '${pyIntText(min)}'`;
  if (!isNone(max) && n > BigInt(Math.trunc(max))) return `'${intText(n)}' is too large - must be no larger than '${pyIntText(max)}'`;
  return undefined;
}

export function validateRange(min: Limit, max: Limit): Validator {
  return (data) => rangeReason(data, min, max);
}

export function validateRangeOrNone(min: Limit, max: Limit): Validator {
  return (data) => (isNone(data) ? undefined : rangeReason(data, min, max));
}

/** validate_non_negative: int(data) >= 0 (so True, '2' and 1.5 pass). */
export function nonNegativeReason(data: unknown): string | undefined {
  const n = intOrUndefined(data);
  if (n === undefined) return `'${pyStr(data)}' is not an integer`;
  if (n < 0n) return `'${intText(n)}' should be non-negative`;
  return undefined;
}

export function validateNonNegative(): Validator {
  return nonNegativeReason;
}

/** oslo.utils netutils.is_valid_port: int(port) in 0..65535. */
export function isValidPort(port: unknown): boolean {
  const n = intOrUndefined(port);
  return n !== undefined && n >= 0n && n <= 65535n;
}

const PORT_RANGE_FORMAT = 'Port range must be two integers separated by a colon';

/** validate_port_range_or_none: 'N' or 'N:M' (str() of the value), within [min, max] (default [0, 65535]). */
export function portRangeReason(data: unknown, validValues?: readonly [number, number] | null): string | undefined {
  if (isNone(data)) return undefined;
  const [min, max] = validValues ?? [0, 65535];
  const ports = pyStr(data).split(':');
  if (ports.length > 2) return PORT_RANGE_FORMAT;
  const values: bigint[] = [];
  for (const p of ports) {
    if (p.length === 0) return PORT_RANGE_FORMAT;
    if (!isValidPort(p)) return `Invalid port: ${p}`;
    const n = intOrUndefined(p)!;
    if (BigInt(max) < n || n < BigInt(min)) return `Invalid port: ${p}, the port must be in the range [${min}, ${max}]`;
    values.push(n);
  }
  if (values.length > 1 && values[0] > values[1]) return 'First port in a port range must be lower than the second port';
  return undefined;
}

export function validatePortRangeOrNone(validValues?: readonly [number, number] | null): Validator {
  return (data) => portRangeReason(data, validValues);
}

