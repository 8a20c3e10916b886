/**
 * The DHCP agent's conversation with the server (neutron/api/rpc/handlers/dhcp_rpc.py on the server,
 * DhcpAgentNotifyAPI towards the agents). The server schedules networks and owns the DHCP port (it creates, updates
 * and deletes it in the same transaction as the change that needs it); the agent serves what get_network_info
 * returns.
 *
 * API version history:
 *   1.0 - agent → server on PLUGIN_TOPIC: get_active_networks_info, get_network_info, dhcp_ready_on_ports.
 *         server → agent, cast on dhcpAgentTopic(host): network_update, network_remove.
 *         report_state configurations: DhcpAgentConfigurations.
 *   1.1 - server → agent: port_update and port_delete carry the port (or its id), so the agent changes that one
 *         port without a refetch.
 */
export const DHCP_AGENT_RPC_VERSION = '1.1';

/** Server → one DHCP agent: cast on `dhcp_agent.<host>`. */
export const dhcpAgentTopic = (host: string) => `dhcp_agent.${host}`;

/** One subnet as the DHCP agent needs it. */
export interface DhcpSubnetInfo {
  id: string;
  cidr: string;
  ip_version: number;
  gateway_ip: string | null;
  enable_dhcp: boolean;
  dns_nameservers: string[];
  host_routes: { destination: string; nexthop: string }[];
  ipv6_address_mode: string | null;
  ipv6_ra_mode: string | null;
}

/** One port as the DHCP agent needs it (every port of the network, the DHCP port included). */
export interface DhcpPortInfo {
  id: string;
  mac_address: string;
  device_owner: string;
  device_id: string;
  admin_state_up: boolean;
  fixed_ips: { subnet_id: string; ip_address: string }[];
  extra_dhcp_opts: { opt_name: string; opt_value: string; ip_version: number }[];
}

/** PLUGIN_TOPIC `get_network_info` answer (null when the network is gone or no longer hosted by this agent). */
export interface DhcpNetworkInfo {
  id: string;
  project_id: string;
  mtu: number;
  admin_state_up: boolean;
  subnets: DhcpSubnetInfo[];
  ports: DhcpPortInfo[];
  /** This agent's DHCP port on the network (its addresses are the server's), or null while there is none. */
  dhcp_port: DhcpPortInfo | null;
}

/** PLUGIN_TOPIC `get_active_networks_info` request: the networks scheduled to the DHCP agent on `host`. */
export interface DhcpActiveNetworksRequest {
  host: string;
}

/** PLUGIN_TOPIC `get_network_info` request. */
export interface DhcpNetworkInfoRequest {
  network_id: string;
  host: string;
}

/** PLUGIN_TOPIC `dhcp_ready_on_ports`: the agent serves these ports now (clears their DHCP provisioning block). */
export interface DhcpReadyRequest {
  port_ids: string[];
}

/**
 * Server → DHCP agent casts on dhcpAgentTopic(host). A network-level notice names the network; the agent refetches
 * it with get_network_info. A port-level notice carries the port (as Neutron's port_create_end/port_update_end do),
 * so the agent replaces or removes that one port without a refetch; a port notice for a network the agent does not
 * know makes it refetch that network.
 */
export interface DhcpNetworkNotice {
  network_id: string;
}
/** `port_update`: a port of the network was created or changed (never the network's DHCP port: network_update). */
export interface DhcpPortUpdateNotice {
  network_id: string;
  port: DhcpPortInfo;
}
/** `port_delete`: a port of the network is gone. */
export interface DhcpPortDeleteNotice {
  network_id: string;
  port_id: string;
}
/**
 * Methods: `network_update` (the network, its subnets or its DHCP port changed: refetch), `network_remove`
 * (unscheduled or deleted), `port_update` and `port_delete` (one port; added in 1.1).
 */
export const DHCP_AGENT_METHODS = ['network_update', 'network_remove', 'port_update', 'port_delete'] as const;

/** DHCP agent configurations in report_state (like neutron-dhcp-agent's). */
export interface DhcpAgentConfigurations {
  dhcp_driver: string;
  dhcp_lease_duration: number;
  networks: number;
  subnets: number;
  ports: number;
  log_agent_heartbeats: boolean;
  /** `simulated` driver only: the loopback address and UDP port its DHCP server answers on. */
  dhcp_address?: string;
  dhcp_port?: number;
}
