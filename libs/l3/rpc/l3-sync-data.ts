import type { EntityManager } from 'typeorm';
import { internalContext } from '../../api/resource/internal-context.js';
import { anyOf, sqlAnyOf, sqlFlag, sqlJson, sqlRows } from '../../db/index.js';
import type { FixedIp, Ipam } from '../../plugin/ipam/ipam.contract.js';
import { NetworkEntity } from '../../plugin/networks/network.entity.js';
import { PortEntity, type PortRow } from '../../plugin/ports/port.entity.js';
import { SUBNETS_TABLE } from '../../plugin/subnetpools/subnetpools.contract.js';
import type { HostRoute, SubnetRow } from '../../plugin/subnets/subnet.entity.js';
import type { L3FloatingIpInfo, L3PortForwardingInfo, L3PortInfo, L3RouterInfo, L3SubnetInfo } from '../../rpc/l3-agent.contract.js';
import {
  FLOATING_IPS_TABLE,
  type FloatingIpRow,
  PortForwardingEntity,
  ROUTER_GATEWAY_OWNER,
  ROUTER_INTERFACE_OWNER,
  ROUTER_PORTS_TABLE,
  RouterEntity,
  RouterPortEntity,
  type RouterPortRow,
  type RouterRow,
  ROUTERS_TABLE,
} from '../l3.entities.js';
import { L3_BINDINGS_TABLE } from '../scheduler/router-l3-agent-binding.entity.js';
import { loadRoutes } from '../routers/router.store.js';

type SyncFloatingIp = Pick<FloatingIpRow, 'id' | 'floating_ip_address' | 'floating_network_id' | 'fixed_port_id' | 'fixed_ip_address' | 'router_id' | 'status'>;

const group = <T, K>(items: T[], key: (t: T) => K): Map<K, T[]> => {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
};

/**
 * The routers as sync_routers describes them (l3_db.get_sync_data: the router, its gateway port, interfaces with
 * their subnets and MTU, extra routes, floating IPs and port forwardings). A fixed number of queries whatever the
 * number of routers: routers, router ports, ports, addresses, subnets, networks, routes, floating IPs, port
 * forwardings. Only routers that are administratively up (`active`).
 */
export async function routerSyncData(em: EntityManager, ipam: Ipam, routerIds: readonly string[]): Promise<L3RouterInfo[]> {
  if (!routerIds.length) return [];
  const routers: RouterRow[] = await em.getRepository(RouterEntity).find({ where: { id: anyOf(em, [...routerIds]), admin_state_up: true }, order: { id: 'ASC' } });
  if (!routers.length) return [];
  const links = await em.getRepository(RouterPortEntity).find({ where: { router_id: anyOf(em, routers.map((r) => r.id)) } });
  return describeRouters(em, ipam, routers, links);
}

/** What describeRouters needs of a router's row. */
export type SyncRouterRow = Pick<RouterRow, 'id' | 'name' | 'admin_state_up' | 'status' | 'project_id' | 'gw_port_id' | 'enable_snat'>;

/**
 * The routers of `ids` that `agentId` hosts and that are administratively up, in id order, and their router ports:
 * two hand-written statements (the refetch after every notice runs them).
 */
export async function upRoutersOfAgent(em: EntityManager, agentId: string, ids: readonly string[]): Promise<{ routers: SyncRouterRow[]; links: RouterPortRow[] }> {
  const [inIds, param] = sqlAnyOf(em, 'r.id', ids);
  const rows = await sqlRows<Record<string, unknown>>(
    em,
    `SELECT r.id, r.name, r.admin_state_up, r.status, r.project_id, r.gw_port_id, r.enable_snat
     FROM ${ROUTERS_TABLE} r JOIN ${L3_BINDINGS_TABLE} b ON b.router_id = r.id AND b.l3_agent_id = ?
     WHERE ${inIds} AND r.admin_state_up ORDER BY r.id`,
    [agentId, param],
  );
  if (!rows.length) return { routers: [], links: [] };
  const routers = rows.map((r) => ({ ...(r as unknown as SyncRouterRow), admin_state_up: sqlFlag(r.admin_state_up), enable_snat: sqlFlag(r.enable_snat) }));
  const [inRouters, routerParam] = sqlAnyOf(em, 'router_id', routers.map((r) => r.id));
  const links = await sqlRows<RouterPortRow>(em, `SELECT router_id, port_id, port_type FROM ${ROUTER_PORTS_TABLE} WHERE ${inRouters}`, [routerParam]);
  return { routers, links };
}

