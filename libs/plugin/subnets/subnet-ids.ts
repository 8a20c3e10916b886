import { anyOfSql } from '../../db/index.js';
import type { EntityManager } from 'typeorm';
import { SubnetEntity } from './subnet.entity.js';

/** The `subnets` attribute of many networks in one query: network id → its subnet ids, in creation order. */
export async function loadSubnetIdsForNetworks(em: EntityManager, networkIds: string[]): Promise<Map<string, string[]>> {
  const byNetwork = new Map<string, string[]>(networkIds.map((id) => [id, []]));
  for (let i = 0; i < networkIds.length; i += 1000) {
    const rows = await em
      .getRepository(SubnetEntity)
      .createQueryBuilder('s')
      .select(['s.id', 's.network_id'])
      .where(...anyOfSql(em, 's.network_id', networkIds.slice(i, i + 1000)))
      .orderBy('s.created_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
    for (const row of rows) byNetwork.get(row.network_id)?.push(row.id);
  }
  return byNetwork;
}
