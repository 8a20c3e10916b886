/** MAC (EUI-48) parsing as netaddr 0.8 does it, for validate_mac_address and convert_to_sanitized_mac_address. */
import { pyError } from './py-errors.js';
import { isStr, pyType } from './py-format.js';
import { pyIntFromStr } from './py-number.js';

const H = '[0-9A-F]';
const join = (sep: string, group: string, n: number) => Array(n).fill(`(${group})`).join(sep);
// netaddr's formats; Python's `$` also matches before one trailing '\n', hence `\n?$`.
const formats = (list: string[]) => list.map((f) => new RegExp(`^${f}\\n?$`, 'i'));

const EUI48_FORMATS = formats([
  join(':', `${H}{1,2}`, 6),
  join('-', `${H}{1,2}`, 6),
  join(':', `${H}{1,4}`, 3),
  join('-', `${H}{1,4}`, 3),
  join('\\.', `${H}{1,4}`, 3),
  join('-', `${H}{5,6}`, 2),
  join(':', `${H}{5,6}`, 2),
  `(${H}{12})`,
  `(${H}{11})`,
]);

const EUI64_FORMATS = formats([
  join(':', `${H}{1,2}`, 8),
  join('-', `${H}{1,2}`, 8),
  join(':', `${H}{1,4}`, 4),
  join('-', `${H}{1,4}`, 4),
  join('\\.', `${H}{1,4}`, 4),
  `(${H}{16})`,
]);

const MAX48 = (1n << 48n) - 1n;
const MAX64 = (1n << 64n) - 1n;

function matchWords(addr: string, list: RegExp[]): bigint | undefined {
  for (const re of list) {
    const m = re.exec(addr);
    if (!m) continue;
    const words = m.slice(1);
    const bits = BigInt((list === EUI64_FORMATS ? 64 : 48) / words.length);
    return words.reduce((acc, w) => (acc << bits) + BigInt(`0x${w}`), 0n);
  }
  return undefined;
}

/** netaddr.valid_mac(addr): one of the EUI-48 text formats. */
export const isMacText = (addr: string): boolean => EUI48_FORMATS.some((re) => re.test(addr));

/** netaddr.EUI(addr).value for a str that isMacText accepts. */
export const macValue = (addr: string): bigint | undefined => matchWords(addr, EUI48_FORMATS);

export interface Eui {
  version: 48 | 64;
  value: bigint;
}

/**
 * netaddr.EUI(addr): EUI-48 text, else a decimal int text, else EUI-64 text or int; ints by range.
 * Throws PyError AddrFormatError (nothing matched) or TypeError (not a str nor an int in range).
 */
export function parseEui(addr: unknown): Eui {
  const t = pyType(addr);
  if (t === 'bool' || t === 'int') {
    const v = BigInt(addr as number);
    if (v >= 0n && v <= MAX48) return { version: 48, value: v };
    if (v > MAX48 && v <= MAX64) return { version: 64, value: v };
  }
  if (!isStr(addr)) throw pyError('TypeError', `${String(addr)} is not str() or unicode()!`);
  const w48 = matchWords(addr, EUI48_FORMATS);
  if (w48 !== undefined) return { version: 48, value: w48 };
  const n = pyIntFromStr(addr);
  if (n !== undefined && n >= 0n && n <= MAX48) return { version: 48, value: n };
  const w64 = matchWords(addr, EUI64_FORMATS);
  if (w64 !== undefined) return { version: 64, value: w64 };
  if (n !== undefined && n >= 0n && n <= MAX64) return { version: 64, value: n };
  throw pyError('AddrFormatError', `failed to detect EUI version: ${addr}`);
}

/**
 * str(EUI(addr, dialect=mac_unix_expanded)): 'aa:bb:cc:dd:ee:ff'. netaddr formats an EUI-64 with this 6-word dialect
 * and fails (IndexError) unless its value fits in 48 bits; we raise that as a ValueError.
 */
export function formatMacUnixExpanded(eui: Eui): string {
  if (eui.value > MAX48) throw pyError('ValueError', 'integer out of bounds');
  const out: string[] = [];
  for (let k = 5; k >= 0; k--) out.push(((eui.value >> BigInt(8 * k)) % 256n).toString(16).padStart(2, '0'));
  return out.join(':');
}
