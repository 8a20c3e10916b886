import type { EntityManager } from 'typeorm';
import { groupByKey, loadInChunks, sqlAnyOf, sqlRows, sqlRun } from '../../db/index.js';
import { EXTRA_DHCP_OPTS_TABLE, type ExtraDhcpOptRow } from './extra-dhcp-opt.entity.js';
import type { DhcpOpt } from './extra-dhcp-opts.rules.js';

export function loadDhcpOpts(em: EntityManager, portIds: string[]): Promise<Map<string, DhcpOpt[]>> {
  return loadInChunks(portIds, async (ids) => {
    const [cond, param] = sqlAnyOf(em, 'port_id', ids);
    const rows = await sqlRows<ExtraDhcpOptRow>(em, `SELECT port_id, opt_name, opt_value, ip_version, position FROM ${EXTRA_DHCP_OPTS_TABLE} WHERE ${cond}`, [param]);
    return groupByKey(rows, (r) => r.port_id, (r) => ({ opt_name: r.opt_name, opt_value: r.opt_value, ip_version: Number(r.ip_version) }));
  });
}

export async function replaceDhcpOpts(em: EntityManager, portId: string, opts: DhcpOpt[], existed: boolean): Promise<void> {
  if (existed) await sqlRun(em, `DELETE FROM ${EXTRA_DHCP_OPTS_TABLE} WHERE port_id = ?`, [portId]);
  if (!opts.length) return;
  const values = opts.map(() => '(?, ?, ?, ?, ?)').join(', ');
  const params = opts.flatMap((o, position) => [portId, o.opt_name, o.ip_version, o.opt_value, position]);
  await sqlRun(em, `INSERT INTO ${EXTRA_DHCP_OPTS_TABLE} (port_id, opt_name, ip_version, opt_value, position) VALUES ${values}`, params);
}
