/**
 * IPv4/IPv6 parsing and printing as neutron-lib sees it through netaddr 0.8 and glibc (inet_pton, inet_ntop).
 * Addresses are bigints: no JS bit operators on 32-bit values (192.168.x would go negative).
 */
import { pyError } from './py-errors.js';
import { isStr } from './py-format.js';
import { pyIntFromStr } from './py-number.js';

export type IpVersion = 4 | 6;

export interface IpAddress {
  version: IpVersion;
  value: bigint;
}

export interface IpNetwork extends IpAddress {
  prefixlen: number;
}

export const widthOf = (version: IpVersion) => (version === 4 ? 32 : 128);
export const maxOf = (version: IpVersion) => (1n << BigInt(widthOf(version))) - 1n;

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const PTON4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** glibc inet_pton(AF_INET): exactly four decimal octets, no leading zeros. */
export function inetPton4(s: string): bigint | undefined {
  if (!PTON4.test(s)) return undefined;
  return s.split('.').reduce((acc, o) => acc * 256n + BigInt(o), 0n);
}

/** glibc inet_pton(AF_INET6), including the trailing dotted quad and its placement rules. */
export function inetPton6(s: string): bigint | undefined {
  const bytes: number[] = [];
  let colonAt = -1;
  let i = 0;
  const end = s.length;
  if (end === 0) return undefined;
  if (s[0] === ':') {
    i = 1;
    if (i === end || s[i] !== ':') return undefined;
  }
  let curtok = i;
  let seen = 0;
  let val = 0;
  let sawQuad = false;
  while (i < end) {
    const ch = s[i++];
    const d = hexDigit(ch);
    if (d >= 0) {
      if (seen === 4) return undefined;
      val = val * 16 + d;
      seen++;
      continue;
    }
    if (ch === ':') {
      curtok = i;
      if (seen === 0) {
        if (colonAt >= 0) return undefined;
        colonAt = bytes.length;
        continue;
      } else if (i === end) return undefined;
      if (bytes.length + 2 > 16) return undefined;
      bytes.push(Math.floor(val / 256), val % 256);
      seen = 0;
      val = 0;
      continue;
    }
    if (ch === '.' && bytes.length + 4 <= 16) {
      const quad = inetPton4(s.slice(curtok));
      if (quad !== undefined) {
        for (let k = 3; k >= 0; k--) bytes.push(Number((quad >> BigInt(8 * k)) % 256n));
        seen = 0;
        sawQuad = true;
        break;
      }
    }
    return undefined;
  }
  if (!sawQuad && seen > 0) {
    if (bytes.length + 2 > 16) return undefined;
    bytes.push(Math.floor(val / 256), val % 256);
  }
  if (colonAt >= 0) {
    if (bytes.length === 16) return undefined;
    const tail = bytes.splice(colonAt);
    while (bytes.length + tail.length < 16) bytes.push(0);
    bytes.push(...tail);
  }
  if (bytes.length !== 16) return undefined;
  return bytes.reduce((acc, b) => acc * 256n + BigInt(b), 0n);
}

function hexDigit(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

export function formatIPv4(value: bigint): string {
  const parts: string[] = [];
  for (let k = 3; k >= 0; k--) parts.push(String((value >> BigInt(8 * k)) % 256n));
  return parts.join('.');
}

/** glibc inet_ntop(AF_INET6): lower-case, longest zero run (≥ 2, first on ties) as ::, dotted quad for ::a.b.c.d and ::ffff:a.b.c.d. */
export function formatIPv6(value: bigint): string {
  const words: number[] = [];
  for (let k = 7; k >= 0; k--) words.push(Number((value >> BigInt(16 * k)) % 65536n));
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (cur.base === -1) cur = { base: i, len: 1 };
      else cur.len++;
    } else if (cur.base !== -1) {
      if (best.base === -1 || cur.len > best.len) best = cur;
      cur = { base: -1, len: 0 };
    }
  }
  if (cur.base !== -1 && (best.base === -1 || cur.len > best.len)) best = cur;
  if (best.base !== -1 && best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      out += formatIPv4(value % (1n << 32n));
      break;
    }
    out += words[i].toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ':';
  return out;
}

export const formatIp = (ip: IpAddress): string => (ip.version === 4 ? formatIPv4(ip.value) : formatIPv6(ip.value));

