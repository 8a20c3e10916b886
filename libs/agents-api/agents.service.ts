import { isPostgres } from '../db/index.js';
import { Inject, Injectable } from '@nestjs/common';
import { methodNotAllowed } from '../api/errors/neutron-error.js';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../api/resource/resource-definition.js';
import { runListQuery } from '../api/sql/list-query.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { agentAttributes } from './agent.definition.js';
import { agentNotFound } from './agent.errors.js';
import { AgentEntity, type AgentRow } from './agent.entity.js';
import { presentAgent } from './agent-presenter.js';
import { aliveSince } from './agent-time.js';

/** /v2.0/agents: agents register themselves through report_state; the API lists, shows, updates and deletes them. */
@Injectable()
export class AgentsService implements ResourceService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    const since = this.aliveSince();
    const rows = await runListQuery(ctx.em, ctx.em.getRepository(AgentEntity).createQueryBuilder('a'), query, {
      alias: 'a',
      attributes: agentAttributes,
      customFilters: {
        // Neutron's get_agents reads only the first value of `alive`.
        alive: (qb, values, param) => {
          const p = param();
          qb.andWhere(`a.heartbeat_timestamp ${values[0] ? '>=' : '<'} :${p}`, { [p]: since });
        },
      },
      notFound: agentNotFound,
    });
    return rows.map((row) => presentAgent(row, since));
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const row = await this.findRow(ctx, id);
    return row ? presentAgent(row, this.aliveSince()) : undefined;
  }

  create(): Promise<ApiObject> {
    // Agents register through report_state only (Neutron's AgentPluginBase.create_agent refuses too).
    return Promise.reject(methodNotAllowed('POST'));
  }

  async update(ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject> {
    const set: Partial<AgentRow> = {};
    if ('admin_state_up' in changes) set.admin_state_up = changes.admin_state_up as boolean;
    if ('description' in changes) set.description = changes.description as string | null;
    if (Object.keys(set).length) await ctx.em.getRepository(AgentEntity).update({ id: current.id as string }, set);
    return { ...current, ...set };
  }

  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    await ctx.em.getRepository(AgentEntity).delete({ id: current.id as string });
  }

  private findRow(ctx: RequestContext, id: string): Promise<AgentRow | null> {
    const qb = ctx.em.getRepository(AgentEntity).createQueryBuilder('a').where('a.id = :id', { id });
    if (ctx.forUpdate && isPostgres(ctx.em)) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  private aliveSince(): string {
    return aliveSince(new Date(), this.config.agents.agent_down_time);
  }
}
