import type { EntityManager } from 'typeorm';
import { groupByKey, loadInChunks, sqlAnyOf, sqlRows, sqlRun } from '../../db/index.js';
import { ALLOWED_ADDRESS_PAIRS_TABLE, type AllowedAddressPairRow } from './address-pair.entity.js';
import type { AddressPair } from './address-pairs.rules.js';

export function loadAddressPairs(em: EntityManager, portIds: string[]): Promise<Map<string, AddressPair[]>> {
  return loadInChunks(portIds, async (ids) => {
    const [cond, param] = sqlAnyOf(em, 'port_id', ids);
    const rows = await sqlRows<AllowedAddressPairRow>(em, `SELECT port_id, mac_address, ip_address, position FROM ${ALLOWED_ADDRESS_PAIRS_TABLE} WHERE ${cond}`, [param]);
    return groupByKey(rows, (r) => r.port_id, (r) => ({ ip_address: r.ip_address, mac_address: r.mac_address }));
  });
}

export async function replaceAddressPairs(em: EntityManager, portId: string, pairs: AddressPair[], existed: boolean): Promise<void> {
  if (existed) await sqlRun(em, `DELETE FROM ${ALLOWED_ADDRESS_PAIRS_TABLE} WHERE port_id = ?`, [portId]);
  if (!pairs.length) return;
  const values = pairs.map(() => '(?, ?, ?, ?)').join(', ');
  const params = pairs.flatMap((p, position) => [portId, p.mac_address, p.ip_address, position]);
  await sqlRun(em, `INSERT INTO ${ALLOWED_ADDRESS_PAIRS_TABLE} (port_id, mac_address, ip_address, position) VALUES ${values}`, params);
}
