import type { ApiObject } from '../api/resource/resource-definition.js';
import type { AgentRecord } from '../plugin/agents/agents.contract.js';
import type { AgentRow } from './agent.entity.js';

/** configurations as stored; a row written by something else with bad JSON shows `{}` (Neutron's _get_dict). */
export function parseConfigurations(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `aliveSince`: the oldest heartbeat that is still alive now (see agent-time.ts). */
export function presentAgent(row: AgentRow, aliveSince: string): ApiObject {
  return {
    id: row.id,
    agent_type: row.agent_type,
    binary: row.binary,
    topic: row.topic,
    host: row.host,
    admin_state_up: Boolean(row.admin_state_up),
    created_at: row.created_at,
    started_at: row.started_at,
    heartbeat_timestamp: row.heartbeat_timestamp,
    alive: row.heartbeat_timestamp >= aliveSince,
    configurations: parseConfigurations(row.configurations),
    description: row.description,
    availability_zone: row.availability_zone,
    resources_synced: row.resources_synced === null ? null : Boolean(row.resources_synced),
  };
}

export function agentRecord(row: AgentRow, aliveSince: string): AgentRecord {
  return {
    id: row.id,
    agent_type: row.agent_type,
    binary: row.binary,
    host: row.host,
    topic: row.topic,
    admin_state_up: Boolean(row.admin_state_up),
    alive: row.heartbeat_timestamp >= aliveSince,
    configurations: parseConfigurations(row.configurations),
    availability_zone: row.availability_zone,
  };
}
