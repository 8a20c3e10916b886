/**
 * A port's `extra_dhcp_opts` (Neutron's format, which its agent hands to dnsmasq as `--dhcp-option`): opt_name is a
 * number or one of dnsmasq's option names; opt_value is dnsmasq's text form. Encoded here once per state update.
 */
import { type Ipv4Cidr, parseCidr4, parseIpv4 } from './ipv4.js';
import { addresses, classlessRoutes, domainSearch, text, uint16, uint32, uint8 } from './option-encoding.js';

export interface ExtraDhcpOpt {
  opt_name: string;
  opt_value: string | null;
  /** Neutron defaults it to 4; 6 is skipped here (DHCPv4 only). */
  ip_version?: number;
}

type ValueKind = 'addresses' | 'int8' | 'int16' | 'int32' | 'time' | 'name' | 'rfc1035' | 'routes' | 'sip' | 'any';

/** dnsmasq's pseudo option `server-ip-address`: not an option but the reply's `siaddr` (next server). */
const SIADDR_PSEUDO_CODE = 255;

/** dnsmasq's option names (its `dnsmasq --help dhcp` table) and how each value is written. */
const NAMED: Record<string, [number, ValueKind]> = {
  netmask: [1, 'addresses'],
  'time-offset': [2, 'int32'],
  router: [3, 'addresses'],
  'dns-server': [6, 'addresses'],
  'log-server': [7, 'addresses'],
  'lpr-server': [9, 'addresses'],
  hostname: [12, 'name'],
  'boot-file-size': [13, 'int16'],
  'domain-name': [15, 'name'],
  'swap-server': [16, 'addresses'],
  'root-path': [17, 'name'],
  'extension-path': [18, 'name'],
  'ip-forward-enable': [19, 'int8'],
  'non-local-source-routing': [20, 'int8'],
  'policy-filter': [21, 'addresses'],
  'max-datagram-reassembly': [22, 'int16'],
  'default-ttl': [23, 'int8'],
  mtu: [26, 'int16'],
  'all-subnets-local': [27, 'int8'],
  broadcast: [28, 'addresses'],
  'router-discovery': [31, 'int8'],
  'router-solicitation': [32, 'addresses'],
  'static-route': [33, 'addresses'],
  'trailer-encapsulation': [34, 'int8'],
  'arp-timeout': [35, 'int32'],
  'ethernet-encap': [36, 'int8'],
  'tcp-ttl': [37, 'int8'],
  'tcp-keepalive': [38, 'int32'],
  'nis-domain': [40, 'name'],
  'nis-server': [41, 'addresses'],
  'ntp-server': [42, 'addresses'],
  'netbios-ns': [44, 'addresses'],
  'netbios-dd': [45, 'addresses'],
  'netbios-nodetype': [46, 'int8'],
  'netbios-scope': [47, 'any'],
  'x-windows-fs': [48, 'addresses'],
  'x-windows-dm': [49, 'addresses'],
  'lease-time': [51, 'time'],
  T1: [58, 'time'],
  T2: [59, 'time'],
  'vendor-class': [60, 'any'],
  'nis+-domain': [64, 'name'],
  'nis+-server': [65, 'addresses'],
  'tftp-server': [66, 'name'],
  'bootfile-name': [67, 'name'],
  'mobile-ip-home': [68, 'addresses'],
  'smtp-server': [69, 'addresses'],
  'pop3-server': [70, 'addresses'],
  'nntp-server': [71, 'addresses'],
  'irc-server': [74, 'addresses'],
  'user-class': [77, 'any'],
  'client-arch': [93, 'int16'],
  'client-interface-id': [94, 'any'],
  'client-machine-id': [97, 'any'],
  'posix-timezone': [100, 'name'],
  'tzdb-timezone': [101, 'name'],
  'domain-search': [119, 'rfc1035'],
  'sip-server': [120, 'sip'],
  'classless-static-route': [121, 'routes'],
  'vendor-id-encap': [125, 'any'],
  'tftp-server-address': [150, 'addresses'],
  'server-ip-address': [SIADDR_PSEUDO_CODE, 'addresses'],
};
const KIND_BY_CODE = new Map<number, ValueKind>(Object.values(NAMED).map(([code, kind]) => [code, kind]));
KIND_BY_CODE.set(249, 'routes');
/** Neutron never passes client-id to dnsmasq as an option (it goes into the host entry). */
const CLIENT_ID_NAMES = new Set(['client-id', '61']);
/** Options that belong to the DHCP exchange itself: a port cannot set them. */
const PROTOCOL_CODES = new Set([50, 52, 53, 54, 55, 57]);
/** The only names Neutron accepts with a blank value: dnsmasq then sends no such option. */
const BLANK_SUPPRESSES = new Set([3, 121]);

export type EncodedExtraOpt =
  | { kind: 'option'; code: number; value: Uint8Array }
  | { kind: 'suppress'; code: number }
  | { kind: 'siaddr'; address: number }
  | { kind: 'skipped'; reason: string };

