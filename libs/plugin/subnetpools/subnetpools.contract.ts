import type { RequestContext } from '../../api/resource/resource-definition.js';

/** What subnet creation needs from subnet pools, implemented by libs/plugin/subnetpools. */
export interface SubnetPoolAllocator {
  /**
   * Picks the CIDR of a new subnet from a pool (visible to the caller, else 404 SubnetPoolNotFound): the given
   * `cidr` if it lies inside the pool and is free, else the first free block of `prefixlen` (default_prefixlen when
   * undefined). Checks min/max prefixlen and the pool's quota; errors as Neutron. Runs in ctx's transaction and must
   * be safe against concurrent allocations from the same pool.
   */
  allocateCidr(ctx: RequestContext, args: { subnetpoolId: string; projectId: string; ipVersion?: number; cidr?: string; prefixlen?: number }): Promise<{ cidr: string; ipVersion: number }>;
  /** The default pool for an IP version (use_default_subnetpool), or undefined. */
  defaultPoolId(ctx: RequestContext, ipVersion: number): Promise<string | undefined>;
}
export const SUBNET_POOL_ALLOCATOR = Symbol('SUBNET_POOL_ALLOCATOR');

/** Table of subnets, for pools to see which CIDRs are taken (subnets.subnetpool_id, subnets.cidr, subnets.project_id). */
export const SUBNETS_TABLE = 'subnets';
