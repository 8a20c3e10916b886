import { Inject, Injectable } from '@nestjs/common';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { ResourceWriter } from '../../api/engine/resource-writer.js';
import { invalidInput } from '../../api/errors/neutron-error.js';
import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';
import { parseIpNetwork } from '../../api/validators/ip.js';
import { hostroutesReason, validateUuid } from '../../api/validators/index.js';
import { anyOf, anyOfSql } from '../../db/index.js';
import { cidrBounds, inRange, parseAddress } from '../../plugin/ipam/ip-math.js';
import { type FixedIp, IP_ALLOCATIONS_TABLE, IPAM, type Ipam } from '../../plugin/ipam/ipam.contract.js';
import type { SubnetRow } from '../../plugin/subnets/subnet.entity.js';
import { L3Ports } from '../l3-ports.js';
import { FloatingIpEntity, PortForwardingEntity, ROUTER_GATEWAY_OWNER, ROUTER_INTERFACE_OWNER, RouterPortEntity } from '../l3.entities.js';
import {
  l3BadRequest,
  portInUse,
  portNotFound,
  routerInterfaceInUseByFloatingIp,
  routerInterfaceInUseByRoute,
  routerInterfaceNotFound,
  routerInterfaceNotFoundForSubnet,
  subnetMismatchForPort,
  subnetNotFound,
} from '../l3.errors.js';
import { addressInCidr, addRoutes, removeRoutes, type Route } from './extra-routes.js';
import type { RouterActions } from './router-actions.js';
import { addRouterPort, findNetwork, findSubnet, findSubnets, loadRoutes, networkSubnets, routerPorts, type RouterPortView } from './router.store.js';
import { L3Scheduler } from '../scheduler/l3-scheduler.service.js';
import { interfaceOwnerOf } from '../dvr/router-migration.js';

interface InterfaceInfo {
  port_id?: string;
  subnet_id?: string;
}

/**
 * add/remove_router_interface (by subnet: a new `network:router_interface` port on the subnet's gateway address; by
 * port: the caller's port becomes the router's) and add/remove_extraroutes, as l3_db and extraroute_db do them.
 */
@Injectable()
export class RouterInterfaces implements RouterActions {
  constructor(
    @Inject(IPAM) private readonly ipam: Ipam,
    @Inject(L3Ports) private readonly ports: L3Ports,
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(ResourceWriter) private readonly writer: ResourceWriter,
    @Inject(L3Scheduler) private readonly scheduler: L3Scheduler,
  ) {}

  async addInterface(ctx: RequestContext, router: ApiObject, body: ApiObject | undefined): Promise<ApiObject> {
    const info = interfaceInfo(body, false);
    const routerId = router.id as string;
    if (info.port_id) return this.addByPort(ctx, router, info.port_id);
    const subnet = await this.visibleSubnet(ctx, info.subnet_id!);
    if (!subnet.gateway_ip) throw l3BadRequest('router', 'Subnet for router interface must have a gateway IP');
    if (subnet.project_id !== ctx.projectId && !ctx.isAdmin) {
      const network = await findNetwork(ctx.em, subnet.network_id);
      if (!network?.shared) {
        throw l3BadRequest('router', `Cannot add interface to router because subnet ${subnet.id} is not owned by project making the request`);
      }
    }
    assertAddressMode(subnet);
    const attached = await routerPorts(ctx, this.ipam, routerId);
    await this.assertNoDuplicateSubnets(ctx, attached, [subnet]);
    const fixedIp = { ip_address: subnet.gateway_ip, subnet_id: subnet.id };
    if (subnet.ip_version === 6) {
      // One router port per network carries all its IPv6 subnets.
      const v6 = attached.find((p) => p.port_type === ROUTER_INTERFACE_OWNER && p.network_id === subnet.network_id && hasIpv6(p.fixed_ips));
      if (v6) {
        const port = await this.ports.update(ctx, v6.id, { fixed_ips: [...v6.fixed_ips, fixedIp] });
        return interfaceBody(routerId, port, [subnet]);
      }
    }
    // Bound at once to the host whose live L3 agent hosts the router: what that agent's sync_routers would do a
    // moment later (_ensure_host_set_on_port), without a second write of the port.
    const port = await this.ports.create(ctx, {
      networkId: subnet.network_id,
      projectId: router.project_id as string,
      deviceId: routerId,
      deviceOwner: interfaceOwnerOf(router),
      fixedIps: [fixedIp],
      host: await this.scheduler.liveHost(ctx.em, routerId),
    });
    await addRouterPort(ctx.em, routerId, port.id as string, ROUTER_INTERFACE_OWNER);
    return interfaceBody(routerId, port, [subnet]);
  }

