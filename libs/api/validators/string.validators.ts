/** neutron-lib's string, regex, values and UUID validators (neutron_lib/api/validators/__init__.py). */
import type { Validator } from './types.js';
import { isNone, isStr, pyHasSpace, pyIn, pyLen, pySplitlines, pyStr, pyStrip } from './py-format.js';

export type MaxLen = number | null | undefined;

/**
 * validate_string. Lengths count code points, as Python's len() does.
 *
 * Our addition (not in Neutron): a str holding U+0000 is refused, because PostgreSQL text cannot store NUL.
 * It is checked after Neutron's own checks, so every input Neutron refuses gets Neutron's reason.
 */
export function stringReason(data: unknown, maxLen?: MaxLen): string | undefined {
  if (!isStr(data)) return `'${pyStr(data)}' is not a valid string`;
  if (!isNone(maxLen) && pyLen(data) > maxLen) return `'${data}' exceeds maximum length of ${pyStr(maxLen)}`;
  if (data.includes('\u0000')) return NUL_REASON;
  return undefined;
}

export const NUL_REASON = 'Strings must not contain the NUL character';

export function validateString(maxLen?: MaxLen): Validator {
  return (data) => stringReason(data, maxLen);
}

export function validateStringOrNone(maxLen?: MaxLen): Validator {
  return (data) => (isNone(data) ? undefined : stringReason(data, maxLen));
}

export function notEmptyStringReason(data: unknown, maxLen?: MaxLen): string | undefined {
  const msg = stringReason(data, maxLen);
  if (msg) return msg;
  if (!pyStrip(data as string)) return `'${data as string}' Blank strings are not permitted`;
  return undefined;
}

export function validateNotEmptyString(maxLen?: MaxLen): Validator {
  return (data) => notEmptyStringReason(data, maxLen);
}

export function validateNotEmptyStringOrNone(maxLen?: MaxLen): Validator {
  return (data) => (isNone(data) ? undefined : notEmptyStringReason(data, maxLen));
}

export function onelineNotEmptyStringReason(data: unknown, maxLen?: MaxLen): string | undefined {
  const msg = notEmptyStringReason(data, maxLen);
  if (msg) return msg;
  if (pySplitlines(data as string).length > 1) return `Multi-line string is not allowed: '${data as string}'`;
  return undefined;
}

export function validateOnelineNotEmptyString(maxLen?: MaxLen): Validator {
  return (data) => onelineNotEmptyStringReason(data, maxLen);
}

export function validateOnelineNotEmptyStringOrNone(maxLen?: MaxLen): Validator {
  return (data) => (isNone(data) ? undefined : onelineNotEmptyStringReason(data, maxLen));
}

/** validate_no_whitespace as the validators use it: true when `data` is a str without Python whitespace. */
export const isStrWithoutSpace = (data: unknown): data is string => isStr(data) && !pyHasSpace(data);

/**
 * validate_values. `validValues` undefined/null = anything goes. The reason names `display`, which Neutron's
 * attribute engine never passes, hence its famous "x is not in valid_values".
 */
export function valuesReason(data: unknown, validValues?: readonly unknown[] | null, display?: string): string | undefined {
  if (isNone(validValues)) return undefined;
  if (pyIn(data, validValues)) return undefined;
  return `${pyStr(data)} is not in ${display || 'valid_values'}`;
}

export function validateValues(validValues?: readonly unknown[] | null, display?: string): Validator {
  return (data) => valuesReason(data, validValues, display);
}

/**
 * A neutron-lib pattern (Python `re` syntax) as a JS RegExp anchored like re.match (sticky, at index 0).
 * Translated: `$` (end, or before a final newline), `\Z`, `\A`, `(?P<name>…)`, `(?P=name)`. A RegExp is used as is.
 */
export function pyPattern(pattern: string | RegExp): RegExp {
  if (pattern instanceof RegExp) return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '') + 'y');
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      i++;
      if (!inClass && n === 'Z') out += '$';
      else if (!inClass && n === 'A') out += '^';
      else out += c + n;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += '\\' + pattern[++i];
      continue;
    }
    if (c === '$') out += '(?=\\n?$)';
    else if (pattern.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (pattern.startsWith('(?P=', i)) {
      const close = pattern.indexOf(')', i);
      out += `\\k<${pattern.slice(i + 4, close)}>`;
      i = close;
    } else out += c;
  }
  return new RegExp(out, 'y');
}

/** validate_regex: re.match (a match at the start is enough). */
export function regexReason(data: unknown, pattern: RegExp | null | undefined): string | undefined {
  if (isStr(data) && pattern) {
    pattern.lastIndex = 0;
    if (pattern.test(data)) return undefined;
  }
  return `'${pyStr(data)}' is not a valid input`;
}

export function validateRegex(pattern: string | RegExp): Validator {
  const re = isNone(pattern) ? undefined : pyPattern(pattern);
  return (data) => regexReason(data, re);
}

export function validateRegexOrNone(pattern: string | RegExp): Validator {
  const re = isNone(pattern) ? undefined : pyPattern(pattern);
  return (data) => (isNone(data) ? undefined : regexReason(data, re));
}

/**
 * oslo.utils is_uuid_like: after dropping 'urn:' and 'uuid:', stripping '{' '}' at both ends and dropping '-',
 * 32 hex digits remain.
 */
export function isUuidLike(val: unknown): boolean {
  if (!isStr(val)) return false;
  const hex = val.split('urn:').join('').split('uuid:').join('').replace(/^[{}]+|[{}]+$/g, '').split('-').join('');
  return /^[0-9a-fA-F]{32}$/.test(hex);
}

export function uuidReason(data: unknown): string | undefined {
  return isUuidLike(data) ? undefined : `'${pyStr(data)}' is not a valid UUID`;
}

export function validateUuid(): Validator {
  return uuidReason;
}

export function validateUuidOrNone(): Validator {
  return (data) => (isNone(data) ? undefined : uuidReason(data));
}

/** constants.IPV6_PD_POOL_ID */
export const IPV6_PD_POOL_ID = 'prefix_delegation';

/** validate_subnetpool_id: 'prefix_delegation', None or a UUID. */
export function validateSubnetpoolId(): Validator {
  return (data) => (data === IPV6_PD_POOL_ID || isNone(data) ? undefined : uuidReason(data));
}

export function validateSubnetpoolIdOrNone(): Validator {
  return validateSubnetpoolId();
}
