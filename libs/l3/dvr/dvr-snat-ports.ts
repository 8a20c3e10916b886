import { Inject, Injectable } from '@nestjs/common';
import { ResourceEvents, type ResourcePayload } from '../../api/events/resource-events.js';
import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';
import { sqlRows } from '../../db/index.js';
import { type FixedIp, IPAM, type Ipam } from '../../plugin/ipam/ipam.contract.js';
import { PORTS_TABLE } from '../../plugin/ports/ports.contract.js';
import { L3Ports } from '../l3-ports.js';
import { DVR_INTERFACE_OWNER, ROUTER_PORTS_TABLE, ROUTER_SNAT_OWNER, RouterEntity, RouterPortEntity } from '../l3.entities.js';

const NAME = { name: 'dvr-snat-ports' };

interface RouterPortRef {
  id: string;
  network_id: string;
  fixed_ips: FixedIp[];
}

const isV6 = (ip: FixedIp) => ip.ip_address.includes(':');
const subnetsOf = (port: ApiObject | RouterPortRef) => ((port.fixed_ips as FixedIp[] | undefined) ?? []).map((ip) => ip.subnet_id);

/**
 * A distributed router's centralized SNAT ports (l3_dvr_db's DVRResourceOperationHandler), which Neutron makes in
 * the API whichever agents run: while the router has a gateway, one `network:router_centralized_snat` port of
 * project '' per IPv4 subnet of its interfaces and one per network for its IPv6 subnets, each a router port. They
 * come when a distributed router gets its gateway or a legacy one with a gateway becomes distributed (_create_snat_
 * interfaces_after_change), and with each new interface of a distributed router with a gateway
 * (_add_csnat_on_interface_create, a further IPv6 subnet joining the network's port: _update_snat_v6_addrs_after_
 * intf_update); they go with the gateway (_delete_dvr_internal_ports), with the distributed flag
 * (_delete_snat_interfaces_after_change) and with their interface (_cleanup_after_interface_removal). The router's
 * own interface writes are told apart from a user's port updates by L3Ports.isOwnWrite. Nothing hosts them here: no
 * dvr_snat agent runs in the appliance.
 */
@Injectable()
export class DvrSnatPorts {
  constructor(
    @Inject(ResourceEvents) private readonly events: ResourceEvents,
    @Inject(L3Ports) private readonly ports: L3Ports,
    @Inject(IPAM) private readonly ipam: Ipam,
  ) {}

  /** All in the write's unit of work (precommit): the SNAT ports come and go with what made them. */
  subscribe(): void {
    this.events.subscribe('router', 'precommit_update', (p) => this.routerUpdated(p), NAME);
    this.events.subscribe('port', 'precommit_create', (p) => this.interfaceCreated(p.ctx, p.latest!), NAME);
    this.events.subscribe('port', 'precommit_update', (p) => this.interfaceUpdated(p), NAME);
    this.events.subscribe('port', 'precommit_delete', (p) => this.interfaceDeleted(p), NAME);
  }

  private async routerUpdated({ ctx, original, latest }: ResourcePayload): Promise<void> {
    const [was, is] = [original!, latest!];
    const routerId = is.id as string;
    if (is.distributed === true && is.external_gateway_info && (was.distributed !== true || !was.external_gateway_info)) {
      await this.createAll(ctx, routerId);
    } else if (was.distributed === true && was.external_gateway_info && (!is.external_gateway_info || is.distributed !== true)) {
      for (const port of await this.snatPorts(ctx, routerId)) await this.ports.delete(ctx, port.id);
    }
  }

  /** A new interface port of a distributed router (by subnet). */
  private async interfaceCreated(ctx: RequestContext, port: ApiObject): Promise<void> {
    if (port.device_owner !== DVR_INTERFACE_OWNER || !port.device_id) return;
    await this.forNewInterface(ctx, port);
  }

  private async interfaceUpdated({ ctx, original, latest }: ResourcePayload): Promise<void> {
    const port = latest!;
    if (port.device_owner !== DVR_INTERFACE_OWNER || !port.device_id || !this.ports.isOwnWrite(port.id as string)) return;
    // A port the router took over (by port).
    if (original!.device_owner !== DVR_INTERFACE_OWNER) return this.forNewInterface(ctx, port);
    const before = new Set(subnetsOf(original!));
    const after = new Set(subnetsOf(port));
    const added = (port.fixed_ips as FixedIp[]).filter((ip) => !before.has(ip.subnet_id) && isV6(ip)).map((ip) => ip.subnet_id);
    const removed = [...before].filter((s) => !after.has(s));
    if (!added.length && !removed.length) return;
    const routerId = port.device_id as string;
    const v6 = (await this.snatPorts(ctx, routerId)).find((p) => p.network_id === port.network_id && p.fixed_ips.some(isV6));
    if (added.length && v6) await this.setSubnets(ctx, v6, [...subnetsOf(v6), ...added]);
    if (removed.length) await this.dropSubnets(ctx, await this.snatPorts(ctx, routerId), removed);
  }

