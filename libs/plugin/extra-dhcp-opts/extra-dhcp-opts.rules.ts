/** The pure decisions of Neutron's extradhcpopt_db: which options are stored, how an update merges. */
import { NeutronError, pyList } from '../../api/errors/neutron-error.js';

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
