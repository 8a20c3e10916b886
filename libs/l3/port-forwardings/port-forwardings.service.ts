import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { NeutronError } from '../../api/errors/neutron-error.js';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../../api/resource/resource-definition.js';
import { runListQuery } from '../../api/sql/list-query.js';
import { anyOf } from '../../db/index.js';
import type { FixedIp } from '../../plugin/ipam/ipam.contract.js';
import { FloatingIpsService } from '../floatingips/floatingips.service.js';
import { FloatingIpEntity, type FloatingIpRow, PortForwardingEntity, type PortForwardingRow } from '../l3.entities.js';
import { floatingIpPortAlreadyAssociated, portNotFound } from '../l3.errors.js';
import { portForwardingAttributes, portForwardingNotFound } from './port-forwarding.definition.js';
import { badPortForwarding, overlaps, type PortRange, rangeText, requestedPorts } from './port-ranges.js';

const badRequest = badPortForwarding;
const fipInUse = (id: string) => new NeutronError('FipInUseByPortForwarding', `Floating IP ${id} in use by Port Forwarding resources.`, 409);
const portHasBindingFip = (a: { address: string; fipId: string; portId: string; fixedIp: string }) =>
  new NeutronError(
    'PortHasBindingFloatingIP',
    `Cannot create port forwarding to floating IP ${a.address} (${a.fipId}) with port ${a.portId} using fixed IP ${a.fixedIp}, as that port already has a binding floating IP.`,
    409,
  );

const FIELDS = ['internal_ip_address', 'protocol', 'internal_port_id', 'description'] as const;

/**
 * A floating IP's port forwardings (neutron/services/portforwarding): a floating IP either forwards ports or is
 * associated with one port, never both; the internal address must be an IPv4 address of the internal port, reached
 * from the floating IP's external network by a router, and the floating IP takes that router.
 */