  async removeInterface(ctx: RequestContext, router: ApiObject, body: ApiObject | undefined): Promise<ApiObject> {
    const info = interfaceInfo(body, true);
    const routerId = router.id as string;
    if (info.port_id) {
      const link = await ctx.em.getRepository(RouterPortEntity).findOneBy({ router_id: routerId, port_id: info.port_id, port_type: ROUTER_INTERFACE_OWNER });
      const port = link ? await this.ports.get(ctx, info.port_id) : undefined;
      if (!port) throw routerInterfaceNotFound(routerId, info.port_id);
      const subnetIds = this.ports.fixedIps(port).map((ip) => ip.subnet_id);
      if (info.subnet_id && !subnetIds.includes(info.subnet_id)) throw subnetMismatchForPort(info.port_id, info.subnet_id);
      const subnets = await findSubnets(ctx.em, subnetIds);
      for (const subnet of subnets) await this.assertInterfaceNotInUse(ctx, routerId, subnet);
      await this.ports.delete(ctx, info.port_id);
      return interfaceBody(routerId, port, subnets);
    }
    const subnet = await this.visibleSubnet(ctx, info.subnet_id!);
    const ports = (await routerPorts(ctx, this.ipam, routerId, ROUTER_INTERFACE_OWNER)).filter((p) => p.network_id === subnet.network_id);
    if (ports.length) await this.assertInterfaceNotInUse(ctx, routerId, subnet);
    for (const p of ports) {
      const subnetIds = p.fixed_ips.map((ip) => ip.subnet_id);
      if (!subnetIds.includes(subnet.id)) continue;
      const port = (await this.ports.get(ctx, p.id))!;
      if (subnetIds.length > 1) {
        await this.ports.update(ctx, p.id, { fixed_ips: p.fixed_ips.filter((ip) => ip.subnet_id !== subnet.id) });
      } else {
        await this.ports.delete(ctx, p.id);
      }
      return interfaceBody(routerId, port, [subnet]);
    }
    throw routerInterfaceNotFoundForSubnet(routerId, subnet.id);
  }

  addExtraRoutes(ctx: RequestContext, router: ApiObject, body: ApiObject | undefined): Promise<ApiObject> {
    return this.changeRoutes(ctx, router, body, addRoutes);
  }

  removeExtraRoutes(ctx: RequestContext, router: ApiObject, body: ApiObject | undefined): Promise<ApiObject> {
    return this.changeRoutes(ctx, router, body, removeRoutes);
  }

  private async changeRoutes(ctx: RequestContext, router: ApiObject, body: ApiObject | undefined, op: (old: Route[], given: Route[]) => Route[]): Promise<ApiObject> {
    const given = (body?.router as ApiObject | undefined)?.routes;
    const reason = hostroutesReason(given);
    if (reason) throw invalidInput(`Invalid input for routes. Reason: ${reason}`);
    const old = (await loadRoutes(ctx.em, [router.id as string])).get(router.id as string) ?? [];
    const updated = await this.writer.update(this.registry.definition('routers'), ctx, router, { routes: op(old, given as Route[]) });
    return { router: updated };
  }

