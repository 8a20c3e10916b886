import { Inject, Injectable } from '@nestjs/common';
import { NeutronError } from '../api/errors/neutron-error.js';
import { ResourceEvents, type ResourcePayload } from '../api/events/resource-events.js';
import type { ApiObject, RequestContext } from '../api/resource/resource-definition.js';
import type { FixedIp, FixedIpRequest } from '../plugin/ipam/ipam.contract.js';
import { FloatingIpsService } from './floatingips/floatingips.service.js';
import { L3Ports } from './l3-ports.js';
import { PortForwardingsService } from './port-forwardings/port-forwardings.service.js';
import { ROUTER_INTERFACE_OWNERS as ANY_ROUTER_INTERFACE_OWNERS } from '../plugin/ipam/ipam.errors.js';
import { FLOATING_IP_OWNER, FloatingIpEntity, L3_PORT_OWNERS, PortForwardingEntity, ROUTER_INTERFACE_OWNER, ROUTER_INTERFACE_OWNERS, RouterEntity, RouterPortEntity } from './l3.entities.js';
import { servicePortInUse } from './l3.errors.js';
import { bumpRouterRevision, findSubnets } from './routers/router.store.js';

const NAME = { name: 'l3' };

const deviceIdNotOwnedByTenant = (deviceId: string) =>
  new NeutronError('DeviceIDNotOwnedByTenant', `The following device_id ${deviceId} is not owned by your tenant or matches another tenants router.`, 409);
const ipChangeNotAllowed = (portId: string) => new NeutronError('IPAddressChangeNotAllowed', `IP updates for port ${portId} are not allowed`, 400);

/**
 * How routers and floating IPs react to the core resources (l3_db's callbacks): a router's or floating IP's port is
 * not deleted through the port API; a deleted port loses its floating IPs; a router interface keeps its IPv4
 * addresses; a port does not claim another project's router; an external network takes its unassociated floating
 * IPs with it. Subnets with a router interface are already in use for the subnets domain (not an auto-delete owner),
 * and an external network with a router gateway is in use for the ports domain.
 */
@Injectable()
export class L3Subscribers {
  constructor(
    @Inject(ResourceEvents) private readonly events: ResourceEvents,
    @Inject(L3Ports) private readonly ports: L3Ports,
    @Inject(FloatingIpsService) private readonly floatingIps: FloatingIpsService,
    @Inject(PortForwardingsService) private readonly portForwardings: PortForwardingsService,
  ) {}

  subscribe(): void {
    this.events.subscribe('port', 'before_delete', (p) => this.portDelete(p), NAME);
    this.events.subscribe('port', 'precommit_delete', (p) => this.portGone(p), NAME);
    this.events.subscribe('port', 'before_create', (p) => this.checkRouterOwner(p.ctx, p.request!), NAME);
    this.events.subscribe('port', 'before_update', (p) => this.portUpdate(p), NAME);
    this.events.subscribe('network', 'before_delete', (p) => this.floatingIps.deleteDisassociated(p.ctx, p.resourceId!), NAME);
    // A floating IP forwarding ports is neither associated with a port nor deleted (pf_plugin's _check_floatingip_request).
    this.events.subscribe('floatingip', 'before_update', async ({ ctx, resourceId, request }) => {
      if (request?.port_id) await this.portForwardings.refuseAssociation(ctx, resourceId!);
    }, NAME);
    this.events.subscribe('floatingip', 'before_delete', (p) => this.portForwardings.refuseAssociation(p.ctx, p.resourceId!), NAME);
  }

  /** prevent_l3_port_deletion, then disassociate_floatingips. */
  private async portDelete({ ctx, original }: ResourcePayload): Promise<void> {
    const port = original!;
    const id = port.id as string;
    if (L3_PORT_OWNERS.includes(port.device_owner as string) && !this.ports.isOwnWrite(id) && (port.fixed_ips as FixedIp[]).length) {
      const deviceId = port.device_id as string;
      const owner = port.device_owner === FLOATING_IP_OWNER ? FloatingIpEntity : RouterEntity;
      if (await ctx.em.getRepository(owner).existsBy({ id: deviceId })) throw servicePortInUse(id, `has device owner ${port.device_owner as string}`);
    }
    await this.floatingIps.disassociatePort(ctx, id);
  }

