/**
 * Python semantics for JSON-decoded values, as neutron-lib's messages and comparisons see them.
 *
 * JS cannot tell JSON `1` from `1.0`: an integral number is taken as a Python int, anything else as a float.
 * Object keys keep JS order (integer-like keys first), which differs from Python only for such keys.
 */

export type PyType = 'NoneType' | 'bool' | 'int' | 'float' | 'str' | 'list' | 'dict' | 'object';

export function pyType(v: unknown): PyType {
  if (v === null || v === undefined) return 'NoneType';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'string':
      return 'str';
    case 'object':
      return Array.isArray(v) ? 'list' : 'dict';
    default:
      return 'object';
  }
}

export const isNone = (v: unknown): v is null | undefined => v === null || v === undefined;
export const isStr = (v: unknown): v is string => typeof v === 'string';
export const isList = (v: unknown): v is unknown[] => Array.isArray(v);
export const isDict = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** Python isinstance(v, int): bools are ints. */
export const isPyInt = (v: unknown): boolean => typeof v === 'boolean' || pyType(v) === 'int';

/** A Python int of a JS integral number or bigint, exactly (no 1e+21 notation). */
export function intText(v: number | bigint): string {
  return typeof v === 'bigint' || Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
}

/** Python's repr()/str() of a float (the shortest round-trip digits, Python's exponent rules). */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  const [mant, expText] = Math.abs(n).toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac || '0'}`;
}

const MAX_DEPTH = 900;

/** Python's str(v) — what `'%s' % v` prints. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

/** Python's repr(v) — what `'%r' % v` prints, and how containers print their items. */
export function pyRepr(v: unknown): string {
  return repr(v, 0);
}

function repr(v: unknown, depth: number): string {
  switch (pyType(v)) {
    case 'NoneType':
      return 'None';
    case 'bool':
      return v ? 'True' : 'False';
    case 'int':
      return intText(v as number | bigint);
    case 'float':
      return pyFloatRepr(v as number);
    case 'str':
      return pyStrRepr(v as string);
    case 'list':
      if (depth > MAX_DEPTH) return '[...]';
      return `[${(v as unknown[]).map((x) => repr(x, depth + 1)).join(', ')}]`;
    case 'dict':
      if (depth > MAX_DEPTH) return '{...}';
      return `{${Object.entries(v as object)
        .map(([k, x]) => `${pyStrRepr(k)}: ${repr(x, depth + 1)}`)
        .join(', ')}}`;
    default:
      return typeof v === 'symbol' ? (v.description ?? 'object') : String(v);
  }
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

/** Python's repr of a str: quote choice, backslash escapes, \xNN/\uNNNN/\UNNNNNNNN for non-printables. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x7f) out += ch;
    else if ((cp >= 0xd800 && cp <= 0xdfff) || (ch !== ' ' && NON_PRINTABLE.test(ch))) {
      out += cp < 0x100 ? `\\x${hex(cp, 2)}` : cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
    } else out += ch;
  }
  return out + quote;
}

/** Python's repr of a set of strings, in the given order (Python's own order depends on the hash seed). */
export function pySetRepr(items: readonly unknown[]): string {
  return items.length === 0 ? 'set()' : `{${items.map(pyRepr).join(', ')}}`;
}

/** Python's `a == b` for JSON values: True == 1 == 1.0, lists and dicts compared deeply. */
export function pyEquals(a: unknown, b: unknown): boolean {
  const stack: Array<[unknown, unknown]> = [[a, b]];
  while (stack.length) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    const tx = pyType(x);
    const ty = pyType(y);
    const numeric = (t: PyType) => t === 'bool' || t === 'int' || t === 'float';
    if (numeric(tx) && numeric(ty)) {
      if (toNumber(x) !== toNumber(y)) return false;
      continue;
    }
    if (tx !== ty) return false;
    if (tx === 'NoneType') continue;
    if (tx === 'list') {
      const xs = x as unknown[];
      const ys = y as unknown[];
      if (xs.length !== ys.length) return false;
      for (let i = 0; i < xs.length; i++) stack.push([xs[i], ys[i]]);
      continue;
    }
    if (tx === 'dict') {
      const xo = x as Record<string, unknown>;
      const yo = y as Record<string, unknown>;
      const keys = Object.keys(xo);
      if (keys.length !== Object.keys(yo).length) return false;
      for (const k of keys) {
        if (!Object.hasOwn(yo, k)) return false;
        stack.push([xo[k], yo[k]]);
      }
      continue;
    }
    return false; // distinct strings, symbols…
  }
  return true;
}

function toNumber(v: unknown): number | bigint {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v as number | bigint;
}

/** Python's `item in list` (identity or ==). */
export const pyIn = (item: unknown, list: readonly unknown[]): boolean => list.some((x) => pyEquals(x, item));

/** Whether Python could hash the value (dict keys, set members): lists and dicts cannot. */
export const pyHashable = (v: unknown): boolean => !isList(v) && !isDict(v);

/** Python's truthiness. NaN is truthy in Python. */
export function pyTruthy(v: unknown): boolean {
  switch (pyType(v)) {
    case 'NoneType':
      return false;
    case 'bool':
      return v as boolean;
    case 'int':
    case 'float':
      return toNumber(v) != 0;
    case 'str':
      return (v as string).length > 0;
    case 'list':
      return (v as unknown[]).length > 0;
    case 'dict':
      return Object.keys(v as object).length > 0;
    default:
      return true;
  }
}

/** len() of a Python str: code points, not UTF-16 units. */
export function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Python's str.isspace() set (also what `re` `\s` matches in a str pattern). */
export const PY_SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const PY_SPACE_RUN = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

export const pyHasSpace = (s: string): boolean => PY_SPACE.test(s);

/** Python's str.strip() with no argument. */
export const pyStrip = (s: string): string => s.replace(PY_SPACE_RUN, '');

/** Python's str.splitlines() (no keepends). */
export function pySplitlines(s: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\r' && s[i + 1] === '\n') {
      lines.push(s.slice(start, i));
      i++;
      start = i + 1;
    } else if ('\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029'.includes(c)) {
      lines.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (start < s.length) lines.push(s.slice(start));
  return lines;
}

/** Python's json.dumps(v) with its defaults (ensure_ascii, ", " and ": " separators), for JSON values. */
export function pyJsonDumps(v: unknown): string {
  switch (pyType(v)) {
    case 'NoneType':
      return 'null';
    case 'bool':
      return v ? 'true' : 'false';
    case 'int':
      return intText(v as number | bigint);
    case 'float': {
      const n = v as number;
      return Number.isNaN(n) ? 'NaN' : n === Infinity ? 'Infinity' : n === -Infinity ? '-Infinity' : pyFloatRepr(n);
    }
    case 'str':
      return jsonString(v as string);
    case 'list':
      return `[${(v as unknown[]).map(pyJsonDumps).join(', ')}]`;
    case 'dict':
      return `{${Object.entries(v as object)
        .map(([k, x]) => `${jsonString(k)}: ${pyJsonDumps(x)}`)
        .join(', ')}}`;
    default:
      return jsonString(String(v));
  }
}

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const u = s.charCodeAt(i);
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\b') out += '\\b';
    else if (c === '\f') out += '\\f';
    else if (u < 0x20 || u > 0x7e) out += `\\u${hex(u, 4)}`;
    else out += c;
  }
  return out + '"';
}