/** str(netaddr.IPNetwork): the address as given (host bits kept) and the prefix length. */
export const formatNetwork = (net: IpNetwork): string => `${formatIp(net)}/${net.prefixlen}`;

export function networkAddress(net: IpNetwork): bigint {
  const hostBits = BigInt(widthOf(net.version) - net.prefixlen);
  return (net.value >> hostBits) << hostBits;
}

export const lastAddress = (net: IpNetwork): bigint =>
  networkAddress(net) + (1n << BigInt(widthOf(net.version) - net.prefixlen)) - 1n;

/** netaddr's IPNetwork.cidr: the network address with the prefix length. */
export const cidrOf = (net: IpNetwork): IpNetwork => ({ ...net, value: networkAddress(net) });

/**
 * netaddr.IPAddress(addr) for what the validators pass it: a str (IPv4 via inet_aton unless `zerofill`, then IPv6)
 * or an int. Throws PyError AddrFormatError (bad address) or ValueError (a '/' in a str).
 *
 * Only the two ways neutron-lib uses are supported: `zerofill` (validate_ip_address; each dotted part goes through
 * Python int() first, so inet_aton sees plain decimals) and plain (convert_ip_to_canonical_format, which only needs
 * to know whether the text is IPv6).
 */
export function parseIpAddress(addr: unknown, opts: { zerofill?: boolean } = {}): IpAddress {
  if (typeof addr === 'boolean' || typeof addr === 'bigint' || (typeof addr === 'number' && Number.isInteger(addr))) {
    const v = BigInt(addr as number);
    if (v >= 0n && v <= maxOf(4)) return { version: 4, value: v };
    if (v > maxOf(4) && v <= maxOf(6)) return { version: 6, value: v };
    throw pyError('AddrFormatError', 'failed to detect a valid IP address');
  }
  if (isStr(addr) && addr.includes('/')) throw pyError('ValueError', 'IPAddress() does not support netmasks');
  if (isStr(addr)) {
    const v4 = opts.zerofill ? zerofillAton(addr) : inetAton(addr);
    if (v4 !== undefined) return { version: 4, value: v4 };
    const v6 = inetPton6(addr);
    if (v6 !== undefined) return { version: 6, value: v6 };
  }
  throw pyError('AddrFormatError', 'failed to detect a valid IP address');
}

/** netaddr's ZEROFILL ('%d' % int(part) for each dotted part) followed by inet_aton. */
function zerofillAton(addr: string): bigint | undefined {
  const parts: string[] = [];
  for (const p of addr.split('.')) {
    const n = pyIntFromStr(p);
    if (n === undefined) return undefined;
    parts.push(n.toString());
  }
  return inetAton(parts.join('.'));
}

const ATON_PART = /^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)/;
const C_SPACE = /^[ \t\n\v\f\r]/;

/** glibc inet_aton: 1–4 parts in C notation (0x hex, 0 octal), last part filling the remaining bytes; trailing space ends it. */
export function inetAton(s: string): bigint | undefined {
  if (s.includes('\0')) return undefined; // Python refuses embedded NULs before calling libc
  const parts: bigint[] = [];
  let rest = s;
  for (;;) {
    if (!/^[0-9]/.test(rest)) return undefined;
    const m = ATON_PART.exec(rest)!;
    let text = m[0];
    let val: bigint;
    if (/^0[xX]/.test(text)) {
      // strtoul parses "0x" without hex digits as "0" and stops at the 'x'
      val = text.length > 2 ? BigInt(text) : 0n;
      if (text.length === 2) text = '0';
    } else if (text.length > 1 && text[0] === '0') val = BigInt(`0o${text.slice(1)}`);
    else val = BigInt(text);
    if (val > 0xffffffffn) return undefined;
    rest = rest.slice(text.length);
    if (rest[0] === '.') {
      if (parts.length > 2 || val > 0xffn) return undefined;
      parts.push(val);
      rest = rest.slice(1);
      continue;
    }
    if (rest.length > 0 && !C_SPACE.test(rest)) return undefined;
    const max = [0xffffffffn, 0xffffffn, 0xffffn, 0xffn][parts.length];
    if (val > max) return undefined;
    let result = val;
    parts.forEach((p, i) => (result += p << BigInt(8 * (3 - i))));
    return result;
  }
}

