import { Inject, Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../../api/resource/resource-definition.js';
import { newStandardColumns, presentStandard, revised } from '../../api/resource/standard-row.js';
import { runListQuery } from '../../api/sql/list-query.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { sqlLock } from '../../db/index.js';
import { type FixedIp, type FixedIpRequest, IPAM, type Ipam } from '../../plugin/ipam/ipam.contract.js';
import { L3Ports } from '../l3-ports.js';
import { ROUTER_GATEWAY_OWNER, RouterEntity, RouterPortEntity, RouterRouteEntity, type RouterRow } from '../l3.entities.js';
import {
  availabilityZoneNotFound,
  gatewayInUseByFloatingIp,
  l3BadRequest,
  l3PolicyNotAuthorized,
  networkNotFound,
  routerInUse,
  routerNotFound,
} from '../l3.errors.js';
import { assertValidRoutes, diffRoutes, type Route } from './extra-routes.js';
import { L3Scheduler } from '../scheduler/l3-scheduler.service.js';
import { GATEWAY_KEYS, routerAttributes } from './router.definition.js';
import { findNetwork, findSubnets, floatingIpsOfRouter, type GatewayView, interfacePorts, loadGateways, loadRoutes, networkSubnets, routerPorts, selectRouterRow } from './router.store.js';

interface GatewayInfo {
  network_id: string;
  enable_snat?: boolean;
  external_fixed_ips?: FixedIpRequest[];
}

/**
 * Routers (l3_db, l3_gwmode_db, extraroute_db): CRUD, the external gateway (a `network:router_gateway` port on an
 * external network, project '' as in Neutron) and the extra routes. Interfaces are RouterInterfaces' business.
 */
@Injectable()
export class RoutersService implements ResourceService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(IPAM) private readonly ipam: Ipam,
    @Inject(L3Ports) private readonly ports: L3Ports,
    @Inject(L3Scheduler) private readonly scheduler: L3Scheduler,
  ) {}

  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    const qb = ctx.em.getRepository(RouterEntity).createQueryBuilder('r');
    if (!ctx.isAdmin) qb.where('r.project_id = :owner', { owner: ctx.projectId });
    const rows = await runListQuery(ctx.em, qb, query, { alias: 'r', attributes: routerAttributes, taggable: true, notFound: routerNotFound });
    return this.present(ctx, rows);
  }

  async get(ctx: RequestContext, id: string, fields: string[] = []): Promise<ApiObject | undefined> {
    const row = await this.findRow(ctx, id);
    if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId)) return undefined;
    return (await this.present(ctx, [row], undefined, fields))[0];
  }

  async create(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const info = gatewayOf(item.external_gateway_info);
    if (info) checkGatewayPolicy(ctx, 'create_router', info);
    const hints = (item.availability_zone_hints as string[] | undefined) ?? [];
    const unknown = hints.find((h) => !this.config.network.availability_zones.includes(h));
    if (unknown !== undefined) throw availabilityZoneNotFound(unknown);
    const row: RouterRow = {
      ...newStandardColumns(item),
      name: item.name as string,
      status: 'ACTIVE',
      admin_state_up: item.admin_state_up as boolean,
      gw_port_id: null,
      enable_snat: true,
      availability_zone_hints: hints,
    };
    await ctx.em.getRepository(RouterEntity).insert(row);
    if (info) await this.setGateway(ctx, row, info, []);
    // A new router has no routes yet (routes are not allowed on POST): nothing to read back.
    return (await this.present(ctx, [row], new Map()))[0];
  }

  async update(ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject> {
    const id = current.id as string;
    let row = (await this.findRow(ctx, id))!;
    if ('external_gateway_info' in changes) {
      const info = gatewayOf(changes.external_gateway_info);
      if (info) checkGatewayPolicy(ctx, 'update_router', info);
      await this.setGateway(ctx, row, info, (current.routes as Route[]) ?? []);
      row = (await this.findRow(ctx, id))!;
    }
    if ('routes' in changes) await this.replaceRoutes(ctx, id, (current.routes as Route[]) ?? [], changes.routes as Route[]);
    const next = revised(row, pick(changes, ['name', 'description', 'admin_state_up']));
    await ctx.em.getRepository(RouterEntity).update({ id }, next as QueryDeepPartialEntity<RouterRow>);
    return (await this.present(ctx, [next]))[0];
  }

  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    const id = current.id as string;
    if ((await interfacePorts(ctx, this.ipam, id)).length) throw routerInUse(id);
    const row = (await this.findRow(ctx, id))!;
    await this.removeGateway(ctx, row);
    await ctx.em.getRepository(RouterRouteEntity).delete({ router_id: id });
    await ctx.em.getRepository(RouterPortEntity).delete({ router_id: id });
    await ctx.em.getRepository(RouterEntity).delete({ id });
  }

  /** The router as the API shows it, read again (member actions answer with it). */
  async show(ctx: RequestContext, id: string): Promise<ApiObject> {
    const row = await this.findRow(ctx, id);
    if (!row) throw routerNotFound(id);
    return (await this.present(ctx, [row]))[0];
  }

  /** extraroute_db._update_extra_routes: validated against the router's current subnets and addresses. */
  async replaceRoutes(ctx: RequestContext, routerId: string, old: Route[], routes: Route[]): Promise<void> {
    const ports = await routerPorts(ctx, this.ipam, routerId);
    const ips = ports.flatMap((p) => p.fixed_ips);
    const subnets = await findSubnets(ctx.em, ips.map((ip) => ip.subnet_id));
    const gateway = ports.find((p) => p.port_type === ROUTER_GATEWAY_OWNER);
    const gwSubnets = gateway ? await networkSubnets(ctx.em, gateway.network_id) : [];
    const cidrs = [...subnets, ...gwSubnets].map((s) => s.cidr);
    assertValidRoutes(routerId, routes, cidrs, ips.map((ip) => ip.ip_address));
    const { added, removed } = diffRoutes(old, routes);
    const repo = ctx.em.getRepository(RouterRouteEntity);
    for (const r of removed) await repo.delete({ router_id: routerId, destination: r.destination, nexthop: r.nexthop });
    if (added.length) await repo.insert(added.map((r) => ({ router_id: routerId, destination: r.destination, nexthop: r.nexthop })));
  }

  /** _update_router_gw_info: clear, keep (snat / addresses changed) or move the gateway. */
  private async setGateway(ctx: RequestContext, row: RouterRow, info: GatewayInfo | undefined, routes: Route[]): Promise<void> {
    const repo = ctx.em.getRepository(RouterEntity);
    if (!info) {
      await this.removeGateway(ctx, row);
      await repo.update({ id: row.id }, { gw_port_id: null, enable_snat: true });
      return;
    }
    const network = await findNetwork(ctx.em, info.network_id);
    if (!network) throw networkNotFound(info.network_id);
    if (!network.router_external) throw l3BadRequest('router', `Network ${info.network_id} is not an external network`);
    const subnets = await networkSubnets(ctx.em, network.id);
    for (const ip of info.external_fixed_ips ?? []) {
      if (ip.ip_address && subnets.some((s) => s.gateway_ip === ip.ip_address)) {
        throw l3BadRequest('router', `External IP ${ip.ip_address} is the same as the gateway IP`);
      }
    }
    const enableSnat = info.enable_snat ?? true;
    const current = row.gw_port_id ? await this.ports.get(ctx, row.gw_port_id) : undefined;
    if (current && current.network_id === network.id) {
      if (info.external_fixed_ips && addressesDiffer(this.ports.fixedIps(current), info.external_fixed_ips)) {
        await this.ports.update(ctx, current.id as string, { fixed_ips: info.external_fixed_ips });
      }
      await repo.update({ id: row.id }, { enable_snat: enableSnat });
      return;
    }
    if (current) await this.removeGateway(ctx, row);
    if (routes.length) {
      // The routes must stay reachable through the interfaces and the new gateway's subnets.
      const ports = (await routerPorts(ctx, this.ipam, row.id)).filter((p) => p.port_type !== ROUTER_GATEWAY_OWNER);
      const ips = ports.flatMap((p) => p.fixed_ips);
      const cidrs = [...(await findSubnets(ctx.em, ips.map((ip) => ip.subnet_id))), ...subnets].map((s) => s.cidr);
      assertValidRoutes(row.id, routes, cidrs, ips.map((ip) => ip.ip_address));
    }
    const port = await this.ports.create(ctx, {
      networkId: network.id,
      projectId: '',
      deviceId: row.id,
      deviceOwner: ROUTER_GATEWAY_OWNER,
      fixedIps: info.external_fixed_ips,
      // bound at once when a live agent hosts the router already (see RouterInterfaces.addInterface)
      host: await this.scheduler.liveHost(ctx.em, row.id),
    });
    await ctx.em.getRepository(RouterPortEntity).insert({ router_id: row.id, port_id: port.id as string, port_type: ROUTER_GATEWAY_OWNER });
    await repo.update({ id: row.id }, { gw_port_id: port.id as string, enable_snat: enableSnat });
    row.gw_port_id = port.id as string;
  }

  /** _delete_current_gw_port: refused while floating IPs go through the router. */
  private async removeGateway(ctx: RequestContext, row: RouterRow): Promise<void> {
    if (!row.gw_port_id) return;
    const gw = await this.ports.get(ctx, row.gw_port_id);
    if ((await floatingIpsOfRouter(ctx.em, row.id)).length) throw gatewayInUseByFloatingIp(row.id, (gw?.network_id as string) ?? '');
    await ctx.em.getRepository(RouterEntity).update({ id: row.id }, { gw_port_id: null });
    await ctx.em.getRepository(RouterPortEntity).delete({ port_id: row.gw_port_id });
    await this.ports.delete(ctx, row.gw_port_id);
    row.gw_port_id = null;
  }

  /** The routers as the API shows them; with `fields`, the gateway and routes only when asked for. */
  private async present(ctx: RequestContext, rows: RouterRow[], knownRoutes?: Map<string, Route[]>, fields: string[] = []): Promise<ApiObject[]> {
    const wants = (attr: string) => !fields.length || fields.includes(attr);
    const gateways = wants('external_gateway_info') ? await loadGateways(ctx, this.ipam, rows) : new Map<string, GatewayView>();
    const routes = knownRoutes ?? (wants('routes') ? await loadRoutes(ctx.em, rows.map((r) => r.id)) : new Map<string, Route[]>());
    return rows.map((row) => ({
      ...presentStandard(row, undefined),
      name: row.name,
      admin_state_up: row.admin_state_up,
      status: row.status,
      external_gateway_info: presentGateway(gateways.get(row.id), row.enable_snat),
      routes: routes.get(row.id) ?? [],
      availability_zone_hints: row.availability_zone_hints,
      // Where a router runs is where its L3 agents are: none scheduled, none listed.
      availability_zones: [],
      flavor_id: null,
    }));
  }

  private findRow(ctx: RequestContext, id: string): Promise<RouterRow | null> {
    return selectRouterRow(ctx.em, id, ctx.forUpdate ? sqlLock(ctx.em, 'UPDATE') : '');
  }
}

