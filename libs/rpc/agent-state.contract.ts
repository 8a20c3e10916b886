/**
 * What every agent says to the server, whatever its type: the topics it calls and its `report_state` heartbeat
 * (Neutron's PluginReportStateAPI and agents_db.AgentExtRpcCallback). Pure types and names: the server and the
 * agents both import this folder (libs/rpc), and nothing else crosses between them.
 *
 * Rules for every contract in libs/rpc (Neutron's doc/source/contributor/internals/rpc_api.rst, in short): a minor
 * version may add a method or an optional field; it never renames, removes or retypes one. A change that breaks an
 * older peer is a new major version. Each change bumps the version and adds a line to the history.
 *
 * API version history:
 *   1.0 - report_state on REPORTS_TOPIC: agent_state (agent_type, binary, host, topic, configurations, start_flag,
 *         availability_zone) and the time it was sent; the answer is 'alive', or 'revived' when the server had the
 *         agent down (the agent then resyncs).
 */
export const AGENT_STATE_RPC_VERSION = '1.0';

/** Agents → server: `call`/`cast` on this topic (any server replica answers). */
export const PLUGIN_TOPIC = 'q-plugin';
/** Agents → server: `report_state` heartbeats. */
export const REPORTS_TOPIC = 'q-reports-plugin';

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
