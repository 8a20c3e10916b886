import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../api/resource/resource-definition.js';
import { anyOf, neutronTimestamp, sqlAnyOf, sqlFlag, sqlJson, sqlRows, sqlRun } from '../../db/index.js';
import type { FixedIp, Ipam } from '../../plugin/ipam/ipam.contract.js';
import { NetworkEntity, type NetworkRow } from '../../plugin/networks/network.entity.js';
import { PortEntity } from '../../plugin/ports/port.entity.js';
import { PORTS_TABLE } from '../../plugin/ports/ports.contract.js';
import { SubnetEntity, type SubnetRow } from '../../plugin/subnets/subnet.entity.js';
import { selectSubnets } from '../../plugin/subnets/subnet-sql.js';
import { FloatingIpEntity, ROUTER_GATEWAY_OWNER, ROUTER_INTERFACE_OWNER, ROUTER_PORTS_TABLE, ROUTER_ROUTES_TABLE, ROUTERS_TABLE, type RouterRouteRow, type RouterRow } from '../l3.entities.js';
import type { Route } from './extra-routes.js';
import { standardColumnsFromSql } from '../../api/resource/standard-row.js';

const SELECT_ROUTER =
  'SELECT id, project_id, description, created_at, updated_at, revision_number, name, status, admin_state_up, gw_port_id, enable_snat, ' +
  `availability_zone_hints FROM ${ROUTERS_TABLE} WHERE id = ?`;

/** The router's row; `lock` appends the row lock the caller needs ('' for none). */
export async function selectRouterRow(em: EntityManager, id: string, lock = ''): Promise<RouterRow | null> {
  const [raw] = await sqlRows<Record<string, unknown>>(em, SELECT_ROUTER + lock, [id]);
  if (!raw) return null;
  return {
    ...standardColumnsFromSql(raw),
    name: raw.name as string,
    status: raw.status as string,
    admin_state_up: sqlFlag(raw.admin_state_up),
    gw_port_id: raw.gw_port_id as string | null,
    enable_snat: sqlFlag(raw.enable_snat),
    availability_zone_hints: sqlJson<string[]>(raw.availability_zone_hints, []),
  };
}

/** A router's port with what the L3 code needs of it: its network and addresses. */
export interface RouterPortView {
  id: string;
  network_id: string;
  port_type: string;
  project_id: string;
  fixed_ips: FixedIp[];
}

export interface GatewayView {
  network_id: string;
  external_fixed_ips: FixedIp[];
}

/** The gateways of a page of routers: two queries for the page (ports, then their addresses). */
export async function loadGateways(ctx: RequestContext, ipam: Ipam, rows: RouterRow[]): Promise<Map<string, GatewayView>> {
  const portIds = rows.flatMap((r) => (r.gw_port_id ? [r.gw_port_id] : []));
  const out = new Map<string, GatewayView>();
  if (!portIds.length) return out;
  const ports = await ctx.em.getRepository(PortEntity).find({ select: { id: true, network_id: true }, where: { id: anyOf(ctx.em, portIds) } });
  const ips = await ipam.loadForPorts(ctx, portIds);
  const networkOf = new Map(ports.map((p) => [p.id, p.network_id]));
  for (const row of rows) {
    const networkId = row.gw_port_id ? networkOf.get(row.gw_port_id) : undefined;
    if (networkId) out.set(row.id, { network_id: networkId, external_fixed_ips: ips.get(row.gw_port_id!) ?? [] });
  }
  return out;
}

export async function loadRoutes(em: EntityManager, routerIds: string[]): Promise<Map<string, Route[]>> {
  const out = new Map<string, Route[]>();
  if (!routerIds.length) return out;
  const [inRouters, param] = sqlAnyOf(em, 'router_id', routerIds);
  const rows = await sqlRows<RouterRouteRow>(em, `SELECT router_id, destination, nexthop FROM ${ROUTER_ROUTES_TABLE} WHERE ${inRouters} ORDER BY destination, nexthop`, [param]);
  for (const r of rows) out.set(r.router_id, [...(out.get(r.router_id) ?? []), { destination: r.destination, nexthop: r.nexthop }]);
  return out;
}

/** The router's ports (interfaces and gateway), each with its network and addresses. */
export async function routerPorts(ctx: RequestContext, ipam: Ipam, routerId: string, type?: string): Promise<RouterPortView[]> {
  // The links with their ports in one statement, then the addresses.
  const ports = await sqlRows<Omit<RouterPortView, 'fixed_ips'>>(
    ctx.em,
    `SELECT p.id AS id, p.network_id AS network_id, p.project_id AS project_id, rp.port_type AS port_type
     FROM ${ROUTER_PORTS_TABLE} rp JOIN ${PORTS_TABLE} p ON p.id = rp.port_id
     WHERE rp.router_id = ?${type ? ' AND rp.port_type = ?' : ''} ORDER BY p.created_at, p.id`,
    type ? [routerId, type] : [routerId],
  );
  if (!ports.length) return [];
  const ips = await ipam.loadForPorts(ctx, ports.map((p) => p.id));
  return ports.map((p) => ({ ...p, fixed_ips: ips.get(p.id) ?? [] }));
}

export const interfacePorts = (ctx: RequestContext, ipam: Ipam, routerId: string) => routerPorts(ctx, ipam, routerId, ROUTER_INTERFACE_OWNER);

export async function findSubnets(em: EntityManager, ids: string[]): Promise<SubnetRow[]> {
  if (!ids.length) return [];
  const [inIds, param] = sqlAnyOf(em, 'id', [...new Set(ids)]);
  return selectSubnets(em, inIds, [param]);
}

export async function findSubnet(em: EntityManager, id: string): Promise<SubnetRow | null> {
  return (await selectSubnets(em, 'id = ?', [id]))[0] ?? null;
}

export function findNetwork(em: EntityManager, id: string): Promise<NetworkRow | null> {
  return em.getRepository(NetworkEntity).findOneBy({ id });
}

export function networkSubnets(em: EntityManager, networkId: string): Promise<SubnetRow[]> {
  return em.getRepository(SubnetEntity).find({ where: { network_id: networkId }, order: { created_at: 'ASC', id: 'ASC' } });
}

export async function addRouterPort(em: EntityManager, routerId: string, portId: string, type: string): Promise<void> {
  await sqlRun(em, `INSERT INTO ${ROUTER_PORTS_TABLE} (router_id, port_id, port_type) VALUES (?, ?, ?)`, [routerId, portId, type]);
  await bumpRouterRevision(em, routerId);
}

/** A router's ports are part of it: gaining or losing one is a new revision (Neutron's RouterPort revises_on_change). */
export async function bumpRouterRevision(em: EntityManager, routerId: string): Promise<void> {
  await sqlRun(em, `UPDATE ${ROUTERS_TABLE} SET revision_number = revision_number + 1, updated_at = ? WHERE id = ?`, [neutronTimestamp(), routerId]);
}

export function floatingIpsOfRouter(em: EntityManager, routerId: string) {
  return em.getRepository(FloatingIpEntity).findBy({ router_id: routerId });
}

export const GATEWAY = ROUTER_GATEWAY_OWNER;