function presentGateway(gw: GatewayView | undefined, enableSnat: boolean): ApiObject | null {
  if (!gw) return null;
  return { network_id: gw.network_id, external_fixed_ips: gw.external_fixed_ips.map((ip) => ({ subnet_id: ip.subnet_id, ip_address: ip.ip_address })), enable_snat: enableSnat };
}

/** dict_or_nodata: a falsy value (null, {}) clears the gateway. */
function gatewayOf(value: unknown): GatewayInfo | undefined {
  if (!value || typeof value !== 'object' || !Object.keys(value).length) return undefined;
  return value as GatewayInfo;
}

/**
 * The gateway's sub-attribute rules (`<action>:external_gateway_info:<key>`), in declaration order: enable_snat and
 * external_fixed_ips are the admin's (Neutron's default policy), network_id the owner's.
 */
function checkGatewayPolicy(ctx: RequestContext, action: 'create_router' | 'update_router', info: GatewayInfo): void {
  if (ctx.isAdmin) return;
  const present = GATEWAY_KEYS.filter((k) => Object.hasOwn(info, k));
  if (!present.some((k) => k !== 'network_id')) return;
  const subRules = present.map((k) => `rule:${action}:external_gateway_info:${k}`).join(' and ');
  throw l3PolicyNotAuthorized(`rule:${action} and (rule:${action}:external_gateway_info and (${subRules}))`);
}

/** _check_for_external_ip_change: another subnet, or another explicit address. */
function addressesDiffer(current: FixedIp[], requested: FixedIpRequest[]): boolean {
  if (requested.length !== current.length) return true;
  return requested.some((r) => !current.some((c) => (!r.subnet_id || r.subnet_id === c.subnet_id) && (!r.ip_address || r.ip_address === c.ip_address)));
}

function pick(obj: ApiObject, keys: string[]): Partial<RouterRow> {
  return Object.fromEntries(keys.filter((k) => k in obj).map((k) => [k, obj[k]])) as Partial<RouterRow>;
}
