import type { EntityManager } from 'typeorm';

/**
 * Agents as the plug-in reads them (Neutron's agents_db, part of the core plug-in): ML2 binds through them, the
 * schedulers place networks and routers on them. libs/agents-api implements the registry over its table.
 */

/** One row of the agents API, as the server's own code (binding, scheduling) reads it. */
export interface AgentRecord {
  id: string;
  agent_type: string;
  binary: string;
  host: string;
  topic: string;
  admin_state_up: boolean;
  /** heartbeat within agents.agent_down_time */
  alive: boolean;
  configurations: Record<string, unknown>;
  availability_zone: string | null;
}

export const AGENT_REGISTRY = Symbol('AGENT_REGISTRY');

export interface AgentRegistry {
  /** The agents of one type on one host (alive or not; callers check `alive`). */
  agentsOnHost(em: EntityManager, host: string, agentType: string): Promise<AgentRecord[]>;
  /** Every agent of one type (for scheduling). */
  agentsOfType(em: EntityManager, agentType: string): Promise<AgentRecord[]>;
}