/**
 * routerSyncData for routers (administratively up) and their router ports read already; `known` are the rows of
 * those ports when the caller read them too (each of them, in any order).
 */
export async function describeRouters(em: EntityManager, ipam: Ipam, routers: SyncRouterRow[], links: RouterPortRow[], known?: PortRow[]): Promise<L3RouterInfo[]> {
  if (!routers.length) return [];
  const ids = routers.map((r) => r.id);
  const portIds = links.map((l) => l.port_id);
  const ports = known ? [...known].sort(byCreation) : portIds.length ? await em.getRepository(PortEntity).find({ where: { id: anyOf(em, portIds) }, order: { created_at: 'ASC', id: 'ASC' } }) : [];
  const ips = portIds.length ? await ipam.loadForPorts(internalContext(em, () => undefined), portIds) : new Map<string, FixedIp[]>();
  const subnets = await syncSubnets(em, [...new Set([...ips.values()].flat().map((ip) => ip.subnet_id))]);
  const mtus = await networkMtus(em, [...new Set(ports.map((p) => p.network_id))]);
  const routes = await loadRoutes(em, ids);
  const [fipsOf, fipParam] = sqlAnyOf(em, 'router_id', ids);
  const fips = await sqlRows<SyncFloatingIp>(
    em,
    `SELECT id, floating_ip_address, floating_network_id, fixed_port_id, fixed_ip_address, router_id, status FROM ${FLOATING_IPS_TABLE} WHERE ${fipsOf} ORDER BY id`,
    [fipParam],
  );
  const fipIds = fips.map((f) => f.id);
  const pfs = fipIds.length ? await em.getRepository(PortForwardingEntity).find({ where: { floatingip_id: anyOf(em, fipIds) }, order: { id: 'ASC' } }) : [];

  const typeOf = new Map(links.map((l) => [l.port_id, l.port_type]));
  const routerOf = new Map(links.map((l) => [l.port_id, l.router_id]));
  const portInfo = (p: (typeof ports)[number]): L3PortInfo => {
    const fixed = ips.get(p.id) ?? [];
    const own = fixed.map((ip) => subnets.get(ip.subnet_id)).filter((s): s is SyncSubnet => s !== undefined);
    return {
      id: p.id,
      network_id: p.network_id,
      mac_address: p.mac_address,
      admin_state_up: p.admin_state_up,
      device_owner: p.device_owner,
      fixed_ips: fixed.map((ip) => ({ subnet_id: ip.subnet_id, ip_address: ip.ip_address, prefixlen: prefixLength(subnets.get(ip.subnet_id)?.cidr) })),
      subnets: [...new Map(own.map((s) => [s.id, subnetInfo(s)])).values()],
      mtu: mtus.get(p.network_id),
    };
  };
  const portsByRouter = group(
    ports.filter((p) => typeOf.has(p.id)),
    (p) => routerOf.get(p.id)!,
  );
  const fipsByRouter = group(fips, (f) => f.router_id!);
  const fipById = new Map(fips.map((f) => [f.id, f]));
  const pfsByRouter = group(pfs, (pf) => fipById.get(pf.floatingip_id)!.router_id!);

  return routers.map((r) => {
    const own = portsByRouter.get(r.id) ?? [];
    const gw = own.find((p) => p.id === r.gw_port_id && typeOf.get(p.id) === ROUTER_GATEWAY_OWNER);
    const gwInfo = gw ? portInfo(gw) : null;
    const floatingIps: L3FloatingIpInfo[] = (fipsByRouter.get(r.id) ?? [])
      .filter((f) => f.fixed_port_id && f.fixed_ip_address)
      .map((f) => ({
        id: f.id,
        floating_ip_address: f.floating_ip_address,
        fixed_ip_address: f.fixed_ip_address!,
        port_id: f.fixed_port_id!,
        status: f.status,
        floating_network_id: f.floating_network_id,
      }));
    const forwardings: L3PortForwardingInfo[] = (pfsByRouter.get(r.id) ?? []).map((pf) => ({
      id: pf.id,
      floatingip_id: pf.floatingip_id,
      floating_ip_address: fipById.get(pf.floatingip_id)!.floating_ip_address,
      protocol: pf.protocol as L3PortForwardingInfo['protocol'],
      internal_ip_address: pf.internal_ip_address,
      internal_port: pf.internal_port === pf.internal_port_end ? pf.internal_port : `${pf.internal_port}:${pf.internal_port_end}`,
      external_port: pf.external_port === pf.external_port_end ? pf.external_port : `${pf.external_port}:${pf.external_port_end}`,
      internal_port_id: pf.internal_port_id,
    }));
    return {
      id: r.id,
      name: r.name,
      admin_state_up: r.admin_state_up,
      status: r.status,
      project_id: r.project_id,
      gw_port: gwInfo,
      gw_port_id: gwInfo ? r.gw_port_id : null,
      enable_snat: r.enable_snat,
      external_gateway_info: gwInfo
        ? {
            network_id: gwInfo.network_id,
            enable_snat: r.enable_snat,
            external_fixed_ips: gwInfo.fixed_ips.map((ip) => ({ subnet_id: ip.subnet_id, ip_address: ip.ip_address })),
          }
        : null,
      routes: routes.get(r.id) ?? [],
      _interfaces: own.filter((p) => typeOf.get(p.id) === ROUTER_INTERFACE_OWNER).map(portInfo),
      _floatingips: floatingIps,
      _pf_floatingips: forwardings,
      distributed: false,
      ha: false,
    };
  });
}

