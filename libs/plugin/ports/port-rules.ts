/**
 * The pure decisions of Neutron's port plug-in code (ml2/plugin.py, securitygroups_db.py, extradhcpopt_db.py,
 * allowedaddresspairs_db.py): which groups a port gets, what port security forbids, how DHCP options merge.
 */
import { NeutronError, pyList } from '../../api/errors/neutron-error.js';
import type { ApiObject } from '../../api/resource/resource-definition.js';
import { inetPton6 } from '../../api/validators/index.js';

export const pairsNeedPortSecurity = () =>
  new NeutronError('AddressPairAndPortSecurityRequired', 'Port Security must be enabled in order to have allowed address pairs on a port.', 409);
export const groupsNeedPortSecurity = () =>
  new NeutronError(
    'PortSecurityAndIPRequiredForSecurityGroups',
    'Port security must be enabled and port must have an IP address in order to use security groups.',
    400,
  );
export const portHasSecurityGroup = () =>
  new NeutronError(
    'PortSecurityPortHasSecurityGroup',
    'Port has security group associated. Cannot disable port security or IP address until security group is removed.',
    409,
  );

/** net.is_port_trusted: DHCP, router and other `network:*` ports get no port security and no groups. */
export function isTrusted(deviceOwner: string): boolean {
  return deviceOwner.startsWith('network:');
}

const nonEmpty = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0;

/**
 * The groups a new port is bound to (_portsec_ext_port_create_processing, _ensure_default_security_group_on_port,
 * _get_security_groups_on_port). `requested` undefined = not in the body.
 */
export function groupsForNewPort(args: {
  portSecurity: boolean;
  trusted: boolean;
  requested: string[] | undefined;
  addressPairs: unknown[] | undefined;
  defaultGroup: string | undefined;
}): string[] {
  if (nonEmpty(args.addressPairs) && !args.portSecurity) throw pairsNeedPortSecurity();
  let groups = args.requested;
  if (args.portSecurity) {
    if (!args.trusted && groups === undefined && args.defaultGroup) groups = [args.defaultGroup];
  } else if (nonEmpty(groups)) {
    throw groupsNeedPortSecurity();
  }
  return groups === undefined || args.trusted ? [] : groups;
}

/** _portsec_ext_port_update_processing: what a port without port security may not keep or get. */
export function checkPortSecurityUpdate(args: { portSecurity: boolean; changes: ApiObject; hasPairs: boolean; hasGroups: boolean }): void {
  const { changes } = args;
  if (args.portSecurity) return;
  if (nonEmpty(changes.allowed_address_pairs)) throw pairsNeedPortSecurity();
  if (!('allowed_address_pairs' in changes) && args.hasPairs) throw pairsNeedPortSecurity();
  if (nonEmpty(changes.security_groups)) throw groupsNeedPortSecurity();
  if (!('security_groups' in changes) && args.hasGroups) throw portHasSecurityGroup();
}

export interface AddressPair {
  ip_address: string;
  mac_address: string;
}

/** _process_create_allowed_address_pairs: a pair without MAC takes the port's; (mac, ip) must be unique. */
export function addressPairsFor(requested: readonly Record<string, unknown>[], portMac: string): AddressPair[] {
  const pairs: AddressPair[] = [];
  for (const pair of requested) {
    const next = { ip_address: String(pair.ip_address), mac_address: String(pair.mac_address ?? portMac) };
    if (pairs.some((p) => p.ip_address === next.ip_address && p.mac_address === next.mac_address)) {
      throw new NeutronError(
        'DuplicateAddressPairInRequest',
        `Request contains duplicate address pair: mac_address ${next.mac_address} ip_address ${next.ip_address}.`,
        400,
      );
    }
    pairs.push(next);
  }
  return pairs;
}

export interface DhcpOpt {
  opt_name: string;
  opt_value: string;
  ip_version: number;
}

const BLANK_ALLOWED = ['router', 'classless-static-route'];

/** _is_valid_opt_value: blank-able options are stored unless null, the others unless null or empty. */
function storable(name: string, value: unknown): value is string {
  return BLANK_ALLOWED.includes(name) ? value !== null && value !== undefined : typeof value === 'string' && value !== '';
}

const versionOf = (opt: Record<string, unknown>) => (opt.ip_version ?? 4) as number;

/** _process_port_create_extra_dhcp_opts; one row per (opt_name, ip_version), as the table's key says. */
export function dhcpOptsForCreate(requested: readonly Record<string, unknown>[] | null | undefined): DhcpOpt[] {
  const opts: DhcpOpt[] = [];
  for (const req of requested ?? []) {
    const name = req.opt_name as string;
    if (!storable(name, req.opt_value)) continue;
    const opt = { opt_name: name, opt_value: req.opt_value, ip_version: versionOf(req) };
    if (opts.some((o) => o.opt_name === opt.opt_name && o.ip_version === opt.ip_version)) {
      throw new NeutronError(
        'NeutronDbObjectDuplicateEntry',
        `Failed to create a duplicate ExtraDhcpOpt: for attribute(s) ${pyList(['port_id', 'opt_name', 'ip_version'])} with value(s) None`,
        409,
      );
    }
    opts.push(opt);
  }
  return opts;
}

/** _update_extra_dhcp_opts_on_port: merge by (opt_name, ip_version); a null value deletes, new options are appended. */
export function mergeDhcpOpts(existing: readonly DhcpOpt[], updates: readonly Record<string, unknown>[]): DhcpOpt[] {
  const opts = existing.map((o) => ({ ...o }));
  for (const upd of updates) {
    const name = upd.opt_name as string;
    const at = opts.findIndex((o) => o.opt_name === name && o.ip_version === versionOf(upd));
    if (at >= 0) {
      if (upd.opt_value === null || upd.opt_value === undefined) opts.splice(at, 1);
      else if (storable(name, upd.opt_value)) opts[at].opt_value = upd.opt_value;
    } else if (storable(name, upd.opt_value)) {
      opts.push({ opt_name: name, opt_value: upd.opt_value, ip_version: versionOf(upd) });
    }
  }
  return opts;
}

/** helpers.compare_elements: the same groups in any order. */
export function sameGroups(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** The EUI-64 interface identifier of a MAC: U/L bit flipped, ff:fe in the middle. */
export function eui64InterfaceId(mac: string): bigint {
  const bytes = mac.split(':').map((h) => parseInt(h, 16));
  bytes[0] ^= 0x02;
  return [...bytes.slice(0, 3), 0xff, 0xfe, ...bytes.slice(3)].reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

/**
 * A MAC change re-requests the port's addresses without those derived from the old MAC (update_port_with_ips), so
 * the SLAAC ones are derived again from the new MAC.
 */
export function addressesKeptOnMacChange<T extends { ip_address: string }>(fixedIps: readonly T[], oldMac: string): T[] {
  const old = eui64InterfaceId(oldMac);
  return fixedIps.filter((ip) => {
    const value = inetPton6(ip.ip_address);
    return value === undefined || (value & ((1n << 64n) - 1n)) !== old;
  });
}
