import { Injectable } from '@nestjs/common';
import { methodNotAllowed } from '../../api/errors/neutron-error.js';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../../api/resource/resource-definition.js';
import { int32Values, runListQuery } from '../../api/sql/list-query.js';
import { parseIpNetwork } from '../../api/validators/ip.js';
import { IpAllocationEntity } from '../ipam/ipam.entities.js';
import { cidrBounds, parseAddress, rangeSize } from '../ipam/ip-math.js';
import { NetworkEntity } from '../networks/network.entity.js';
import { networkNotFound } from '../networks/network.errors.js';
import { networkIpAvailabilityAttributes } from './network-ip-availability.definition.js';
import { SubnetEntity, type SubnetRow } from './subnet.entity.js';

/**
 * GET /v2.0/network-ip-availabilities (§2.14): per network and subnet, total = size of the allocation pools (the
 * CIDR when a subnet has none), used = every allocation. One list query on networks, one on their subnets, one
 * COUNT … GROUP BY on the allocations.
 */
@Injectable()
export class NetworkIpAvailabilityService implements ResourceService {
  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    // A version no integer column holds matches nothing (PostgreSQL would fail binding it).
    const wanted = query.filters.find((f) => f.attr === 'ip_version')?.values;
    const versions = wanted && (int32Values(wanted) as number[]);
    const qb = ctx.em.getRepository(NetworkEntity).createQueryBuilder('r');
    const networks = await runListQuery(ctx.em, qb, query, {
      alias: 'r',
      attributes: networkIpAvailabilityAttributes,
      notFound: networkNotFound,
      customFilters: {
        ip_version: (q, _values, param) => {
          if (!versions?.length) return void q.andWhere('1 = 0');
          const p = param();
          q.andWhere(`EXISTS (SELECT 1 FROM subnets vs WHERE vs.network_id = r.id AND vs.ip_version IN (:...${p}))`, { [p]: versions });
        },
      },
    });
    const subnets = await this.subnetsOf(ctx, networks.map((n) => n.id), versions);
    const used = await this.usedCounts(ctx, subnets.map((s) => s.id));
    return networks.map((network) => {
      const mine = subnets.filter((s) => s.network_id === network.id).map((s) => ({
        subnet_id: s.id,
        ip_version: s.ip_version,
        cidr: s.cidr,
        subnet_name: s.name,
        used_ips: used.get(s.id) ?? 0,
        total: totalIps(s),
      }));
      return {
        id: network.id,
        network_id: network.id,
        network_name: network.name,
        project_id: network.project_id,
        tenant_id: network.project_id,
        subnet_ip_availability: mine.map(({ total, ...s }) => ({ ...s, total_ips: exactCount(total) })),
        used_ips: mine.reduce((sum, s) => sum + s.used_ips, 0),
        total_ips: exactCount(mine.reduce((sum, s) => sum + s.total, 0n)),
      };
    });
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const [item] = await this.list(ctx, { filters: [{ attr: 'network_id', values: [id] }], tagFilters: {}, sorts: [{ attr: 'network_id', dir: 'asc' }], pageReverse: false, fields: [] });
    return item;
  }

  create(): Promise<ApiObject> {
    throw methodNotAllowed('POST');
  }

  update(): Promise<ApiObject> {
    throw methodNotAllowed('PUT');
  }

  delete(): Promise<void> {
    throw methodNotAllowed('DELETE');
  }

  private async subnetsOf(ctx: RequestContext, networkIds: string[], versions: number[] | undefined): Promise<SubnetRow[]> {
    if (!networkIds.length) return [];
    const qb = ctx.em
      .getRepository(SubnetEntity)
      .createQueryBuilder('s')
      .where('s.network_id IN (:...ids)', { ids: networkIds })
      .orderBy('s.created_at', 'ASC')
      .addOrderBy('s.id', 'ASC');
    if (versions?.length) qb.andWhere('s.ip_version IN (:...versions)', { versions });
    return qb.getMany();
  }

  private async usedCounts(ctx: RequestContext, subnetIds: string[]): Promise<Map<string, number>> {
    if (!subnetIds.length) return new Map();
    const rows = await ctx.em
      .getRepository(IpAllocationEntity)
      .createQueryBuilder('a')
      .select('a.subnet_id', 'subnet_id')
      .addSelect('COUNT(*)', 'n')
      .where('a.subnet_id IN (:...ids)', { ids: subnetIds })
      .groupBy('a.subnet_id')
      .getRawMany<{ subnet_id: string; n: string | number }>();
    return new Map(rows.map((r) => [r.subnet_id, Number(r.n)]));
  }
}

/**
 * Sum of the pool sizes, else the CIDR size. IPv6 totals beyond 2^53 lose precision in JSON numbers (Python prints
 * the exact integer).
 */
function totalIps(s: SubnetRow): bigint {
  const pools = s.allocation_pools.map((p) => ({ first: parseAddress(p.start)!.value, last: parseAddress(p.end)!.value }));
  return pools.length ? pools.reduce((sum, p) => sum + rangeSize(p), 0n) : rangeSize(cidrBounds(parseIpNetwork(s.cidr)));
}

/** IPv6 counts exceed 2^53: keep them BigInt past Number.MAX_SAFE_INTEGER (the API writes BigInts as exact digits). */
function exactCount(n: bigint): number | bigint {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}
