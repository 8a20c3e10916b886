import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { sqlRows } from '../db/index.js';
import { AGENTS_TABLE, AgentEntity, type AgentRow } from './agent.entity.js';
import { agentRecord } from './agent-presenter.js';
import { aliveSince } from './agent-time.js';
import type { AgentRecord, AgentRegistry } from '../plugin/agents/agents.contract.js';

/** What agentRecord reads of an agent's row. */
const AGENTS_ON_HOST =
  'SELECT id, agent_type, "binary", host, topic, admin_state_up, heartbeat_timestamp, configurations, availability_zone ' +
  `FROM ${AGENTS_TABLE} WHERE host = ? AND agent_type = ? ORDER BY id`;

/** AGENT_REGISTRY: the agents table as port binding and scheduling read it, inside the caller's transaction. */
@Injectable()
export class AgentRegistryService implements AgentRegistry {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Port binding and every agent RPC ask this: one hand-written statement. */
  async agentsOnHost(em: EntityManager, host: string, agentType: string): Promise<AgentRecord[]> {
    const rows = await sqlRows<AgentRow>(em, AGENTS_ON_HOST, [host, agentType]);
    const since = aliveSince(new Date(), this.config.agents.agent_down_time);
    return rows.map((row) => agentRecord(row, since));
  }

  async agentsOfType(em: EntityManager, agentType: string): Promise<AgentRecord[]> {
    const rows = await em.getRepository(AgentEntity).find({ where: { agent_type: agentType }, order: { host: 'ASC' } });
    const since = aliveSince(new Date(), this.config.agents.agent_down_time);
    return rows.map((row) => agentRecord(row, since));
  }
}
