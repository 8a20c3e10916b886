import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../api/resource/resource-definition.js';
import { type Cidr, formatCidr, freeBlocks, isFree, parseCidr, pickFreeSubnet, widthOf } from './prefix-set.js';
import { SubnetPoolEntity, type SubnetPoolRow } from './subnetpool.entity.js';
import { badSubnetsRequest } from '../subnets/subnet.errors.js';
import {
  addrFormatError,
  maxPrefixAllocationError,
  minPrefixAllocationError,
  subnetAllocationError,
  subnetPoolNotFound,
  subnetPoolQuotaExceeded,
} from './subnetpool.errors.js';
import { type AllocatedSubnet, allocatedSubnets, findPoolRow, isVisible } from './subnetpool.store.js';
import type { SubnetPoolAllocator } from './subnetpools.contract.js';

/** Quota units: IPv4 pools count /32s, IPv6 pools /64s (SubnetPoolHelper). */
const QUOTA_UNIT = { 4: 32, 6: 64 } as const;

/** neutron/ipam/subnet_alloc.py's SubnetAllocator, for subnet creation (SUBNET_POOL_ALLOCATOR). */
@Injectable()
export class SubnetPoolAllocatorService implements SubnetPoolAllocator {
  async allocateCidr(
    ctx: RequestContext,
    args: { subnetpoolId: string; projectId: string; ipVersion?: number; cidr?: string; prefixlen?: number },
  ): Promise<{ cidr: string; ipVersion: number }> {
    // The row lock serialises allocations from one pool (Neutron bumps the pool's hash for the same purpose).
    const pool = await findPoolRow(ctx, args.subnetpoolId, true);
    if (!pool || !isVisible(ctx, pool)) throw subnetPoolNotFound(args.subnetpoolId);
    const version = pool.ip_version as 4 | 6;
    if (args.ipVersion !== undefined && args.ipVersion !== version) {
      throw badSubnetsRequest(`Cannot allocate IPv${args.ipVersion} subnet from IPv${version} subnet pool`);
    }
    const requested = args.cidr === undefined ? undefined : parseCidr(args.cidr);
    const prefixlen = requested ? requested.prefixlen : (args.prefixlen ?? pool.default_prefixlen);
    if (!requested && prefixlen > widthOf(version)) {
      // AnySubnetRequest builds IPNetwork('0.0.0.0/<prefixlen>') first: netaddr's error, a 400.
      throw addrFormatError(`${version === 4 ? '0.0.0.0' : '::'}/${prefixlen}`);
    }
    if (prefixlen > pool.max_prefixlen) throw maxPrefixAllocationError(prefixlen, pool.max_prefixlen);
    if (prefixlen < pool.min_prefixlen) throw minPrefixAllocationError(prefixlen, pool.min_prefixlen);

    const subnets = await allocatedSubnets(ctx, pool.id);
    checkQuota(pool, subnets, args.projectId, prefixlen);
    const free = freeBlocks(pool.prefixes.map(parseCidr), subnets.map((s) => parseCidr(s.cidr)));
    let chosen: Cidr | undefined;
    if (requested) {
      if (!isFree(free, requested)) {
        throw subnetAllocationError('Cannot allocate requested subnet from the available set of prefixes');
      }
      chosen = requested;
    } else {
      chosen = pickFreeSubnet(free, prefixlen);
      if (!chosen) throw subnetAllocationError(`Insufficient prefix space to allocate subnet size /${prefixlen}`);
    }
    return { cidr: formatCidr(chosen), ipVersion: version };
  }

  async defaultPoolId(ctx: RequestContext, ipVersion: number): Promise<string | undefined> {
    const row = await ctx.em.getRepository(SubnetPoolEntity).findOneBy({ default_for_version: ipVersion });
    // Neutron looks the default up with the caller's context: a default pool the caller cannot see is no default.
    return row && isVisible(ctx, row) ? row.id : undefined;
  }
}

/**
 * default_quota caps the address space one project holds in the pool, in /32 (IPv4) or /64 (IPv6) units; 0 or
 * null = no cap. Counted exactly in units of single addresses (an IPv6 /128 is 2^-64 of a unit).
 */
export function checkQuota(pool: SubnetPoolRow, subnets: readonly AllocatedSubnet[], projectId: string, prefixlen: number): void {
  if (!pool.default_quota) return;
  const version = pool.ip_version as 4 | 6;
  const width = widthOf(version);
  const addresses = (len: number) => 1n << BigInt(width - len);
  let used = 0n;
  for (const s of subnets) if (s.project_id === projectId) used += addresses(parseCidr(s.cidr).prefixlen);
  const limit = BigInt(pool.default_quota) << BigInt(width - QUOTA_UNIT[version]);
  if (used + addresses(prefixlen) > limit) throw subnetPoolQuotaExceeded();
}