/**
 * netaddr.IPNetwork(addr) (no implicit prefix): IPv4 first (inet_pton, else netaddr's partial-address expansion
 * such as '10/8' → 10.0.0.0/8), then IPv6; prefix as an int or as a netmask/hostmask.
 * Throws PyError: AddrFormatError when neither version parses, ValueError for a second '/', TypeError for a non-str.
 */
export function parseIpNetwork(addr: unknown): IpNetwork {
  if (!isStr(addr)) throw pyError('TypeError', 'unexpected type for addr arg');
  try {
    return parseNetworkAs(4, addr);
  } catch (e) {
    if (!isAddrFormatError(e)) throw e;
  }
  try {
    return parseNetworkAs(6, addr);
  } catch (e) {
    if (!isAddrFormatError(e)) throw e;
  }
  throw pyError('AddrFormatError', `invalid IPNetwork ${addr}`);
}

const isAddrFormatError = (e: unknown) => e instanceof Error && (e as { pyType?: string }).pyType === 'AddrFormatError';

function parseNetworkAs(version: IpVersion, addr: string): IpNetwork {
  const slash = addr.indexOf('/');
  const val1 = slash < 0 ? addr : addr.slice(0, slash);
  const val2 = slash < 0 ? undefined : addr.slice(slash + 1);
  const width = widthOf(version);
  let value = version === 4 ? inetPton4(val1) : inetPton6(val1);
  if (value === undefined && version === 4) value = inetPton4(expandPartialIPv4(val1));
  if (value === undefined) throw pyError('AddrFormatError', `invalid IPNetwork address ${addr}`);
  let prefixlen: bigint;
  if (val2 === undefined) prefixlen = BigInt(width);
  else {
    const n = pyIntFromStr(val2);
    prefixlen = n !== undefined ? n : BigInt(maskPrefix(version, val2));
  }
  if (prefixlen < 0n || prefixlen > BigInt(width)) throw pyError('AddrFormatError', 'invalid prefix');
  return { version, value, prefixlen: Number(prefixlen) };
}

/** netaddr's expand_partial_address: '10' → '10.0.0.0', '10.1' → '10.1.0.0' (each part through Python int()). */
function expandPartialIPv4(addr: string): string {
  if (addr.includes(':')) throw pyError('AddrFormatError', 'invalid partial IPv4 address');
  const tokens: string[] = [];
  for (const o of addr.includes('.') ? addr.split('.') : [addr]) {
    const n = pyIntFromStr(o);
    if (n === undefined) throw pyError('AddrFormatError', 'invalid partial IPv4 address');
    tokens.push(n.toString());
  }
  if (tokens.length > 4) throw pyError('AddrFormatError', 'invalid partial IPv4 address');
  while (tokens.length < 4) tokens.push('0');
  return tokens.join('.');
}

/** A netmask (checked first) or hostmask given instead of a prefix length. */
function maskPrefix(version: IpVersion, text: string): number {
  if (text.includes('/')) throw pyError('ValueError', 'IPAddress() does not support netmasks or subnet prefixes');
  const v = version === 4 ? inetPton4(text) : inetPton6(text);
  if (v === undefined) throw pyError('AddrFormatError', `base address ${text} is not IPv${version}`);
  const width = widthOf(version);
  const asNetmask = (v ^ maxOf(version)) + 1n;
  if ((asNetmask & (asNetmask - 1n)) === 0n) return width - log2(asNetmask);
  const asHostmask = v + 1n;
  if ((asHostmask & (asHostmask - 1n)) === 0n) return width - log2(asHostmask);
  throw pyError('AddrFormatError', `addr ${text} is not a valid IPNetwork`);
}

function log2(powerOfTwo: bigint): number {
  return powerOfTwo.toString(2).length - 1;
}

/** netaddr's is_loopback() of an IPNetwork: inside 127.0.0.0/8 for IPv4; never for IPv6 (netaddr compares a network with ::1). */
export function isLoopbackNetwork(net: IpNetwork): boolean {
  if (net.version === 6) return false;
  return networkAddress(net) >= 0x7f000000n && lastAddress(net) <= 0x7fffffffn;
}
