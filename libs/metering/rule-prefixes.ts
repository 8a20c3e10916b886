import { cidrOf, formatNetwork, inetPton4, inetPton6, type IpNetwork, lastAddress, parseIpNetwork } from '../api/validators/index.js';
import { invalidPrefix, noPrefixGiven, remoteWithSourceOrDestination } from './metering.errors.js';

export const PREFIX_FIELDS = ['remote_ip_prefix', 'source_ip_prefix', 'destination_ip_prefix'] as const;
export type PrefixField = (typeof PREFIX_FIELDS)[number];
export type RulePrefixes = Record<PrefixField, string | null>;

/**
 * MeteringPlugin.validate_metering_label_rule: each given prefix is an interface Python's ipaddress accepts
 * (`10.0.0.0/8`, `10.0.0.1/24`, `10.0.0.1`, `::/0`), remote_ip_prefix is not combined with the others, and one at
 * least is given. Returns them as netaddr.IPNetwork stores them (host bits kept, an address becomes a /32 or /128).
 */
export function validateRulePrefixes(request: Record<string, unknown>): RulePrefixes {
  const out = {} as RulePrefixes;
  for (const field of PREFIX_FIELDS) {
    const value = request[field];
    out[field] = value === null || value === undefined || value === '' ? null : formatNetwork(parseInterface(field, value));
  }
  if (out.remote_ip_prefix && (out.source_ip_prefix || out.destination_ip_prefix)) throw remoteWithSourceOrDestination();
  if (!out.remote_ip_prefix && !out.source_ip_prefix && !out.destination_ip_prefix) throw noPrefixGiven();
  return out;
}

function parseInterface(field: PrefixField, value: unknown): IpNetwork {
  const text = typeof value === 'string' ? value : undefined;
  const address = text?.split('/')[0] ?? '';
  const strict = text !== undefined && text.split('/').length <= 2 && (inetPton4(address) !== undefined || inetPton6(address) !== undefined);
  if (strict) {
    try {
      return parseIpNetwork(text);
    } catch {
      // a bad prefix length or netmask: the message below
    }
  }
  throw invalidPrefix(field, value, `${pyRepr(value)} does not appear to be an IPv4 or IPv6 interface`);
}

const pyRepr = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

/** netaddr.IPSet([a]) & IPSet([b]) is not empty: one network holds the other (same family). */
export function prefixesOverlap(a: string, b: string): boolean {
  const x = cidrOf(parseIpNetwork(a));
  const y = cidrOf(parseIpNetwork(b));
  if (x.version !== y.version) return false;
  return x.value <= lastAddress(y) && y.value <= lastAddress(x);
}