@Injectable()
export class PortForwardingsService implements ResourceService {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(FloatingIpsService) private readonly floatingIps: FloatingIpsService,
  ) {}

  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    const qb = ctx.em.getRepository(PortForwardingEntity).createQueryBuilder('pf').where('pf.floatingip_id = :fip', { fip: ctx.parent!.id });
    const rows = await runListQuery(ctx.em, qb, query, { alias: 'pf', attributes: portForwardingAttributes, taggable: false, notFound: portForwardingNotFound });
    return rows.map(present);
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const row = await ctx.em.getRepository(PortForwardingEntity).findOneBy({ id, floatingip_id: ctx.parent!.id as string });
    return row ? present(row) : undefined;
  }

  async create(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const fip = (await ctx.em.getRepository(FloatingIpEntity).findOneBy({ id: ctx.parent!.id as string }))!;
    const { external, internal } = requestedPorts(item);
    const row: PortForwardingRow = {
      id: randomUUID(),
      floatingip_id: fip.id,
      external_port: external[0],
      external_port_end: external[1],
      internal_port: internal[0],
      internal_port_end: internal[1],
      internal_ip_address: item.internal_ip_address as string,
      internal_port_id: item.internal_port_id as string,
      protocol: item.protocol as string,
      description: (item.description as string | undefined) ?? '',
    };
    await this.checkCollisions(ctx, row);
    await this.checkNoFloatingIpOnPort(ctx, row);
    if (fip.fixed_port_id) {
      throw floatingIpPortAlreadyAssociated({
        address: fip.floating_ip_address,
        fipId: fip.id,
        portId: row.internal_port_id,
        fixedIp: row.internal_ip_address,
        netId: fip.floating_network_id,
      });
    }
    await this.attachRouter(ctx, fip, row);
    await ctx.em.getRepository(PortForwardingEntity).insert(row);
    return present(row);
  }

  async update(ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject> {
    const fip = (await ctx.em.getRepository(FloatingIpEntity).findOneBy({ id: ctx.parent!.id as string }))!;
    const old = (await ctx.em.getRepository(PortForwardingEntity).findOneBy({ id: current.id as string }))!;
    const row: PortForwardingRow = { ...old };
    for (const key of FIELDS) if (key in changes) (row as unknown as Record<string, unknown>)[key] = changes[key];
    const { external, internal } = requestedPorts(changes, old);
    [row.external_port, row.external_port_end] = external;
    [row.internal_port, row.internal_port_end] = internal;
    if (changes.internal_port_id && changes.internal_port_id !== old.internal_port_id) {
      await this.checkNoFloatingIpOnPort(ctx, row);
      await this.attachRouter(ctx, fip, row);
    } else {
      const ips = await this.portAddresses(ctx, row.internal_port_id);
      if (!ips.some((ip) => ip.ip_address === row.internal_ip_address)) {
        throw badRequest(`The internal IP does not correspond to an address on the internal port, which has fixed_ips ${pyFixedIps(ips)}`);
      }
    }
    if (['internal_port', 'external_port', 'internal_port_range', 'external_port_range'].some((k) => k in changes)) await this.checkCollisions(ctx, row);
    await ctx.em.getRepository(PortForwardingEntity).update({ id: row.id }, row);
    return present(row);
  }

  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    const repo = ctx.em.getRepository(PortForwardingEntity);
    await repo.delete({ id: current.id as string });
    const fipId = ctx.parent!.id as string;
    // The last one gone, the floating IP leaves the router.
    if (!(await repo.existsBy({ floatingip_id: fipId }))) await ctx.em.getRepository(FloatingIpEntity).update({ id: fipId }, { router_id: null });
  }

  /** expose-port-forwarding-in-fip: each floating IP's port forwardings, one query for the page. */
  async loadForFloatingIps(ctx: RequestContext, items: ApiObject[], fields: string[]): Promise<void> {
    if (fields.length && !fields.includes('port_forwardings')) return;
    const ids = items.map((i) => i.id as string);
    const rows = ids.length ? await ctx.em.getRepository(PortForwardingEntity).findBy({ floatingip_id: anyOf(ctx.em, ids) }) : [];
    for (const item of items) {
      item.port_forwardings = rows
        .filter((r) => r.floatingip_id === item.id)
        .map((r) => {
          // Neutron's floating IP view names only single ports; a range forwarding shows neither.
          const pf: ApiObject = { id: r.id, internal_ip_address: r.internal_ip_address, protocol: r.protocol };
          if (r.internal_port === r.internal_port_end) pf.internal_port = r.internal_port;
          if (r.external_port === r.external_port_end) pf.external_port = r.external_port;
          pf.internal_port_id = r.internal_port_id;
          return pf;
        });
    }
  }

  /** A floating IP forwarding ports is not associated with a port (Neutron's _check_floatingip_request). */
  async refuseAssociation(ctx: RequestContext, fipId: string): Promise<void> {
    if (await ctx.em.getRepository(PortForwardingEntity).existsBy({ floatingip_id: fipId })) throw fipInUse(fipId);
  }

  /** _check_port_collisions: external ranges of a floating IP and protocol, and internal ranges of a socket, never overlap. */
  private async checkCollisions(ctx: RequestContext, row: PortForwardingRow): Promise<void> {
    const repo = ctx.em.getRepository(PortForwardingEntity);
    const internal = await repo.findBy({ internal_port_id: row.internal_port_id, protocol: row.protocol, internal_ip_address: row.internal_ip_address });
    const internalOf = (r: PortForwardingRow): PortRange => [r.internal_port, r.internal_port_end];
    const clash = internal.find((o) => o.id !== row.id && overlaps(internalOf(o), internalOf(row)));
    if (clash) throw collision('internal_port_range', internalOf(clash), internalOf(row));
    const external = await repo.findBy({ floatingip_id: row.floatingip_id, protocol: row.protocol });
    const externalOf = (r: PortForwardingRow): PortRange => [r.external_port, r.external_port_end];
    const taken = external.find((o) => o.id !== row.id && overlaps(externalOf(o), externalOf(row)));
    if (taken) throw collision('external_port_range', externalOf(taken), externalOf(row));
  }

  /** _check_port_has_binding_floating_ip. */
  private async checkNoFloatingIpOnPort(ctx: RequestContext, row: PortForwardingRow): Promise<void> {
    const bound = await ctx.em.getRepository(FloatingIpEntity).findOneBy({ fixed_port_id: row.internal_port_id });
    if (bound) {
      throw portHasBindingFip({ address: bound.floating_ip_address, fipId: bound.id, portId: row.internal_port_id, fixedIp: row.internal_ip_address });
    }
  }

  /** _find_a_router_for_fip_port_forwarding and _check_router_match; the floating IP takes the router. */
  private async attachRouter(ctx: RequestContext, fip: FloatingIpRow, row: PortForwardingRow): Promise<void> {
    const port = await this.registry.definition('ports').service.get(ctx, row.internal_port_id);
    if (!port) throw portNotFound(row.internal_port_id);
    const v4 = (port.fixed_ips as FixedIp[]).filter((ip) => !ip.ip_address.includes(':'));
    if (!v4.length) throw badRequest(`Requested internal port ${row.internal_port_id} must allocate an IPv4 address at least`);
    const chosen = v4.find((ip) => ip.ip_address === row.internal_ip_address);
    if (!chosen) {
      throw badRequest(
        `Requested internal IP address ${row.internal_ip_address} is not suitable for internal neutron port ${row.internal_port_id}, as its fixed_ips are ${pyFixedIps(v4)}`,
      );
    }
    let routerId: string;
    try {
      routerId = await this.floatingIps.routerFor(ctx, port, chosen.subnet_id, fip.floating_network_id);
    } catch {
      throw badRequest(
        `External network ${fip.floating_network_id} is not reachable from subnet ${chosen.subnet_id}. Cannot set Port forwarding for port ${row.internal_port_id} with Floating IP ${fip.id}`,
      );
    }
    if (fip.router_id && fip.router_id !== routerId) {
      throw badRequest(`The Floating IP ${fip.id} had been set on router ${fip.router_id}, the internal Neutron port ${row.internal_port_id} can not reach it`);
    }
    if (!fip.router_id) await ctx.em.getRepository(FloatingIpEntity).update({ id: fip.id }, { router_id: routerId, fixed_port_id: null });
  }

  private async portAddresses(ctx: RequestContext, portId: string): Promise<FixedIp[]> {
    const port = await this.registry.definition('ports').service.get(ctx, portId);
    return (port?.fixed_ips as FixedIp[] | undefined) ?? [];
  }
}

function present(row: PortForwardingRow): ApiObject {
  const external: PortRange = [row.external_port, row.external_port_end];
  const internal: PortRange = [row.internal_port, row.internal_port_end];
  return {
    id: row.id,
    external_port: external[0] === external[1] ? external[0] : null,
    internal_port: internal[0] === internal[1] ? internal[0] : null,
    external_port_range: rangeText(external),
    internal_port_range: rangeText(internal),
    internal_ip_address: row.internal_ip_address,
    protocol: row.protocol,
    internal_port_id: row.internal_port_id,
    description: row.description,
  };
}

const collision = (key: string, existing: PortRange, requested: PortRange) =>
  badRequest(`There is a port collision with the ${key}. The following ranges collides: ${rangeText(existing)} and ${rangeText(requested)}`);

const pyFixedIps = (ips: FixedIp[]) => `[${ips.map((ip) => `{'subnet_id': '${ip.subnet_id}', 'ip_address': '${ip.ip_address}'}`).join(', ')}]`;