  /** Rows keyed by the port go with it (whatever the dialect's foreign key enforcement). */
  private async portGone({ ctx, resourceId }: ResourcePayload): Promise<void> {
    const link = await ctx.em.getRepository(RouterPortEntity).findOneBy({ port_id: resourceId });
    if (link) {
      await ctx.em.getRepository(RouterPortEntity).delete({ port_id: resourceId });
      if (link.port_type === ROUTER_INTERFACE_OWNER) await bumpRouterRevision(ctx.em, link.router_id);
    }
    await ctx.em.getRepository(RouterEntity).update({ gw_port_id: resourceId }, { gw_port_id: null });
    await ctx.em.getRepository(FloatingIpEntity).delete({ floating_port_id: resourceId });
    await ctx.em.getRepository(PortForwardingEntity).delete({ internal_port_id: resourceId });
  }

  private async portUpdate({ ctx, original, request }: ResourcePayload): Promise<void> {
    const port = original!;
    const changes = request!;
    const owner = (changes.device_owner as string | undefined) ?? (port.device_owner as string);
    const deviceId = (changes.device_id as string | undefined) ?? (port.device_id as string);
    if ('device_owner' in changes || 'device_id' in changes) await this.checkRouterOwner(ctx, { ...changes, device_owner: owner, device_id: deviceId, project_id: port.project_id });
    // l3-port-ip-change-not-allowed: a router interface's IPv4 addresses (legacy or distributed) are the router's to change.
    if ('fixed_ips' in changes && ROUTER_INTERFACE_OWNERS.includes(port.device_owner as string) && !this.ports.isOwnWrite(port.id as string)) {
      if (!(await ctx.em.getRepository(RouterEntity).existsBy({ id: port.device_id as string }))) return;
      const requested = (changes.fixed_ips as FixedIpRequest[] | null) ?? [];
      const { added, removed } = changedAddresses(port.fixed_ips as FixedIp[], requested);
      const addedSubnets = await findSubnets(ctx.em, added.flatMap((r) => (!r.ip_address && r.subnet_id ? [r.subnet_id] : [])));
      const removedV4 = removed.some((ip) => isV4(ip.ip_address));
      const addedV4 = added.some((r) => (r.ip_address ? isV4(r.ip_address) : addedSubnets.some((s) => s.id === r.subnet_id && s.ip_version === 4)));
      if (removedV4 || addedV4) throw ipChangeNotAllowed(port.id as string);
    }
  }

  /** _enforce_device_owner_not_router_intf_or_device_id: a project's port may only name its own router. */
  private async checkRouterOwner(ctx: RequestContext, port: ApiObject): Promise<void> {
    if (ctx.isAdmin || !ANY_ROUTER_INTERFACE_OWNERS.includes(port.device_owner as string) || !port.device_id) return;
    const router = await ctx.em.getRepository(RouterEntity).findOneBy({ id: port.device_id as string });
    if (router && router.project_id !== port.project_id) throw deviceIdNotOwnedByTenant(port.device_id as string);
  }
}

const isV4 = (address: string) => !address.includes(':');

/**
 * _get_changed_ips_for_port: a requested entry matching a current address (the same address, or only the same
 * subnet) keeps it; the other entries are added, the unmatched current addresses removed.
 */
export function changedAddresses(current: FixedIp[], requested: FixedIpRequest[]): { added: FixedIpRequest[]; removed: FixedIp[] } {
  const kept = new Set<FixedIp>();
  const added: FixedIpRequest[] = [];
  for (const r of requested) {
    const match = current.find(
      (ip) => !kept.has(ip) && (r.ip_address ? ip.ip_address === r.ip_address : ip.subnet_id === r.subnet_id) && (!r.subnet_id || ip.subnet_id === r.subnet_id),
    );
    if (match) kept.add(match);
    else added.push(r);
  }
  return { added, removed: current.filter((ip) => !kept.has(ip)) };
}