export function encodeExtraDhcpOpt(opt: ExtraDhcpOpt): EncodedExtraOpt {
  if ((opt.ip_version ?? 4) !== 4) return { kind: 'skipped', reason: 'not an IPv4 option' };
  // dnsmasq's own prefixes ('tag:x,' and 'option:'), which Neutron lets through in opt_name.
  const name = opt.opt_name.replace(/^tag:[^,]*,/, '').replace(/^option:/, '').trim();
  if (CLIENT_ID_NAMES.has(name)) return { kind: 'skipped', reason: 'client-id is not sent as an option' };
  const named = NAMED[name];
  const numeric = /^\d{1,3}$/.test(name) ? Number(name) : undefined;
  const code = named ? named[0] : numeric !== undefined && numeric >= 1 && numeric <= 254 ? numeric : undefined;
  if (code === undefined) return { kind: 'skipped', reason: `unknown option name '${opt.opt_name}'` };
  if (PROTOCOL_CODES.has(code)) return { kind: 'skipped', reason: `option ${code} is set by the server` };
  const value = (opt.opt_value ?? '').trim();
  if (value === '') {
    return BLANK_SUPPRESSES.has(code) ? { kind: 'suppress', code } : { kind: 'skipped', reason: `empty value for '${opt.opt_name}'` };
  }
  const kind = named ? named[1] : (KIND_BY_CODE.get(code) ?? 'any');
  const encoded = encodeValue(kind, value);
  if (encoded === undefined) return { kind: 'skipped', reason: `value '${value}' does not fit option '${opt.opt_name}'` };
  if (code === SIADDR_PSEUDO_CODE) {
    return encoded.length === 4 ? { kind: 'siaddr', address: parseIpv4(value)! } : { kind: 'skipped', reason: 'server-ip-address takes one address' };
  }
  return { kind: 'option', code, value: encoded };
}

const list = (value: string) => value.split(',').map((s) => s.trim());

function encodeValue(kind: ValueKind, value: string): Uint8Array | undefined {
  switch (kind) {
    case 'addresses': {
      const parsed = list(value).map(parseIpv4);
      return parsed.every((a) => a !== undefined) ? addresses(parsed as number[]) : undefined;
    }
    case 'int8':
    case 'int16':
    case 'int32': {
      const n = decimal(value);
      const max = kind === 'int8' ? 0xff : kind === 'int16' ? 0xffff : 0xffffffff;
      if (n === undefined || n > max) return undefined;
      return kind === 'int8' ? uint8(n) : kind === 'int16' ? uint16(n) : uint32(n);
    }
    case 'time': {
      const seconds = timeValue(value);
      return seconds === undefined ? undefined : uint32(seconds);
    }
    case 'name':
      return text(value);
    case 'rfc1035':
      return domainSearch(list(value));
    case 'routes':
      return routesValue(value);
    case 'sip': {
      const parts = list(value);
      const ips = parts.map(parseIpv4);
      // RFC 3361: encoding byte 1 + addresses, or 0 + domain names.
      if (ips.every((a) => a !== undefined)) return Uint8Array.from([1, ...addresses(ips as number[])]);
      const names = domainSearch(parts);
      return names && Uint8Array.from([0, ...names]);
    }
    case 'any':
      return guessed(value);
  }
}

/** dnsmasq's guess for options it has no type for: addresses, hex bytes, a number in the fewest bytes, else text. */
function guessed(value: string): Uint8Array {
  const parts = list(value);
  const ips = parts.map(parseIpv4);
  if (ips.every((a) => a !== undefined)) return addresses(ips as number[]);
  if (value.includes(':') && /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2})+$/.test(value)) {
    return Uint8Array.from(value.split(':').map((h) => parseInt(h, 16)));
  }
  const n = decimal(value);
  if (n !== undefined) return n > 0xffff ? uint32(n) : n > 0xff ? uint16(n) : uint8(n);
  return text(value);
}

function decimal(value: string): number | undefined {
  if (!/^\d{1,10}$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 0xffffffff ? n : undefined;
}

const TIME_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

function timeValue(value: string): number | undefined {
  if (value === 'infinite') return 0xffffffff;
  const m = /^(\d{1,10})([smhdw]?)$/.exec(value);
  if (!m) return undefined;
  const seconds = Number(m[1]) * TIME_UNITS[m[2]];
  return seconds <= 0xffffffff ? seconds : undefined;
}

/** 'dest/len,router,dest/len,router,…' (dnsmasq's text for 121 and 249). */
function routesValue(value: string): Uint8Array | undefined {
  const parts = list(value);
  if (parts.length % 2 !== 0) return undefined;
  const routes: { destination: Ipv4Cidr; nexthop: number }[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const destination = parseCidr4(parts[i].includes('/') ? parts[i] : `${parts[i]}/32`);
    const nexthop = parseIpv4(parts[i + 1]);
    if (!destination || nexthop === undefined) return undefined;
    routes.push({ destination, nexthop });
  }
  return classlessRoutes(routes);
}