  private async interfaceDeleted({ ctx, original }: ResourcePayload): Promise<void> {
    const port = original!;
    if (port.device_owner !== DVR_INTERFACE_OWNER || !port.device_id) return;
    await this.dropSubnets(ctx, await this.snatPorts(ctx, port.device_id as string), subnetsOf(port));
  }

  private async forNewInterface(ctx: RequestContext, port: ApiObject): Promise<void> {
    const routerId = port.device_id as string;
    if (!(await this.hasGateway(ctx, routerId))) return;
    const ips = port.fixed_ips as FixedIp[];
    if (ips.length) await this.createOne(ctx, routerId, port.network_id as string, [ips[ips.length - 1].subnet_id]);
  }

  /** _create_snat_intf_ports_if_not_exists: none yet, one per IPv4 subnet of the interfaces, one for the IPv6 ones. */
  private async createAll(ctx: RequestContext, routerId: string): Promise<void> {
    if ((await this.snatPorts(ctx, routerId)).length) return;
    const v6: string[] = [];
    let v6Network: string | undefined;
    for (const intf of await this.routerPortsOf(ctx, routerId, DVR_INTERFACE_OWNER)) {
      for (const ip of intf.fixed_ips) {
        if (!isV6(ip)) await this.createOne(ctx, routerId, intf.network_id, [ip.subnet_id]);
        else {
          v6.push(ip.subnet_id);
          v6Network = intf.network_id;
        }
      }
    }
    if (v6Network) await this.createOne(ctx, routerId, v6Network, v6);
  }

  private async createOne(ctx: RequestContext, routerId: string, networkId: string, subnetIds: string[]): Promise<void> {
    const port = await this.ports.create(ctx, {
      networkId,
      projectId: '',
      deviceId: routerId,
      deviceOwner: ROUTER_SNAT_OWNER,
      fixedIps: subnetIds.map((subnet_id) => ({ subnet_id })),
    });
    await ctx.em.getRepository(RouterPortEntity).insert({ router_id: routerId, port_id: port.id as string, port_type: ROUTER_SNAT_OWNER });
  }

  /** A subnet leaving the router: out of a multi-prefix IPv6 SNAT port, else that subnet's SNAT port goes. */
  private async dropSubnets(ctx: RequestContext, snat: RouterPortRef[], subnetIds: string[]): Promise<void> {
    const gone = new Set(subnetIds);
    for (const port of snat) {
      const kept = subnetsOf(port).filter((s) => !gone.has(s));
      if (kept.length === port.fixed_ips.length) continue;
      if (kept.length) await this.setSubnets(ctx, port, kept);
      else await this.ports.delete(ctx, port.id);
    }
  }

  private async setSubnets(ctx: RequestContext, port: RouterPortRef, subnetIds: string[]): Promise<void> {
    const keep = port.fixed_ips.filter((ip) => subnetIds.includes(ip.subnet_id));
    const add = subnetIds.filter((s) => !keep.some((ip) => ip.subnet_id === s)).map((subnet_id) => ({ subnet_id }));
    await this.ports.update(ctx, port.id, { fixed_ips: [...keep.map((ip) => ({ subnet_id: ip.subnet_id, ip_address: ip.ip_address })), ...add] });
  }

  private snatPorts(ctx: RequestContext, routerId: string): Promise<RouterPortRef[]> {
    return this.routerPortsOf(ctx, routerId, ROUTER_SNAT_OWNER);
  }

  /** The router's ports with this device owner, oldest first, with their addresses. */
  private async routerPortsOf(ctx: RequestContext, routerId: string, owner: string): Promise<RouterPortRef[]> {
    const rows = await sqlRows<{ id: string; network_id: string }>(
      ctx.em,
      `SELECT p.id AS id, p.network_id AS network_id FROM ${ROUTER_PORTS_TABLE} rp JOIN ${PORTS_TABLE} p ON p.id = rp.port_id
       WHERE rp.router_id = ? AND p.device_owner = ? ORDER BY p.created_at, p.id`,
      [routerId, owner],
    );
    if (!rows.length) return [];
    const ips = await this.ipam.loadForPorts(ctx, rows.map((r) => r.id));
    return rows.map((r) => ({ ...r, fixed_ips: ips.get(r.id) ?? [] }));
  }

  private async hasGateway(ctx: RequestContext, routerId: string): Promise<boolean> {
    const router = await ctx.em.getRepository(RouterEntity).findOne({ select: { gw_port_id: true }, where: { id: routerId } });
    return !!router?.gw_port_id;
  }
}