const NETWORKS_TABLE = NetworkEntity.options.tableName!;

const byCreation = (a: PortRow, b: PortRow) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

type SyncSubnet = Pick<SubnetRow, 'id' | 'cidr' | 'gateway_ip' | 'ip_version' | 'dns_nameservers' | 'host_routes'>;

/** What subnetInfo reads of the subnets: one hand-written statement. */
async function syncSubnets(em: EntityManager, ids: string[]): Promise<Map<string, SyncSubnet>> {
  if (!ids.length) return new Map();
  const [inIds, param] = sqlAnyOf(em, 'id', ids);
  const rows = await sqlRows<Record<string, unknown>>(em, `SELECT id, cidr, gateway_ip, ip_version, dns_nameservers, host_routes FROM ${SUBNETS_TABLE} WHERE ${inIds}`, [param]);
  return new Map(
    rows.map((r) => [
      r.id as string,
      {
        id: r.id as string,
        cidr: r.cidr as string,
        gateway_ip: r.gateway_ip as string | null,
        ip_version: Number(r.ip_version),
        dns_nameservers: sqlJson<string[]>(r.dns_nameservers, []),
        host_routes: sqlJson<HostRoute[]>(r.host_routes, []),
      },
    ]),
  );
}

async function networkMtus(em: EntityManager, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const [inIds, param] = sqlAnyOf(em, 'id', ids);
  const rows = await sqlRows<{ id: string; mtu: unknown }>(em, `SELECT id, mtu FROM ${NETWORKS_TABLE} WHERE ${inIds}`, [param]);
  return new Map(rows.map((r) => [r.id, Number(r.mtu)]));
}

function subnetInfo(s: SyncSubnet): L3SubnetInfo {
  return {
    id: s.id,
    cidr: s.cidr,
    gateway_ip: s.gateway_ip,
    ip_version: s.ip_version,
    dns_nameservers: s.dns_nameservers,
    host_routes: s.host_routes.map((h) => ({ destination: h.destination, nexthop: h.nexthop })),
  };
}

function prefixLength(cidr: string | undefined): number | undefined {
  const bits = cidr?.split('/')[1];
  return bits === undefined ? undefined : Number(bits);
}
