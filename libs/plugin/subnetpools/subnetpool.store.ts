import { isPostgres } from '../../db/index.js';
import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';
import { presentStandard } from '../../api/resource/standard-row.js';
import { SUBNETS_TABLE } from './subnetpools.contract.js';
import { SubnetPoolEntity, type SubnetPoolRow } from './subnetpool.entity.js';

/** Row access shared by the API service and the allocator; every query runs in the caller's unit of work. */
export function findPoolRow(ctx: RequestContext, id: string, lock: boolean): Promise<SubnetPoolRow | null> {
  const qb = ctx.em.getRepository(SubnetPoolEntity).createQueryBuilder('p').where('p.id = :id', { id });
  if (lock && isPostgres(ctx.em)) qb.setLock('pessimistic_write');
  return qb.getOne();
}

/** Neutron's DB scoping of subnet pools: the owner's and the shared ones (admins see all). */
export const isVisible = (ctx: RequestContext, row: SubnetPoolRow): boolean =>
  ctx.isAdmin || row.project_id === ctx.projectId || row.shared;

export interface AllocatedSubnet {
  cidr: string;
  project_id: string;
}

/** The CIDRs of the pool's subnets (the subnets table belongs to libs/plugin/subnets; only its contract columns). */
export function allocatedSubnets(ctx: RequestContext, poolId: string): Promise<AllocatedSubnet[]> {
  return ctx.em
    .createQueryBuilder()
    .select(['s.cidr AS cidr', 's.project_id AS project_id'])
    .from(SUBNETS_TABLE, 's')
    .where('s.subnetpool_id = :poolId', { poolId })
    .getRawMany<AllocatedSubnet>();
}

export async function hasSubnets(ctx: RequestContext, poolId: string): Promise<boolean> {
  const row = await ctx.em
    .createQueryBuilder()
    .select('1', 'one')
    .from(SUBNETS_TABLE, 's')
    .where('s.subnetpool_id = :poolId', { poolId })
    .limit(1)
    .getRawOne();
  return row !== undefined;
}


/**
 * A pool as the API shows it. Neutron's _make_subnetpool_dict (create, show, list) sends the three prefix lengths
 * as strings; its update_subnetpool returns its own dict, where they stay integers (`asInts`).
 */
export function presentPool(row: SubnetPoolRow, tags: string[] | undefined, asInts = false): ApiObject {
  const len = (n: number) => (asInts ? n : String(n));
  return {
    ...presentStandard(row, tags),
    name: row.name,
    prefixes: row.prefixes,
    ip_version: row.ip_version,
    min_prefixlen: len(row.min_prefixlen),
    max_prefixlen: len(row.max_prefixlen),
    default_prefixlen: len(row.default_prefixlen),
    default_quota: row.default_quota,
    shared: row.shared,
    is_default: row.is_default,
    address_scope_id: row.address_scope_id,
  };
}
