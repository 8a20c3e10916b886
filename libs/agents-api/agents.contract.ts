import type { EntityManager } from 'typeorm';

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
