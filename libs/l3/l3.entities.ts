import { EntitySchema } from 'typeorm';
import { type StandardColumns, standardEntityColumns } from '../api/resource/standard-row.js';

export const ROUTERS_TABLE = 'routers';
export const ROUTER_PORTS_TABLE = 'routerports';
export const ROUTER_ROUTES_TABLE = 'routerroutes';
export const FLOATING_IPS_TABLE = 'floatingips';

export const ROUTER_INTERFACE_OWNER = 'network:router_interface';
/** A distributed router's interfaces (dvr); their routerports row keeps port_type ROUTER_INTERFACE_OWNER, see RouterPortRow. */
export const DVR_INTERFACE_OWNER = 'network:router_interface_distributed';
/** A distributed router's centralized SNAT port (one per interface subnet while it has a gateway; routerports port_type too). */
export const ROUTER_SNAT_OWNER = 'network:router_centralized_snat';
export const ROUTER_GATEWAY_OWNER = 'network:router_gateway';
export const FLOATING_IP_OWNER = 'network:floatingip';
/** The device owners of router interface ports this plug-in makes (legacy and distributed routers). */
export const ROUTER_INTERFACE_OWNERS = [ROUTER_INTERFACE_OWNER, DVR_INTERFACE_OWNER];
/** Device owners whose ports belong to the L3 plug-in (Neutron's router_device_owners, DVR's included, plus the floating IP's). */
export const L3_PORT_OWNERS = [...ROUTER_INTERFACE_OWNERS, ROUTER_SNAT_OWNER, ROUTER_GATEWAY_OWNER, FLOATING_IP_OWNER];

export interface RouterRow extends StandardColumns {
  name: string;
  status: string;
  admin_state_up: boolean;
  gw_port_id: string | null;
  enable_snat: boolean;
  availability_zone_hints: string[];
}

/**
 * One port of a router (interface or gateway), as Neutron's routerports. `port_type` is the port's role: every
 * interface has ROUTER_INTERFACE_OWNER, a distributed router's too (Neutron writes its device owner there), so the
 * code that finds a router's interfaces does not depend on the router's kind; the port's device_owner tells it.
 */
export interface RouterPortRow {
  router_id: string;
  port_id: string;
  port_type: string;
}

export interface RouterRouteRow {
  router_id: string;
  destination: string;
  nexthop: string;
}

export interface FloatingIpRow extends StandardColumns {
  floating_ip_address: string;
  floating_network_id: string;
  floating_port_id: string;
  fixed_port_id: string | null;
  fixed_ip_address: string | null;
  router_id: string | null;
  status: string;
}

export const RouterEntity = new EntitySchema<RouterRow>({
  name: 'Router',
  tableName: ROUTERS_TABLE,
  columns: {
    ...standardEntityColumns,
    name: { type: 'varchar', length: 255 },
    status: { type: 'varchar', length: 16 },
    admin_state_up: { type: 'boolean' },
    gw_port_id: { type: 'varchar', length: 36, nullable: true },
    enable_snat: { type: 'boolean' },
    availability_zone_hints: { type: 'simple-json' },
  },
});

export const RouterPortEntity = new EntitySchema<RouterPortRow>({
  name: 'RouterPort',
  tableName: ROUTER_PORTS_TABLE,
  columns: {
    router_id: { type: 'varchar', length: 36 },
    port_id: { type: 'varchar', length: 36, primary: true },
    port_type: { type: 'varchar', length: 255 },
  },
});

export const RouterRouteEntity = new EntitySchema<RouterRouteRow>({
  name: 'RouterRoute',
  tableName: ROUTER_ROUTES_TABLE,
  columns: {
    router_id: { type: 'varchar', length: 36, primary: true },
    destination: { type: 'varchar', length: 64, primary: true },
    nexthop: { type: 'varchar', length: 64, primary: true },
  },
});

export const FloatingIpEntity = new EntitySchema<FloatingIpRow>({
  name: 'FloatingIp',
  tableName: FLOATING_IPS_TABLE,
  columns: {
    ...standardEntityColumns,
    floating_ip_address: { type: 'varchar', length: 64 },
    floating_network_id: { type: 'varchar', length: 36 },
    floating_port_id: { type: 'varchar', length: 36 },
    fixed_port_id: { type: 'varchar', length: 36, nullable: true },
    fixed_ip_address: { type: 'varchar', length: 64, nullable: true },
    router_id: { type: 'varchar', length: 36, nullable: true },
    status: { type: 'varchar', length: 16 },
  },
});

export const PORT_FORWARDINGS_TABLE = 'portforwardings';

/** One port forwarding of a floating IP (floating-ip-port-forwarding): external port → internal address and port. */
export interface PortForwardingRow {
  id: string;
  floatingip_id: string;
  /** The first external port; with the port-ranges extension, `external_port_end` is the last. */
  external_port: number;
  external_port_end: number;
  internal_port: number;
  internal_port_end: number;
  internal_ip_address: string;
  internal_port_id: string;
  protocol: string;
  description: string;
}

export const PortForwardingEntity = new EntitySchema<PortForwardingRow>({
  name: 'PortForwarding',
  tableName: PORT_FORWARDINGS_TABLE,
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    floatingip_id: { type: 'varchar', length: 36 },
    external_port: { type: 'integer' },
    external_port_end: { type: 'integer' },
    internal_port: { type: 'integer' },
    internal_port_end: { type: 'integer' },
    internal_ip_address: { type: 'varchar', length: 64 },
    internal_port_id: { type: 'varchar', length: 36 },
    protocol: { type: 'varchar', length: 40 },
    description: { type: 'varchar', length: 1024 },
  },
});
