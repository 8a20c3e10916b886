import { Inject, Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../../api/resource/resource-definition.js';
import { newStandardColumns, presentStandard, revised } from '../../api/resource/standard-row.js';
import { runListQuery } from '../../api/sql/list-query.js';
import { anyOf, isPostgres } from '../../db/index.js';
import { type FixedIp, type FixedIpRequest, IP_ALLOCATIONS_TABLE, IPAM, type Ipam } from '../../plugin/ipam/ipam.contract.js';
import { PORTS_TABLE } from '../../plugin/ports/ports.contract.js';
import { PortEntity } from '../../plugin/ports/port.entity.js';
import { SubnetEntity } from '../../plugin/subnets/subnet.entity.js';
import { L3Ports } from '../l3-ports.js';
import { FLOATING_IP_OWNER, FloatingIpEntity, type FloatingIpRow, ROUTER_GATEWAY_OWNER, ROUTER_INTERFACE_OWNER, ROUTER_PORTS_TABLE } from '../l3.entities.js';
import {
  externalGatewayForFloatingIpNotFound,
  externalIpAddressExhausted,
  floatingIpNotFound,
  floatingIpPortAlreadyAssociated,
  l3BadRequest,
  networkNotFound,
  portNotFound,
} from '../l3.errors.js';
import { findNetwork, findSubnet, networkSubnets } from '../routers/router.store.js';
import { floatingIpAttributes } from './floatingip.definition.js';

interface Association {
  fixed_port_id: string | null;
  fixed_ip_address: string | null;
  router_id: string | null;
}

const NONE: Association = { fixed_port_id: null, fixed_ip_address: null, router_id: null };
const isV4 = (address: string) => !address.includes(':');

/**
 * Floating IPs (l3_db): an address of an external network held by a `network:floatingip` port (project '', device_id
 * the floating IP), associated with a port's fixed IPv4 address through the router that connects that port's subnet
 * to the external network. The status is DOWN until an L3 agent reports it (Neutron's L3_NAT_db_mixin).
 */
@Injectable()
export class FloatingIpsService implements ResourceService {
  constructor(
    @Inject(IPAM) private readonly ipam: Ipam,
    @Inject(L3Ports) private readonly ports: L3Ports,
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
  ) {}

  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    const qb = ctx.em.getRepository(FloatingIpEntity).createQueryBuilder('f');
    if (!ctx.isAdmin) qb.where('f.project_id = :owner', { owner: ctx.projectId });
    const rows = await runListQuery(ctx.em, qb, query, { alias: 'f', attributes: floatingIpAttributes, taggable: true, notFound: floatingIpNotFound });
    const wantDetails = !query.fields.length || query.fields.includes('port_details');
    return this.present(ctx, rows, wantDetails);
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const row = await this.findRow(ctx, id);
    if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId)) return undefined;
    return (await this.present(ctx, [row], true))[0];
  }

  async create(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const networkId = item.floating_network_id as string;
    const network = await findNetwork(ctx.em, networkId);
    if (!network) throw networkNotFound(networkId);
    if (!network.router_external) throw l3BadRequest('floatingip', `Network ${networkId} is not a valid external network`);
    if (!(await networkSubnets(ctx.em, networkId)).some((s) => s.ip_version === 4)) {
      throw l3BadRequest('floatingip', `Network ${networkId} does not contain any IPv4 subnet`);
    }
    const standard = newStandardColumns(item);
    const request: FixedIpRequest = {};
    if (item.subnet_id) request.subnet_id = item.subnet_id as string;
    if (item.floating_ip_address) request.ip_address = item.floating_ip_address as string;
    const port = await this.ports.create(ctx, {
      networkId,
      projectId: '',
      deviceId: standard.id,
      deviceOwner: FLOATING_IP_OWNER,
      fixedIps: Object.keys(request).length ? [request] : undefined,
    });
    const address = this.ports.fixedIps(port).find((ip) => isV4(ip.ip_address));
    if (!address) throw externalIpAddressExhausted(networkId);
    const row: FloatingIpRow = {
      ...standard,
      floating_ip_address: address.ip_address,
      floating_network_id: networkId,
      floating_port_id: port.id as string,
      ...NONE,
      status: 'DOWN',
    };
    Object.assign(row, await this.association(ctx, row, item));
    await ctx.em.getRepository(FloatingIpEntity).insert(row);
    return (await this.present(ctx, [row], true))[0];
  }

  async update(ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject> {
    const row = (await this.findRow(ctx, current.id as string))!;
    const assoc = await this.association(ctx, row, changes);
    const next = revised(row, { ...assoc, ...('description' in changes ? { description: changes.description as string } : {}) });
    await ctx.em.getRepository(FloatingIpEntity).update({ id: row.id }, next as QueryDeepPartialEntity<FloatingIpRow>);
    return (await this.present(ctx, [next], true))[0];
  }

  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    const row = await this.findRow(ctx, current.id as string);
    if (!row) return;
    await ctx.em.getRepository(FloatingIpEntity).delete({ id: row.id });
    await this.ports.delete(ctx, row.floating_port_id);
  }

  /** disassociate_floatingips: a deleted port's floating IPs stay, unassociated. */
  async disassociatePort(ctx: RequestContext, portId: string): Promise<void> {
    const repo = ctx.em.getRepository(FloatingIpEntity);
    const rows = await repo.findBy({ fixed_port_id: portId });
    for (const row of rows) await repo.update({ id: row.id }, revised(row, NONE) as QueryDeepPartialEntity<FloatingIpRow>);
  }

  /** delete_disassociated_floatingips: an external network being deleted takes its unassociated floating IPs. */
  async deleteDisassociated(ctx: RequestContext, networkId: string): Promise<void> {
    const rows = await ctx.em.getRepository(FloatingIpEntity).findBy({ floating_network_id: networkId });
    for (const row of rows.filter((r) => !r.fixed_port_id)) {
      await ctx.em.getRepository(FloatingIpEntity).delete({ id: row.id });
      await this.ports.delete(ctx, row.floating_port_id);
    }
  }

  /** _check_and_get_fip_assoc: the port, its fixed IPv4 address and the router reaching the external network. */
  private async association(ctx: RequestContext, fip: FloatingIpRow, request: ApiObject): Promise<Association> {
    let portId = request.port_id as string | null | undefined;
    let fixedAddress = request.fixed_ip_address as string | null | undefined;
    if (fixedAddress && !portId) throw l3BadRequest('floatingip', 'fixed_ip_address cannot be specified without a port_id');
    if (Object.keys(request).length && !('port_id' in request) && fip.fixed_port_id) {
      // An update naming other attributes but not port_id keeps the association (bug #1610045); an empty one clears it.
      portId = fip.fixed_port_id;
      fixedAddress = fip.fixed_ip_address;
    }
    // A floating IP with port forwardings keeps their router.
    if (!portId) return { ...NONE, router_id: fip.fixed_port_id ? null : fip.router_id };
    const port = await this.registry.definition('ports').service.get(ctx, portId);
    if (!port) throw portNotFound(portId);
    if (port.project_id !== fip.project_id && !ctx.isAdmin) {
      throw l3BadRequest('floatingip', `Cannot process floating IP association with Port ${portId}, since that port is owned by a different tenant`);
    }
    if (port.device_owner === 'network:dhcp') throw l3BadRequest('floatingip', `Port ${portId} is unable to be assigned a floating IP`);
    const fixedIps = port.fixed_ips as FixedIp[];
    let chosen: FixedIp | undefined;
    if (fixedAddress) {
      if (!isV4(fixedAddress)) {
        throw l3BadRequest('floatingip', `Cannot process floating IP association with ${fixedAddress}, since that is not an IPv4 address`);
      }
      chosen = fixedIps.find((ip) => ip.ip_address === fixedAddress);
      if (!chosen) throw l3BadRequest('floatingip', `Port ${portId} does not have fixed ip ${fixedAddress}`);
    } else {
      const v4 = fixedIps.filter((ip) => isV4(ip.ip_address));
      if (!v4.length) throw l3BadRequest('floatingip', `Cannot add floating IP to port ${portId} that has no fixed IPv4 addresses`);
      if (v4.length > 1) {
        throw l3BadRequest('floatingip', `Port ${portId} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP`);
      }
      chosen = v4[0];
    }
    const routerId = await this.routerFor(ctx, port, chosen.subnet_id, fip.floating_network_id);
    if (portId !== fip.fixed_port_id || chosen.ip_address !== fip.fixed_ip_address) {
      const taken = await ctx.em
        .getRepository(FloatingIpEntity)
        .findOneBy({ fixed_port_id: portId, floating_network_id: fip.floating_network_id, fixed_ip_address: chosen.ip_address });
      if (taken && taken.id !== fip.id) {
        throw floatingIpPortAlreadyAssociated({
          address: fip.floating_ip_address,
          fipId: fip.id,
          portId,
          fixedIp: chosen.ip_address,
          netId: fip.floating_network_id,
        });
      }
    }
    return { fixed_port_id: portId, fixed_ip_address: chosen.ip_address, router_id: routerId };
  }

  /** get_router_for_floatingip: a router with an interface on the subnet and its gateway on the external network (also for port forwardings). */
  async routerFor(ctx: RequestContext, port: ApiObject, subnetId: string, externalNetworkId: string): Promise<string> {
    const subnet = await findSubnet(ctx.em, subnetId);
    const candidates = await ctx.em
      .createQueryBuilder()
      .select('rp.router_id', 'router_id')
      .addSelect('a.ip_address', 'ip_address')
      .from(ROUTER_PORTS_TABLE, 'rp')
      .innerJoin(IP_ALLOCATIONS_TABLE, 'a', 'a.port_id = rp.port_id')
      .innerJoin(PORTS_TABLE, 'gw', 'gw.device_id = rp.router_id')
      .where('rp.port_type = :intf AND a.subnet_id = :subnetId', { intf: ROUTER_INTERFACE_OWNER, subnetId })
      .andWhere('gw.network_id = :ext AND gw.device_owner = :gwOwner', { ext: externalNetworkId, gwOwner: ROUTER_GATEWAY_OWNER })
      .orderBy('rp.router_id')
      .getRawMany<{ router_id: string; ip_address: string }>();
    const best = candidates.find((c) => c.ip_address === subnet?.gateway_ip) ?? candidates[0];
    if (!best) throw externalGatewayForFloatingIpNotFound(externalNetworkId, subnetId, port.id as string);
    return best.router_id;
  }

  private async present(ctx: RequestContext, rows: FloatingIpRow[], withDetails: boolean): Promise<ApiObject[]> {
    const portIds = withDetails ? rows.flatMap((r) => (r.fixed_port_id ? [r.fixed_port_id] : [])) : [];
    const ports = portIds.length ? await ctx.em.getRepository(PortEntity).findBy({ id: anyOf(ctx.em, portIds) }) : [];
    const byId = new Map(ports.map((p) => [p.id, p]));
    return rows.map((row) => {
      const port = row.fixed_port_id ? byId.get(row.fixed_port_id) : undefined;
      return {
        ...presentStandard(row, undefined),
        floating_ip_address: row.floating_ip_address,
        floating_network_id: row.floating_network_id,
        router_id: row.router_id,
        port_id: row.fixed_port_id,
        fixed_ip_address: row.fixed_ip_address,
        status: row.status,
        port_details: port
          ? {
              name: port.name,
              network_id: port.network_id,
              mac_address: port.mac_address,
              admin_state_up: port.admin_state_up,
              status: port.status,
              device_id: port.device_id,
              device_owner: port.device_owner,
            }
          : null,
      };
    });
  }

  private findRow(ctx: RequestContext, id: string): Promise<FloatingIpRow | null> {
    const qb = ctx.em.getRepository(FloatingIpEntity).createQueryBuilder('f').where('f.id = :id', { id });
    if (ctx.forUpdate && isPostgres(ctx.em)) qb.setLock('pessimistic_write');
    return qb.getOne();
  }
}

/** GET /floatingip_pools: every IPv4 subnet of an external network (l3_fip_pools_db). */
@Injectable()
export class FloatingIpPoolsService implements ResourceService {
  async list(ctx: RequestContext): Promise<ApiObject[]> {
    const subnets = await ctx.em
      .getRepository(SubnetEntity)
      .createQueryBuilder('s')
      .innerJoin('networks', 'n', 'n.id = s.network_id')
      .where('n.router_external = :yes AND s.ip_version = 4', { yes: true })
      .orderBy('s.id')
      .getMany();
    return subnets.map((s) => ({ subnet_id: s.id, subnet_name: s.name, tenant_id: ctx.projectId, project_id: ctx.projectId, network_id: s.network_id, cidr: s.cidr }));
  }

  async get(): Promise<ApiObject | undefined> {
    return undefined;
  }

  create(): Promise<ApiObject> {
    throw new Error('floatingip_pools are read-only');
  }

  update(): Promise<ApiObject> {
    throw new Error('floatingip_pools are read-only');
  }

  delete(): Promise<void> {
    throw new Error('floatingip_pools are read-only');
  }
}
