/**
 * What the server and its agents say to each other over the bus (libs/bus). Names follow Neutron's RPC APIs so a
 * reader of neutron/plugins/ml2/rpc.py or neutron/api/rpc finds the same conversation. Pure types: both sides import
 * this file, nothing else crosses.
 */

/** Agents → server: `call`/`cast` on this topic (any server replica answers). */
export const PLUGIN_TOPIC = 'q-plugin';
/** Agents → server: `report_state` heartbeats. */
export const REPORTS_TOPIC = 'q-reports-plugin';
/** Server → every L2 agent (fanout): port_update, port_delete, network_update, network_delete. */
export const L2_AGENT_FANOUT = 'q-agent-notifier';
/** Server → one DHCP agent: cast on `dhcp_agent.<host>`. */
export const dhcpAgentTopic = (host: string) => `dhcp_agent.${host}`;
/** Retried queue for Nova os-server-external-events. */
export const NOVA_EVENTS_QUEUE = 'nova-events';

export const AGENT_TYPES = {
  l2: { agent_type: 'Linux bridge agent', binary: 'neutron-linuxbridge-agent', topic: 'N/A' },
  dhcp: { agent_type: 'DHCP agent', binary: 'neutron-dhcp-agent', topic: 'dhcp_agent' },
  l3: { agent_type: 'L3 agent', binary: 'neutron-l3-agent', topic: 'l3_agent' },
  metering: { agent_type: 'Metering agent', binary: 'neutron-metering-agent', topic: 'metering_agent' },
} as const;

/** REPORTS_TOPIC `report_state` payload (neutron's agent_state). */
export interface AgentState {
  agent_type: string;
  binary: string;
  host: string;
  topic: string;
  configurations: Record<string, unknown>;
  /** true on the first report after the agent (re)started: the server resets `started_at`. */
  start_flag?: boolean;
  availability_zone?: string | null;
}

export interface ReportStateRequest {
  agent_state: AgentState;
  /** ISO time the agent sent it (informational). */
  time: string;
}

/** `report_state` answer: 'alive', or 'revived' when the server had considered the agent dead (the agent resyncs). */
export type ReportStateResult = 'alive' | 'revived';

/**
 * L2 agent configurations (linuxbridge style). `interface_mappings`: physnet → host interface (flat/vlan);
 * `tunnel_types`: overlay types the agent can wire (vxlan, geneve).
 */
export interface L2AgentConfigurations {
  interface_mappings: Record<string, string>;
  bridge_mappings: Record<string, string>;
  tunnel_types: string[];
  tunneling_ip?: string;
  l2_population: boolean;
  devices: number;
  extensions: string[];
  driver: 'simulated' | 'linux';
}

// ---- PLUGIN_TOPIC methods used by the L2 agent (neutron/plugins/ml2/rpc.py) ----

/** `get_devices_details_list` request: devices are `tap<port_id[:11]>` names or full port ids. */
export interface DevicesDetailsRequest {
  devices: string[];
  agent_id: string;
  host: string;
}

/** One device's details; a device the server does not know (or not bound to `host`) comes back as `{device}` only. */
export interface DeviceDetails {
  device: string;
  port_id?: string;
  network_id?: string;
  mac_address?: string;
  admin_state_up?: boolean;
  network_type?: string;
  segmentation_id?: number | null;
  physical_network?: string | null;
  mtu?: number;
  fixed_ips?: { subnet_id: string; ip_address: string }[];
  device_owner?: string;
}

/** `update_device_up` / `update_device_down`. */
export interface DeviceStatusRequest {
  device: string;
  agent_id: string;
  host: string;
}

/** `update_device_down` answer. */
export interface DeviceDownResult {
  device: string;
  exists: boolean;
}

/** `get_bound_devices` (resync): the ports bound to `host`, as device names, so a restarted agent rewires them. */
export interface BoundDevicesRequest {
  host: string;
}

// ---- L2_AGENT_FANOUT methods (server → L2 agents) ----

/** `port_update`: a port changed (bound, host moved, admin state); agents not hosting it ignore it. */
export interface PortUpdateNotice {
  port_id: string;
  device: string;
  host: string;
  network_id: string;
  admin_state_up: boolean;
}

/** `port_delete`. */
export interface PortDeleteNotice {
  port_id: string;
  device: string;
}

/** `network_delete`. */
export interface NetworkDeleteNotice {
  network_id: string;
}

/** The linuxbridge device name of a port: `tap` + the first 11 characters of its id. */
export const tapDevice = (portId: string) => `tap${portId.slice(0, 11)}`;

// ---- DHCP (issue 6). The server schedules networks and owns the DHCP port (it creates, updates and deletes it in
// the same transaction as the change that needs it); the agent serves what get_network_info returns. ----

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
