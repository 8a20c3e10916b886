import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { AgentEntity } from './agent.entity.js';
import { agentRecord } from './agent-presenter.js';
import { aliveSince } from './agent-time.js';
import type { AgentRecord, AgentRegistry } from '../plugin/agents/agents.contract.js';

/** AGENT_REGISTRY: the agents table as port binding and scheduling read it, inside the caller's transaction. */
@Injectable()
export class AgentRegistryService implements AgentRegistry {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async agentsOnHost(em: EntityManager, host: string, agentType: string): Promise<AgentRecord[]> {
    const rows = await em.getRepository(AgentEntity).find({ where: { host, agent_type: agentType }, order: { id: 'ASC' } });
    const since = aliveSince(new Date(), this.config.agents.agent_down_time);
    return rows.map((row) => agentRecord(row, since));
  }

  async agentsOfType(em: EntityManager, agentType: string): Promise<AgentRecord[]> {
    const rows = await em.getRepository(AgentEntity).find({ where: { agent_type: agentType }, order: { host: 'ASC' } });
    const since = aliveSince(new Date(), this.config.agents.agent_down_time);
    return rows.map((row) => agentRecord(row, since));
  }
}