  private async addByPort(ctx: RequestContext, router: ApiObject, portId: string): Promise<ApiObject> {
    const routerId = router.id as string;
    const ports = this.registry.definition('ports');
    const visible = await ports.service.get(ctx, portId);
    if (!visible) throw portNotFound(portId);
    if (visible.device_id !== '') throw portInUse(visible.network_id as string, portId, visible.device_id as string);
    const fixedIps = visible.fixed_ips as FixedIp[];
    if (!fixedIps.length) throw l3BadRequest('router', 'Router port must have at least one fixed IP');
    const subnets = await findSubnets(ctx.em, fixedIps.map((ip) => ip.subnet_id));
    subnets.forEach(assertAddressMode);
    const attached = await routerPorts(ctx, this.ipam, routerId);
    if (hasIpv6(fixedIps)) {
      const other = attached.find((p) => p.network_id === visible.network_id && hasIpv6(p.fixed_ips));
      if (other) {
        throw l3BadRequest(
          'router',
          'Cannot have multiple router ports with the same network id if both contain IPv6 subnets. ' +
            `Existing port ${other.id} has IPv6 subnet(s) and network id ${other.network_id}`,
        );
      }
    }
    await this.assertNoDuplicateSubnets(ctx, attached, subnets);
    if (subnets.filter((s) => s.ip_version === 4).length > 1) throw l3BadRequest('router', 'Cannot have multiple IPv4 subnets on router port');
    if (!ctx.isAdmin) assertInPoolOrOwned(ctx, subnets, visible);
    const port = await this.ports.update(ctx, portId, { device_id: routerId, device_owner: interfaceOwnerOf(router) });
    await addRouterPort(ctx.em, routerId, portId, ROUTER_INTERFACE_OWNER);
    return interfaceBody(routerId, port, subnets);
  }

  /** get_subnet as the caller: own subnets, and those of shared or external networks (else SubnetNotFound). */
  private async visibleSubnet(ctx: RequestContext, id: string): Promise<SubnetRow> {
    const subnet = await findSubnet(ctx.em, id);
    if (!subnet) throw subnetNotFound(id);
    if (ctx.isAdmin || subnet.project_id === ctx.projectId) return subnet;
    const network = await findNetwork(ctx.em, subnet.network_id);
    if (network && (network.shared || network.router_external || network.project_id === ctx.projectId)) return subnet;
    throw subnetNotFound(id);
  }

  /** _check_for_dup_router_subnets: one port per subnet, and no overlap with any subnet the router reaches. */
  private async assertNoDuplicateSubnets(ctx: RequestContext, attached: RouterPortView[], added: SubnetRow[]): Promise<void> {
    const addedIds = new Set(added.map((s) => s.id));
    const reached: string[] = [];
    for (const port of attached) {
      for (const ip of port.fixed_ips) {
        if (addedIds.has(ip.subnet_id)) throw l3BadRequest('router', `Router already has a port on subnet ${ip.subnet_id}`);
        if (port.port_type !== ROUTER_GATEWAY_OWNER) reached.push(ip.subnet_id);
      }
      if (port.port_type === ROUTER_GATEWAY_OWNER) reached.push(...(await networkSubnets(ctx.em, port.network_id)).map((s) => s.id));
    }
    for (const sub of await findSubnets(ctx.em, reached)) {
      const mine = parseIpNetwork(sub.cidr);
      for (const s of added) {
        const theirs = parseIpNetwork(s.cidr);
        if (mine.version !== theirs.version) continue;
        const a = cidrBounds(mine);
        const b = cidrBounds(theirs);
        if (a.first <= b.last && b.first <= a.last) {
          throw l3BadRequest('router', `Cidr ${s.cidr} of subnet ${s.id} overlaps with cidr ${sub.cidr} of subnet ${sub.id}`);
        }
      }
    }
  }

