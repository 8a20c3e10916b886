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
 *   2.0 - what the agent holds is labels + routers, not labels × routers: get_metering_labels (every label with its
 *         rules, once) and get_metering_routers (the host's routers: id, project, gateway port; a router meters every
 *         shared label and its project's), both by keyset pages or by ids. Label notices (add_metering_label,
 *         remove_metering_label, add/remove_metering_label_rule, update_metering_label_rules) name labels and go
 *         fanout on METERING_AGENT_TOPIC (the agent then refetches the routers they apply to); routers_updated
 *         names routers, cast to their hosts. get_sync_data_metering
 *         and the notices carrying routers with their labels copied in each are gone: a sync of 1,000 labels on 320
 *         routers was one 320,000-label message (nothing of 1.0 is left to answer: the agent and the server ship in
 *         one build); removing 1.0's calls makes this a major version.
 */
export const METERING_AGENT_RPC_VERSION = '2.0';

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

/** A label with its rules (2.0: sent once, whatever the number of routers it applies to). */
export interface MeteringLabelInfo {
  id: string;
  name: string;
  shared: boolean;
  project_id: string;
  rules: MeteringRuleInfo[];
}

/**
 * A router of the host that is administratively up (MeteringDbMixin._make_router_dict, without labels). The labels
 * that apply to it are every shared label and the non-shared labels of its project (Neutron's
 * _process_sync_metering_data): the agent derives them.
 */
export interface MeteringRouterInfo {
  id: string;
  project_id: string;
  /** null: no external gateway, so nothing to count (rules match on the gateway device) */
  gw_port_id: string | null;
}

/** The largest page the server answers (a larger `limit` is cut to it). */
export const METERING_MAX_PAGE = 500;

/**
 * PLUGIN_TOPIC `get_metering_labels` (2.0): every label with its rules, in id order after `after` (keyset paging),
 * at most `limit` (default and cap METERING_MAX_PAGE); or, with `label_ids`, those of them that exist (no paging).
 */
export interface MeteringLabelsRequest {
  host: string;
  after?: string;
  limit?: number;
  label_ids?: string[];
}
export interface MeteringLabelsPage {
  labels: MeteringLabelInfo[];
  /** the `after` of the next page; null: this was the last */
  next: string | null;
}

/**
 * PLUGIN_TOPIC `get_metering_routers` (2.0): the routers of the L3 agents on `host` that are up, in id order after
 * `after`, at most `limit` (of `project_ids` only, when given); or, with `router_ids`, those of them that are (a
 * router asked for and missing is not on the host any more, or down). The agent asks again for the routers a changed
 * label applies to, as Neutron's label notices carry them: a router scheduled since is metered at once.
 */
export interface MeteringRoutersRequest {
  host: string;
  after?: string;
  limit?: number;
  router_ids?: string[];
  /** only the routers of these projects (still by pages): what a changed non-shared label applies to */
  project_ids?: string[];
}
export interface MeteringRoutersPage {
  routers: MeteringRouterInfo[];
  next: string | null;
}

/** Server → every metering agent (fanout, 2.0): labels created, deleted, or whose rules changed, to refetch. */
export interface MeteringLabelsNotice {
  label_ids: string[];
}
export const METERING_LABEL_METHODS = [
  'add_metering_label',
  'remove_metering_label',
  'add_metering_label_rule',
  'remove_metering_label_rule',
  'update_metering_label_rules',
] as const;

/** Server → the metering agent of a host (cast, 2.0): its routers created or changed, to refetch. */
export interface MeteringRoutersNotice {
  router_ids: string[];
}
export const ROUTERS_UPDATED = 'routers_updated';

export interface MeteringRouterDeletedNotice {
  router_id: string;
}

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
