/**
 * The L2 (linuxbridge) agent's conversation with the server. Names follow neutron/plugins/ml2/rpc.py (RpcCallbacks
 * on the server, AgentNotifierApi towards the agents) so a reader of Neutron finds the same conversation here.
 *
 * API version history:
 *   1.0 - agent → server on PLUGIN_TOPIC: get_devices_details_list, update_device_up, update_device_down,
 *         get_bound_devices (the resync inventory).
 *         server → agents on L2_AGENT_FANOUT: port_update, port_delete, network_delete.
 *         report_state configurations: L2AgentConfigurations.
 */
export const L2_AGENT_RPC_VERSION = '1.0';

/** Server → every L2 agent (fanout): port_update, port_delete, network_update, network_delete. */
export const L2_AGENT_FANOUT = 'q-agent-notifier';

/** The linuxbridge device name of a port: `tap` + the first 11 characters of its id. */
export const tapDevice = (portId: string) => `tap${portId.slice(0, 11)}`;

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

// ---- PLUGIN_TOPIC methods used by the L2 agent ----

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