  /** _confirm_router_interface_not_in_use: floating IPs (and their port forwardings) and extra routes through it. */
  private async assertInterfaceNotInUse(ctx: RequestContext, routerId: string, subnet: SubnetRow): Promise<void> {
    const fips = await ctx.em.getRepository(FloatingIpEntity).findBy({ router_id: routerId });
    const forwarded = fips.length ? await ctx.em.getRepository(PortForwardingEntity).findBy({ floatingip_id: anyOf(ctx.em, fips.map((f) => f.id)) }) : [];
    const internal = [
      ...fips.map((f) => ({ address: f.fixed_ip_address, port: f.fixed_port_id })),
      ...forwarded.map((pf) => ({ address: pf.internal_ip_address, port: pf.internal_port_id })),
    ].filter((i): i is { address: string; port: string } => !!i.address && !!i.port && addressInCidr(i.address, subnet.cidr));
    if (internal.length) {
      const [inSql, params] = anyOfSql(ctx.em, 'a.port_id', internal.map((i) => i.port));
      const allocated = await ctx.em
        .createQueryBuilder()
        .select('a.port_id', 'port_id')
        .from(IP_ALLOCATIONS_TABLE, 'a')
        .where('a.subnet_id = :id', { id: subnet.id })
        .andWhere(inSql, params)
        .getRawMany<{ port_id: string }>();
      if (allocated.length) throw routerInterfaceInUseByFloatingIp(routerId, subnet.id);
    }
    const routes = (await loadRoutes(ctx.em, [routerId])).get(routerId) ?? [];
    if (routes.some((r) => addressInCidr(r.nexthop, subnet.cidr))) throw routerInterfaceInUseByRoute(routerId, subnet.id);
  }
}

/** _validate_interface_info. */
function interfaceInfo(body: ApiObject | undefined, forRemoval: boolean): InterfaceInfo {
  const info = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const byPort = 'port_id' in info;
  const bySubnet = 'subnet_id' in info;
  if (!byPort && !bySubnet) throw l3BadRequest('router', 'Either subnet_id or port_id must be specified');
  for (const key of ['port_id', 'subnet_id']) {
    if (!(key in info)) continue;
    const reason = validateUuid()(info[key]);
    if (reason) throw l3BadRequest('router', reason);
  }
  if (!forRemoval && byPort && bySubnet) throw l3BadRequest('router', 'Cannot specify both subnet-id and port-id');
  return { port_id: info.port_id as string | undefined, subnet_id: info.subnet_id as string | undefined };
}

function assertAddressMode(subnet: SubnetRow): void {
  if (subnet.ip_version === 6 && subnet.ipv6_ra_mode === null && subnet.ipv6_address_mode !== null) {
    throw l3BadRequest('router', `IPv6 subnet ${subnet.id} configured to receive RAs from an external router cannot be added to Neutron Router.`);
  }
}

const hasIpv6 = (ips: FixedIp[]) => ips.some((ip) => ip.ip_address.includes(':'));

/** _validate_port_in_range_or_admin: an address outside the pools only on the caller's own subnet. */
function assertInPoolOrOwned(ctx: RequestContext, subnets: SubnetRow[], port: ApiObject): void {
  for (const ip of port.fixed_ips as FixedIp[]) {
    const subnet = subnets.find((s) => s.id === ip.subnet_id);
    if (!subnet || subnet.project_id === ctx.projectId) continue;
    const value = parseAddress(ip.ip_address)?.value;
    const inPool = subnet.allocation_pools.some((pool) => {
      const first = parseAddress(pool.start)?.value;
      const last = parseAddress(pool.end)?.value;
      return value !== undefined && first !== undefined && last !== undefined && inRange(value, { first, last });
    });
    if (!inPool) {
      throw l3BadRequest(
        'router',
        `Cannot add interface to router because specified port ${port.id as string} has an IP address out of the allocation pool of subnet ${subnet.id}, which is not owned by the project making the request`,
      );
    }
  }
}

/** _make_router_interface_info. */
function interfaceBody(routerId: string, port: ApiObject, subnets: SubnetRow[]): ApiObject {
  return {
    id: routerId,
    tenant_id: port.project_id,
    port_id: port.id,
    network_id: port.network_id,
    subnet_id: subnets[subnets.length - 1]?.id,
    subnet_ids: subnets.map((s) => s.id),
  };
}
