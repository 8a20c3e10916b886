import { pyError } from './py-errors.js';
import { intText, PY_SPACE, pyType } from './py-format.js';

/** CPython 3.11's limit on the digits int(str) converts (sys.get_int_max_str_digits()). */
const INT_MAX_STR_DIGITS = 4300;

const ND = /\p{Nd}/u;

/** Python maps any Unicode decimal digit (category Nd) to its value; digit blocks are runs of ten from zero. */
function digitValue(ch: string): number | undefined {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (!ND.test(ch)) return undefined;
  let cp = ch.codePointAt(0)!;
  let start = cp;
  while (start > 0 && ND.test(String.fromCodePoint(start - 1))) start--;
  cp -= start;
  return cp % 10;
}

/** Strip Python whitespace and map Unicode digits to ASCII, as int()/float() do first; undefined if neither. */
function toAsciiNumber(s: string): string | undefined {
  let out = '';
  for (const ch of s) {
    if (ch.charCodeAt(0) < 0x80) out += ch;
    else if (PY_SPACE.test(ch)) out += ' ';
    else {
      const d = digitValue(ch);
      if (d === undefined) return undefined;
      out += String(d);
    }
  }
  return out.replace(/^[\t\n\v\f\r\x1c-\x1f ]+|[\t\n\v\f\r\x1c-\x1f ]+$/g, '');
}

const INT_RE = /^[+-]?\d(?:_?\d)*$/;

/** Python int(s) for a str, base 10; undefined where Python raises ValueError. */
export function pyIntFromStr(s: string): bigint | undefined {
  const t = toAsciiNumber(s);
  if (t === undefined || !INT_RE.test(t)) return undefined;
  const digits = t.replace(/[_+-]/g, '');
  if (digits.length > INT_MAX_STR_DIGITS) return undefined;
  const n = BigInt(digits);
  return t.startsWith('-') ? -n : n;
}

/** Python int(v) for a JSON value; throws PyError ValueError/TypeError/OverflowError as Python does. */
export function pyInt(v: unknown): bigint {
  switch (pyType(v)) {
    case 'bool':
      return v ? 1n : 0n;
    case 'int':
      return typeof v === 'bigint' ? v : BigInt(v as number);
    case 'float': {
      const n = v as number;
      if (Number.isNaN(n)) throw pyError('ValueError', 'cannot convert float NaN to integer');
      if (!Number.isFinite(n)) throw pyError('OverflowError', 'cannot convert float infinity to integer');
      return BigInt(Math.trunc(n));
    }
    case 'str': {
      const r = pyIntFromStr(v as string);
      if (r === undefined) throw pyError('ValueError', 'invalid literal for int() with base 10');
      return r;
    }
    default:
      throw pyError('TypeError', "int() argument must be a string, a bytes-like object or a real number");
  }
}

const DIGITS = String.raw`\d(?:_?\d)*`;
const FLOAT_RE = new RegExp(String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);
const FLOAT_SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

/** Python float(v) for a JSON value; throws PyError ValueError/TypeError as Python does. */
export function pyFloat(v: unknown): number {
  switch (pyType(v)) {
    case 'bool':
      return v ? 1 : 0;
    case 'int':
    case 'float':
      return Number(v);
    case 'str': {
      const t = toAsciiNumber(v as string);
      if (t !== undefined && FLOAT_SPECIAL.test(t)) {
        if (/nan/i.test(t)) return NaN;
        return t.startsWith('-') ? -Infinity : Infinity;
      }
      if (t === undefined || !FLOAT_RE.test(t)) throw pyError('ValueError', 'could not convert string to float');
      return Number(t.replace(/_/g, ''));
    }
    default:
      throw pyError('TypeError', 'float() argument must be a string or a real number');
  }
}

/** Python's '%d' % n for an int. */
export const pyIntText = (n: bigint | number): string => intText(typeof n === 'number' ? Math.trunc(n) : n);
