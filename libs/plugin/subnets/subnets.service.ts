import { isPostgres } from '../../db/index.js';
import { sqlBool } from '../../db/index.js';
import { Inject, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { bumpRevision } from '../../api/engine/tags-handler.js';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../../api/resource/resource-definition.js';
import { newStandardColumns, presentStandard, revised } from '../../api/resource/standard-row.js';
import { runListQuery } from '../../api/sql/list-query.js';
import { formatIp, type IpVersion, parseIpNetwork } from '../../api/validators/ip.js';
import { IpamService } from '../ipam/ipam.service.js';
import { cidrBounds, formatAddress, parseAddress } from '../ipam/ip-math.js';
import { subnetNotFound } from '../ipam/ipam.errors.js';
import { subnetInfo } from '../ipam/subnet-info.js';
import { NetworkEntity, type NetworkRow } from '../networks/network.entity.js';
import { networkNotFound } from '../networks/network.errors.js';
import { SUBNET_POOL_ALLOCATOR, type SubnetPoolAllocator } from '../subnetpools/subnetpools.contract.js';
import { subnetAttributes } from './subnet.definition.js';
import { type HostRoute, SubnetEntity, type SubnetRow } from './subnet.entity.js';
import { assertSubnetDeletable, assertGatewayNotInUse, assertNoOverlap } from './subnet-usage.js';
import {
  checkGatewayOutOfPools,
  defaultGateway,
  poolsToRanges,
  preparePools,
  validatePools,
  validateSubnet,
} from './subnet-validation.js';
import { badSubnetsRequest, networkSubnetPoolAffinity, notAllowedToCreateSubnet } from './subnet.errors.js';

@Injectable()
export class SubnetsService implements ResourceService {
  constructor(
    @Inject(IpamService) private readonly ipam: IpamService,
    @Inject(SUBNET_POOL_ALLOCATOR) private readonly pools: SubnetPoolAllocator,
  ) {}

  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    const qb = ctx.em.getRepository(SubnetEntity).createQueryBuilder('s').innerJoin(NetworkEntity.options.name, 'n', 'n.id = s.network_id');
    if (!ctx.isAdmin) qb.where('(s.project_id = :owner OR n.shared = :yes)', { owner: ctx.projectId, yes: sqlBool(ctx.em, true) });
    const rows = await runListQuery(ctx.em, qb, query, {
      alias: 's',
      attributes: subnetAttributes,
      taggable: true,
      notFound: subnetNotFound,
      customFilters: {
        shared: (q, values, param) => {
          const p = param();
          q.andWhere(`n.shared IN (:...${p})`, { [p]: values.map((v) => sqlBool(ctx.em, v as boolean)) });
        },
      },
    });
    const shared = await this.sharedFlags(ctx, rows);
    return rows.map((row) => present(row, shared.get(row.network_id) ?? false));
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const row = await this.findRow(ctx, id, false);
    if (!row) return undefined;
    const network = await ctx.em.getRepository(NetworkEntity).findOneBy({ id: row.network_id });
    if (!ctx.isAdmin && row.project_id !== ctx.projectId && !network?.shared) return undefined;
    return present(row, network?.shared ?? false);
  }

  /**
   * The network's owner for the policy rules, and on create Neutron's ownership hook: a network the caller cannot
   * see is NetworkNotFound, another project's unshared (e.g. external) network is HTTPForbidden.
   */
  async policyTarget(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const networkId = item.network_id as string;
    const network = await ctx.em.getRepository(NetworkEntity).findOneBy({ id: networkId });
    if (!('id' in item)) {
      const visible = network && (ctx.isAdmin || network.project_id === ctx.projectId || network.shared || network.router_external);
      if (!visible) throw networkNotFound(networkId);
      const privileged = ctx.isAdmin || ctx.auth.roles.includes('advsvc');
      if (!privileged && !network.shared && network.project_id !== item.project_id) {
        throw notAllowedToCreateSubnet(String(item.project_id));
      }
    }
    return network
      ? { 'network:tenant_id': network.project_id, 'network:project_id': network.project_id, 'network:shared': network.shared }
      : {};
  }

  async create(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const hasCidr = item.cidr !== undefined && item.cidr !== null;
    if (hasCidr && item.prefixlen !== undefined) throw badSubnetsRequest('cidr and prefixlen must not be supplied together');
    const ipVersion = item.ip_version as IpVersion;
    const requested = hasCidr ? canonicalCidr(item.cidr as string) : undefined;
    const subnetpoolId = await this.subnetpoolId(ctx, item, requested);
    if (!subnetpoolId && !requested) throw badSubnetsRequest('a subnetpool must be specified in the absence of a cidr');
    if (subnetpoolId && !requested && item.allocation_pools !== undefined) {
      throw badSubnetsRequest('allocation_pools allowed only for specific subnet requests.');
    }
    if (!subnetpoolId) validateSubnet(specOf(item, ipVersion, requested!));

    const network = await this.lockNetwork(ctx, item.network_id as string);
    const { cidr, gateway } = subnetpoolId
      ? await this.allocateFromPool(ctx, item, subnetpoolId, requested)
      : { cidr: requested!, gateway: gatewayOf(item, requested!) };
    const pools = preparePools(item.allocation_pools, cidr, gateway);
    const siblings = await ctx.em.getRepository(SubnetEntity).findBy({ network_id: network.id });
    assertNoOverlap(cidr, network.id, siblings);
    assertPoolAffinity(siblings, ipVersion, subnetpoolId ?? null);

    const v6Dhcp = ipVersion === 6 && item.enable_dhcp === true;
    const row: SubnetRow = {
      ...newStandardColumns(item),
      name: item.name as string,
      network_id: network.id,
      ip_version: ipVersion,
      cidr,
      gateway_ip: gateway,
      enable_dhcp: item.enable_dhcp as boolean,
      ipv6_ra_mode: v6Dhcp ? ((item.ipv6_ra_mode as string | undefined) ?? null) : null,
      ipv6_address_mode: v6Dhcp ? ((item.ipv6_address_mode as string | undefined) ?? null) : null,
      subnetpool_id: subnetpoolId ?? null,
      allocation_pools: pools.map((p) => ({ start: formatAddress(p.first, ipVersion), end: formatAddress(p.last, ipVersion) })),
      dns_nameservers: (item.dns_nameservers as string[] | undefined) ?? [],
      host_routes: canonicalRoutes(item.host_routes as HostRoute[] | undefined),
    };
    await ctx.em.getRepository(SubnetEntity).insert(row);
    const info = subnetInfo(row);
    await this.ipam.initSubnet(ctx, info);
    await this.ipam.addAutoAddresses(ctx, info);
    await bumpRevision(ctx, 'networks', network.id);
    return present(row, network.shared);
  }

  async update(ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject> {
    const row = (await this.findRow(ctx, current.id as string, true))!;
    const version = row.ip_version as IpVersion;
    validateSubnet(
      {
        id: row.id,
        ipVersion: version,
        cidr: row.cidr,
        enableDhcp: changes.enable_dhcp as boolean | undefined,
        gatewayIp: changes.gateway_ip as string | null | undefined,
        dnsNameservers: changes.dns_nameservers as string[] | undefined,
        hostRoutes: changes.host_routes as HostRoute[] | undefined,
      },
      { enableDhcp: row.enable_dhcp, gatewayIp: row.gateway_ip, raMode: row.ipv6_ra_mode, addressMode: row.ipv6_address_mode },
    );
    const newGateway = changes.gateway_ip as string | null | undefined;
    if (newGateway && row.gateway_ip && !sameAddress(newGateway, row.gateway_ip)) await assertGatewayNotInUse(ctx, row.id, row.gateway_ip);

    const givenPools = changes.allocation_pools === undefined ? undefined : poolsToRanges(changes.allocation_pools as Record<string, string>[]);
    if (givenPools) validatePools(givenPools, parseIpNetwork(row.cidr), row.cidr);
    const gateway = newGateway === undefined ? row.gateway_ip : newGateway;
    const pools = givenPools?.map((p) => p.range).sort((a, b) => (a.first < b.first ? -1 : 1)) ?? subnetInfo(row).pools;
    if (gateway && (gateway !== row.gateway_ip || givenPools)) checkGatewayOutOfPools(gateway, pools, version);

    const next = revised(row, {
      ...pick(changes, ['name', 'description', 'enable_dhcp', 'gateway_ip', 'dns_nameservers']),
      ...(changes.host_routes !== undefined ? { host_routes: canonicalRoutes(changes.host_routes as HostRoute[]) } : {}),
      ...(givenPools ? { allocation_pools: pools.map((p) => ({ start: formatAddress(p.first, version), end: formatAddress(p.last, version) })) } : {}),
    });
    await ctx.em.getRepository(SubnetEntity).update({ id: next.id }, next);
    if (givenPools && JSON.stringify(next.allocation_pools) !== JSON.stringify(row.allocation_pools)) await this.ipam.resetPools(ctx, subnetInfo(next));
    await bumpRevision(ctx, 'networks', row.network_id);
    return present(next, current.shared as boolean);
  }

  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    const row = (await this.findRow(ctx, current.id as string, true))!;
    await assertSubnetDeletable(ctx, subnetInfo(row));
    // Addresses of DHCP ports (and SLAAC addresses of ordinary ports) go with the subnet, as Neutron removes them.
    await ctx.em.getRepository(SubnetEntity).delete({ id: row.id });
    await bumpRevision(ctx, 'networks', row.network_id);
  }

  /**
   * The CIDR comes from the pool (the requested one if free, else the first free block of prefixlen). Neutron skips
   * _validate_subnet on this path; we run it once the CIDR is known.
   */
  private async allocateFromPool(
    ctx: RequestContext,
    item: ApiObject,
    subnetpoolId: string,
    requested: string | undefined,
  ): Promise<{ cidr: string; gateway: string | null }> {
    const ipVersion = item.ip_version as IpVersion;
    const allocated = await this.pools.allocateCidr(ctx, {
      subnetpoolId,
      projectId: item.project_id as string,
      ipVersion,
      cidr: requested,
      prefixlen: item.prefixlen as number | undefined,
    });
    const cidr = canonicalCidr(allocated.cidr);
    const net = parseIpNetwork(cidr);
    // An "any subnet" request gets the first address as gateway, even for IPv6 (subnet_alloc._allocate_any_subnet).
    const gateway = requested
      ? gatewayOf(item, cidr)
      : ((item.gateway_ip as string | null | undefined) ?? formatAddress(cidrBounds(net).first + 1n, net.version));
    validateSubnet({ ...specOf(item, ipVersion, cidr), gatewayIp: gateway });
    return { cidr, gateway };
  }

  private async subnetpoolId(ctx: RequestContext, item: ApiObject, cidr: string | undefined): Promise<string | undefined> {
    const useDefault = item.use_default_subnetpool === true;
    const given = (item.subnetpool_id as string | null | undefined) ?? undefined;
    if (useDefault && given) throw badSubnetsRequest('subnetpool_id and use_default_subnetpool cannot both be specified');
    if (given || !useDefault) return given;
    const version = cidr ? parseIpNetwork(cidr).version : (item.ip_version as number);
    const id = await this.pools.defaultPoolId(ctx, version);
    if (!id) throw badSubnetsRequest(`No default subnetpool found for IPv${version}`);
    return id;
  }

  /** Serialises subnet creation per network (overlap and pool-affinity checks) on PostgreSQL. */
  private async lockNetwork(ctx: RequestContext, id: string): Promise<NetworkRow> {
    const qb = ctx.em.getRepository(NetworkEntity).createQueryBuilder('n').where('n.id = :id', { id });
    if (isPostgres(ctx.em)) qb.setLock('pessimistic_write');
    const network = await qb.getOne();
    if (!network) throw networkNotFound(id);
    return network;
  }

  private findRow(ctx: RequestContext, id: string, lock: boolean): Promise<SubnetRow | null> {
    const qb = ctx.em.getRepository(SubnetEntity).createQueryBuilder('s').where('s.id = :id', { id });
    if (lock && ctx.forUpdate && isPostgres(ctx.em)) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  private async sharedFlags(ctx: RequestContext, rows: SubnetRow[]): Promise<Map<string, boolean>> {
    const ids = [...new Set(rows.map((r) => r.network_id))];
    if (!ids.length) return new Map();
    const networks = await ctx.em.getRepository(NetworkEntity).find({ select: { id: true, shared: true }, where: { id: In(ids) } });
    return new Map(networks.map((n) => [n.id, n.shared]));
  }
}

function present(row: SubnetRow, shared: boolean): ApiObject {
  return {
    ...presentStandard(row, undefined),
    name: row.name,
    network_id: row.network_id,
    ip_version: row.ip_version,
    subnetpool_id: row.subnetpool_id,
    cidr: row.cidr,
    gateway_ip: row.gateway_ip,
    allocation_pools: row.allocation_pools,
    dns_nameservers: row.dns_nameservers,
    host_routes: row.host_routes,
    enable_dhcp: row.enable_dhcp,
    ipv6_ra_mode: row.ipv6_ra_mode,
    ipv6_address_mode: row.ipv6_address_mode,
    shared,
  };
}

/** '%s/%s' % (net.network, net.prefixlen): host bits cleared. */
function canonicalCidr(text: string): string {
  const net = parseIpNetwork(text);
  return `${formatAddress(cidrBounds(net).first, net.version)}/${net.prefixlen}`;
}

function gatewayOf(item: ApiObject, cidr: string): string | null {
  return item.gateway_ip === undefined ? defaultGateway(parseIpNetwork(cidr)) : (item.gateway_ip as string | null);
}

function specOf(item: ApiObject, ipVersion: IpVersion, cidr: string) {
  return {
    ipVersion,
    cidr,
    enableDhcp: item.enable_dhcp as boolean,
    gatewayIp: item.gateway_ip as string | null | undefined,
    dnsNameservers: item.dns_nameservers as string[] | undefined,
    hostRoutes: item.host_routes as HostRoute[] | undefined,
    raMode: item.ipv6_ra_mode as string | undefined,
    addressMode: item.ipv6_address_mode as string | undefined,
  };
}

function canonicalRoutes(routes: HostRoute[] | undefined): HostRoute[] {
  return (routes ?? []).map((r) => {
    const dest = parseIpNetwork(r.destination);
    const hop = parseAddress(r.nexthop)!;
    return { destination: `${formatIp(dest)}/${dest.prefixlen}`, nexthop: formatAddress(hop.value, hop.version) };
  });
}

function sameAddress(a: string, b: string): boolean {
  const x = parseAddress(a);
  const y = parseAddress(b);
  return !!x && !!y && x.version === y.version && x.value === y.value;
}

/** _validate_network_subnetpools: per IP version, all subnets of a network come from the same pool (or none). */
function assertPoolAffinity(siblings: SubnetRow[], ipVersion: number, subnetpoolId: string | null): void {
  const clash = siblings.some((s) => s.ip_version === ipVersion && (s.subnetpool_id ?? null) !== subnetpoolId);
  if (clash) throw networkSubnetPoolAffinity();
}

function pick(obj: ApiObject, keys: string[]): ApiObject {
  return Object.fromEntries(keys.filter((k) => k in obj).map((k) => [k, obj[k]]));
}
