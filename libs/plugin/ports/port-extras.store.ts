import type { EntityManager } from 'typeorm';
import { sqlAnyOf, sqlRows, sqlRun } from '../../db/index.js';
import { ALLOWED_ADDRESS_PAIRS_TABLE, type AllowedAddressPairRow, EXTRA_DHCP_OPTS_TABLE, type ExtraDhcpOptRow } from './port.entity.js';
import type { AddressPair, DhcpOpt } from './port-rules.js';

/** Keeps every `IN (…)` list well below the bind-parameter limits of SQLite and PostgreSQL. */
const CHUNK = 5000;

/** Runs `load` on slices of `ids` and merges the maps: one query per 5,000 ids. */
export async function loadInChunks<V>(ids: string[], load: (slice: string[]) => Promise<Map<string, V>>): Promise<Map<string, V>> {
  if (ids.length <= CHUNK) return ids.length ? load(ids) : new Map();
  const merged = new Map<string, V>();
  for (let i = 0; i < ids.length; i += CHUNK) for (const [k, v] of await load(ids.slice(i, i + CHUNK))) merged.set(k, v);
  return merged;
}

function groupBy<R extends { port_id: string; position: number }, V>(rows: R[], map: (row: R) => V): Map<string, V[]> {
  const byPort = new Map<string, V[]>();
  for (const row of rows.sort((a, b) => a.position - b.position)) {
    const list = byPort.get(row.port_id);
    if (list) list.push(map(row));
    else byPort.set(row.port_id, [map(row)]);
  }
  return byPort;
}

export function loadAddressPairs(em: EntityManager, portIds: string[]): Promise<Map<string, AddressPair[]>> {
  return loadInChunks(portIds, async (ids) => {
    const [cond, param] = sqlAnyOf(em, 'port_id', ids);
    const rows = await sqlRows<AllowedAddressPairRow>(em, `SELECT port_id, mac_address, ip_address, position FROM ${ALLOWED_ADDRESS_PAIRS_TABLE} WHERE ${cond}`, [param]);
    return groupBy(rows, (r) => ({ ip_address: r.ip_address, mac_address: r.mac_address }));
  });
}

export async function replaceAddressPairs(em: EntityManager, portId: string, pairs: AddressPair[], existed: boolean): Promise<void> {
  if (existed) await sqlRun(em, `DELETE FROM ${ALLOWED_ADDRESS_PAIRS_TABLE} WHERE port_id = ?`, [portId]);
  if (!pairs.length) return;
  const values = pairs.map(() => '(?, ?, ?, ?)').join(', ');
  const params = pairs.flatMap((p, position) => [portId, p.mac_address, p.ip_address, position]);
  await sqlRun(em, `INSERT INTO ${ALLOWED_ADDRESS_PAIRS_TABLE} (port_id, mac_address, ip_address, position) VALUES ${values}`, params);
}

export function loadDhcpOpts(em: EntityManager, portIds: string[]): Promise<Map<string, DhcpOpt[]>> {
  return loadInChunks(portIds, async (ids) => {
    const [cond, param] = sqlAnyOf(em, 'port_id', ids);
    const rows = await sqlRows<ExtraDhcpOptRow>(em, `SELECT port_id, opt_name, opt_value, ip_version, position FROM ${EXTRA_DHCP_OPTS_TABLE} WHERE ${cond}`, [param]);
    return groupBy(rows, (r) => ({ opt_name: r.opt_name, opt_value: r.opt_value, ip_version: Number(r.ip_version) }));
  });
}

export async function replaceDhcpOpts(em: EntityManager, portId: string, opts: DhcpOpt[], existed: boolean): Promise<void> {
  if (existed) await sqlRun(em, `DELETE FROM ${EXTRA_DHCP_OPTS_TABLE} WHERE port_id = ?`, [portId]);
  if (!opts.length) return;
  const values = opts.map(() => '(?, ?, ?, ?, ?)').join(', ');
  const params = opts.flatMap((o, position) => [portId, o.opt_name, o.ip_version, o.opt_value, position]);
  await sqlRun(em, `INSERT INTO ${EXTRA_DHCP_OPTS_TABLE} (port_id, opt_name, ip_version, opt_value, position) VALUES ${values}`, params);
}
