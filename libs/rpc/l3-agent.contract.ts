/**
 * The L3 agent's conversation with the server (neutron/api/rpc/handlers/l3_rpc.py on the server, L3AgentNotifyAPI in
 * neutron/api/rpc/agentnotifiers/l3_rpc_agent_api.py towards the agents). The server schedules routers to L3 agents
 * and owns every port and address; the agent builds what `sync_routers` describes and reports the floating IPs'
 * and routers' state back.
 *
 * API version history:
 *   1.0 - agent → server on PLUGIN_TOPIC: sync_routers, update_floatingip_statuses, update_router_state.
 *         server → agent, cast on l3AgentTopic(host): routers_updated, router_deleted, router_added_to_agent,
 *         router_removed_from_agent.
 *         report_state configurations: L3AgentConfigurations.
 */
export const L3_AGENT_RPC_VERSION = '1.0';

/** Server → one L3 agent: cast on `l3_agent.<host>`. */
export const l3AgentTopic = (host: string) => `l3_agent.${host}`;

/** One subnet of a router port as l3_rpc gives it (`subnets` of a port; `_populate_mtu_and_subnets_for_ports`). */
export interface L3SubnetInfo {
  id: string;
  cidr: string;
  gateway_ip: string | null;
  /** 4 or 6 */
  ip_version?: number;
  dns_nameservers?: string[];
  host_routes?: { destination: string; nexthop: string }[];
}

/** One fixed IP of a router port, with the prefix length of its subnet (as Neutron adds it). */
export interface L3FixedIp {
  subnet_id: string;
  ip_address: string;
  prefixlen?: number;
}

/** A router port: an interface (`_interfaces`, device_owner network:router_interface) or the gateway (`gw_port`). */
export interface L3PortInfo {
  id: string;
  network_id: string;
  mac_address: string;
  fixed_ips: L3FixedIp[];
  subnets: L3SubnetInfo[];
  admin_state_up?: boolean;
  device_owner?: string;
  mtu?: number;
}

/** A floating IP associated with a port behind the router (`_floatingips`). */
export interface L3FloatingIpInfo {
  id: string;
  floating_ip_address: string;
  fixed_ip_address: string;
  port_id: string;
  status: string;
  floating_network_id?: string;
}

/** A port forwarding on a floating IP of the router (`_pf_floatingips`). */
export interface L3PortForwardingInfo {
  id: string;
  floatingip_id: string;
  floating_ip_address: string;
  protocol: 'tcp' | 'udp' | 'sctp';
  internal_ip_address: string;
  /** one port (`'22'`) or a range (`'2000:2010'`) */
  internal_port: string | number;
  external_port: string | number;
  internal_port_id?: string;
}

/** An extra route (extraroute). */
export interface L3Route {
  destination: string;
  nexthop: string;
}

/** A router as sync_routers gives it (l3_db._process_sync_data). */
export interface L3RouterInfo {
  id: string;
  name: string;
  admin_state_up: boolean;
  status: string;
  project_id: string;
  /** null: no external gateway */
  gw_port: L3PortInfo | null;
  gw_port_id?: string | null;
  enable_snat: boolean;
  external_gateway_info: {
    network_id: string;
    enable_snat: boolean;
    external_fixed_ips: { subnet_id: string; ip_address: string }[];
  } | null;
  routes: L3Route[];
  _interfaces: L3PortInfo[];
  _floatingips: L3FloatingIpInfo[];
  _pf_floatingips?: L3PortForwardingInfo[];
  distributed?: boolean;
  ha?: boolean;
}

/** PLUGIN_TOPIC `sync_routers` request: the routers scheduled to the L3 agent on `host` (all, or these ids). */
export interface L3SyncRoutersRequest {
  host: string;
  /** absent: every router scheduled to the host (full sync) */
  router_ids?: string[];
}
/** PLUGIN_TOPIC `sync_routers` answer: the routers of the request scheduled to the host (an id missing = not here). */
export type L3SyncRoutersAnswer = L3RouterInfo[];

/** Floating IP statuses the agent reports (Neutron's FLOATINGIP_STATUS_*). */
export type FloatingIpStatus = 'ACTIVE' | 'DOWN' | 'ERROR';

/** PLUGIN_TOPIC `update_floatingip_statuses`: what the agent made of a router's floating IPs. */
export interface L3FloatingIpStatusesRequest {
  router_id: string;
  /** floating IP id → status; a floating IP the agent no longer serves on the router is reported DOWN */
  fip_statuses: Record<string, FloatingIpStatus>;
}

/** PLUGIN_TOPIC `update_router_state` (HA state in Neutron; here: the router is built, or not). */
export interface L3RouterStateRequest {
  router_id: string;
  host: string;
  state: 'active' | 'standby' | 'unknown';
}

/** `routers_updated`: these routers changed (interfaces, gateway, routes, floating IPs…): the agent refetches them. */
export interface L3RoutersUpdatedNotice {
  routers: string[];
}
/** `router_deleted`: the router is gone. */
export interface L3RouterDeletedNotice {
  router_id: string;
}
/** `router_added_to_agent`: these routers are now scheduled to this agent. */
export interface L3RouterAddedNotice {
  routers: string[];
}
/** `router_removed_from_agent`: the router is no longer scheduled here. */
export interface L3RouterRemovedNotice {
  router_id: string;
}
export const L3_AGENT_METHODS = ['routers_updated', 'router_deleted', 'router_added_to_agent', 'router_removed_from_agent'] as const;

/** L3 agent configurations in report_state (like neutron-l3-agent's). */
export interface L3AgentConfigurations {
  agent_mode: 'legacy';
  routers: number;
  ex_gw_ports: number;
  interfaces: number;
  floating_ips: number;
  interface_driver: string;
  log_agent_heartbeats: boolean;
  handle_internal_only_routers: boolean;
  external_network_bridge: string;
  gateway_external_network_id: string;
  /** the dataplane driver applying the routers: simulated or linux */
  l3_driver: string;
}
