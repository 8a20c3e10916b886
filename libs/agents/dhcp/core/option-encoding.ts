/** Encoders for option values (RFC 2132 types, RFC 3442 classless routes, RFC 1035 names for domain-search). */
import { type Ipv4Cidr, writeIpv4 } from './ipv4.js';

export const uint8 = (value: number): Uint8Array => Uint8Array.of(value & 0xff);
export const uint16 = (value: number): Uint8Array => Uint8Array.of((value >>> 8) & 0xff, value & 0xff);
export const uint32 = (value: number): Uint8Array =>
  Uint8Array.of((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);

export function addresses(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  values.forEach((v, i) => writeIpv4(out, 4 * i, v));
  return out;
}

export const text = (value: string): Uint8Array => new TextEncoder().encode(value);

export interface ClasslessRoute {
  destination: Ipv4Cidr;
  nexthop: number;
}

/** RFC 3442: per route the prefix length, the destination's significant octets, then the router. */
export function classlessRoutes(routes: readonly ClasslessRoute[]): Uint8Array {
  const parts: number[] = [];
  for (const { destination, nexthop } of routes) {
    parts.push(destination.prefixlen);
    const significant = Math.ceil(destination.prefixlen / 8);
    for (let i = 0; i < significant; i++) parts.push((destination.network >>> (24 - 8 * i)) & 0xff);
    parts.push((nexthop >>> 24) & 0xff, (nexthop >>> 16) & 0xff, (nexthop >>> 8) & 0xff, nexthop & 0xff);
  }
  return Uint8Array.from(parts);
}

/** RFC 3397 domain search list, uncompressed; undefined when a label is empty or longer than 63. */
export function domainSearch(domains: readonly string[]): Uint8Array | undefined {
  const parts: number[] = [];
  for (const domain of domains) {
    for (const label of domain.replace(/\.$/, '').split('.')) {
      const bytes = text(label);
      if (bytes.length === 0 || bytes.length > 63) return undefined;
      parts.push(bytes.length, ...bytes);
    }
    parts.push(0);
  }
  return Uint8Array.from(parts);
}
