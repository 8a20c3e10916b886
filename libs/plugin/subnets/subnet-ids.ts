import { sqlAnyOf, sqlArrays } from '../../db/index.js';
import type { EntityManager } from 'typeorm';
import { SUBNETS_TABLE } from '../subnetpools/subnetpools.contract.js';

/** The `subnets` attribute of many networks in one query: network id → its subnet ids, in creation order. */
export async function loadSubnetIdsForNetworks(em: EntityManager, networkIds: string[]): Promise<Map<string, string[]>> {
  const byNetwork = new Map<string, string[]>();
  for (const id of networkIds) byNetwork.set(id, []);
  for (let i = 0; i < networkIds.length; i += 1000) {
    const [cond, param] = sqlAnyOf(em, 'network_id', networkIds.slice(i, i + 1000));
    const rows = await sqlArrays(em, `SELECT id, network_id FROM ${SUBNETS_TABLE} WHERE ${cond} ORDER BY created_at ASC, id ASC`, [param]);
    for (const [id, networkId] of rows as [string, string][]) byNetwork.get(networkId)?.push(id);
  }
  return byNetwork;
}
