/**
 * The metering agent's conversation with the server (neutron/db/metering/metering_rpc.py on the server,
 * MeteringAgentNotifyAPI in neutron/api/rpc/agentnotifiers/metering_rpc_agent_api.py towards the agents, and the
 * `l3.meter` notifications of neutron/services/metering/agents/metering_agent.py). The server owns labels, rules and
 * routers; the agent counts the traffic of the routers built on its host (the L3 agent's routers there) and reports
 * the counts it measured; the server adds them up.
 *
 * API version history:
 *   1.0 - agent → server on PLUGIN_TOPIC: get_sync_data_metering (host; optional router_ids: an incremental fetch).
 *         server → agent, cast on meteringAgentTopic(host): add_metering_label, remove_metering_label,
 *         add_metering_label_rule, remove_metering_label_rule, update_metering_label_rules, routers_updated
 *         (each with the routers it concerns); fanout on METERING_AGENT_TOPIC: router_deleted.
 *         agent → server, cast on METERING_NOTIFICATIONS_TOPIC: `l3.meter` (one per label, or per label and router
 *         in granular mode, every report_interval).
 *         report_state configurations: MeteringAgentConfigurations.
 */
export const METERING_AGENT_RPC_VERSION = '1.0';

/** Server → every metering agent (fanout). */
export const METERING_AGENT_TOPIC = 'metering_agent';
/** Server → the metering agent of one host: cast on `metering_agent.<host>`. */
export const meteringAgentTopic = (host: string) => `${METERING_AGENT_TOPIC}.${host}`;
/** Agents → server: the `l3.meter` notifications (Neutron's notifier, publisher `metering.<host>`). */
export const METERING_NOTIFICATIONS_TOPIC = 'notifications.metering';
export const L3_METER_EVENT = 'l3.meter';

/** One rule of a label (MeteringDbMixin._make_metering_label_rule_dict). */
export interface MeteringRuleInfo {
  id: string;
  metering_label_id: string;
  direction: 'ingress' | 'egress';
  remote_ip_prefix: string | null;
  source_ip_prefix: string | null;
  destination_ip_prefix: string | null;
  excluded: boolean;
}

/** A label applied to a router (`_metering_labels` items). */
export interface MeteringLabelInfo {
  id: string;
  name: string;
  shared: boolean;
  /** The label's own project (Neutron leaves it out; the agent then names the router's) */
  project_id: string;
  rules: MeteringRuleInfo[];
}

/** A router with the labels that apply to it (MeteringDbMixin._make_router_dict + `_metering_labels`). */
export interface MeteringRouterInfo {
  id: string;
  name: string;
  project_id: string;
  admin_state_up: boolean;
  status: string;
  /** null: no external gateway, so nothing to count (rules match on the gateway device) */
  gw_port_id: string | null;
  distributed: boolean;
  _metering_labels: MeteringLabelInfo[];
}

/** PLUGIN_TOPIC `get_sync_data_metering`: the routers of the L3 agents on `host` that have labels (or of router_ids). */
export interface MeteringSyncRequest {
  host: string;
  /** absent: every router of the host with a label (full sync) */
  router_ids?: string[];
}
/** The routers with at least one label; a router asked for and missing here has none (or is not on the host). */
export type MeteringSyncAnswer = MeteringRouterInfo[];

/** Server → agent notices: the routers concerned, as get_sync_data_metering gives them after the change. */
export interface MeteringRoutersNotice {
  routers: MeteringRouterInfo[];
}
export interface MeteringRouterDeletedNotice {
  router_id: string;
}
export const METERING_AGENT_METHODS = [
  'add_metering_label',
  'remove_metering_label',
  'add_metering_label_rule',
  'remove_metering_label_rule',
  'update_metering_label_rules',
  'routers_updated',
] as const;

/** An `l3.meter` notification's payload (MeteringAgent.create_notification_message_data). */
export interface L3MeterPayload {
  label_id: string;
  project_id: string;
  pkts: number;
  bytes: number;
  /** seconds the counts cover */
  time: number;
  /** unix seconds of the first and the last measure counted */
  first_update: number;
  last_update: number;
  host: string;
  /** granular_traffic_data: the router the counts were measured on */
  router_id?: string;
}

/** The notification as oslo.messaging's notifier sends it. */
export interface L3MeterNotification {
  message_id: string;
  publisher_id: string;
  event_type: typeof L3_METER_EVENT;
  priority: 'INFO';
  timestamp: string;
  payload: L3MeterPayload;
}

/** report_state configurations (neutron-metering-agent's). */
export interface MeteringAgentConfigurations {
  metering_driver: string;
  measure_interval: number;
  report_interval: number;
  granular_traffic_data: boolean;
  routers: number;
  metering_labels: number;
}
