/**
 * IPv4 addresses as unsigned 32-bit numbers. Every result passes through `>>> 0`: JS bit operators give signed
 * 32-bit results, which made 192.168.x (top bit set) negative where 10.x worked.
 */

const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Strict dotted quad → unsigned number; undefined for anything else. */
export function parseIpv4(text: string): number | undefined {
  if (!DOTTED_QUAD.test(text)) return undefined;
  const [a, b, c, d] = text.split('.').map(Number);
  return (a * 0x1000000 + b * 0x10000 + c * 0x100 + d) >>> 0;
}

export function formatIpv4(value: number): string {
  const v = value >>> 0;
  return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}

export function maskOf(prefixlen: number): number {
  return prefixlen === 0 ? 0 : (0xffffffff << (32 - prefixlen)) >>> 0;
}

export interface Ipv4Cidr {
  network: number;
  prefixlen: number;
  mask: number;
  broadcast: number;
}

/** 'a.b.c.d/n' → its network (host bits cleared), mask and broadcast address. */
export function parseCidr4(text: string): Ipv4Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (address === undefined || !/^\d{1,2}$/.test(lenText) || Number(lenText) > 32) return undefined;
  const prefixlen = Number(lenText);
  const mask = maskOf(prefixlen);
  const network = (address & mask) >>> 0;
  return { network, prefixlen, mask, broadcast: (network | ~mask) >>> 0 };
}

export const inCidr4 = (address: number, cidr: Ipv4Cidr): boolean => ((address & cidr.mask) >>> 0) === cidr.network;

export function writeIpv4(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 24;
  target[offset + 1] = (value >>> 16) & 0xff;
  target[offset + 2] = (value >>> 8) & 0xff;
  target[offset + 3] = value & 0xff;
}

export function readIpv4(source: Uint8Array, offset: number): number {
  return (source[offset] * 0x1000000 + source[offset + 1] * 0x10000 + source[offset + 2] * 0x100 + source[offset + 3]) >>> 0;
}

export function ipv4Bytes(value: number): Uint8Array {
  const out = new Uint8Array(4);
  writeIpv4(out, 0, value);
  return out;
}
