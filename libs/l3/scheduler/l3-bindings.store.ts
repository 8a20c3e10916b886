import type { EntityManager } from 'typeorm';
import { AGENTS_TABLE } from '../../agents-api/agent.entity.js';
import { anyOfSql, sqlRows } from '../../db/index.js';
import { ROUTER_EXTRA_ATTRIBUTES_TABLE } from '../dvr/router-extra-attributes.entity.js';
import { ROUTERS_TABLE } from '../l3.entities.js';
import { L3_BINDINGS_TABLE, RouterL3AgentBindingEntity } from './router-l3-agent-binding.entity.js';

/** An L3 agent hosting a router, as the notifier, sync_routers and the API need it. */
export interface HostingL3Agent {
  router_id: string;
  agent_id: string;
  host: string;
  admin_state_up: boolean;
}

/** The agents hosting each of the routers: one query for all of them. */
export async function hostingL3Agents(em: EntityManager, routerIds: readonly string[]): Promise<HostingL3Agent[]> {
  if (!routerIds.length) return [];
  const rows = await em
    .createQueryBuilder()
    .select(['b.router_id AS router_id', 'b.l3_agent_id AS agent_id', 'a.host AS host', 'a.admin_state_up AS admin_state_up'])
    .from(L3_BINDINGS_TABLE, 'b')
    .innerJoin(AGENTS_TABLE, 'a', 'a.id = b.l3_agent_id')
    .where(...anyOfSql(em, 'b.router_id', routerIds))
    .orderBy('b.router_id')
    .addOrderBy('a.host')
    .getRawMany<HostingL3Agent & { admin_state_up: boolean | number }>();
  return rows.map((r) => ({ ...r, admin_state_up: Boolean(r.admin_state_up) }));
}

/** Routers per agent (the LeastRoutersScheduler's load). */
export async function routerCounts(em: EntityManager, agentIds: readonly string[]): Promise<Map<string, number>> {
  if (!agentIds.length) return new Map();
  const rows = await em
    .createQueryBuilder()
    .select('b.l3_agent_id', 'agent_id')
    .addSelect('COUNT(*)', 'n')
    .from(L3_BINDINGS_TABLE, 'b')
    .where(...anyOfSql(em, 'b.l3_agent_id', agentIds))
    .groupBy('b.l3_agent_id')
    .getRawMany<{ agent_id: string; n: string | number }>();
  return new Map(rows.map((r) => [r.agent_id, Number(r.n)]));
}

/** The router ids bound to one agent. */
export async function routersOfAgent(em: EntityManager, agentId: string): Promise<string[]> {
  const rows = await em.getRepository(RouterL3AgentBindingEntity).find({ select: { router_id: true }, where: { l3_agent_id: agentId }, order: { router_id: 'ASC' } });
  return rows.map((r) => r.router_id);
}

/** Routers bound to no agent that a legacy L3 agent may host (the auto-scheduling candidates), in one query. */
export async function unscheduledRouters(em: EntityManager): Promise<string[]> {
  const rows = await em
    .createQueryBuilder()
    .select('r.id', 'id')
    .from(ROUTERS_TABLE, 'r')
    .where(`NOT EXISTS (SELECT 1 FROM ${L3_BINDINGS_TABLE} b WHERE b.router_id = r.id)`)
    .andWhere(`NOT EXISTS (SELECT 1 FROM ${ROUTER_EXTRA_ATTRIBUTES_TABLE} x WHERE x.router_id = r.id AND x.distributed)`)
    .orderBy('r.id')
    .getRawMany<{ id: string }>();
  return rows.map((r) => r.id);
}

/** Where one router went: the agent now hosting it. */
export interface L3Binding {
  agent_id: string;
  host: string;
  zone: string | null;
}

/**
 * LeastRoutersScheduler in one statement: binds the router in slot 1 to the alive (heartbeat at or after
 * `aliveSince`), enabled L3 agent hosting the fewest routers (ties: by host), `only` that agent if given. Undefined when
 * no agent may take it or the router is hosted already (the unique (router_id, binding_index) makes a concurrent
 * scheduler's binding win). The appliance's L3 agents are all legacy ones (L3AgentConfigurations.agent_mode), and a
 * legacy agent is no candidate for a distributed router (get_l3_agent_candidates): such a router stays unscheduled.
 */
export async function bindLeastLoaded(em: EntityManager, routerId: string, agentType: string, aliveSince: string, only?: string): Promise<L3Binding | undefined> {
  const [row] = await sqlRows<L3Binding>(
    em,
    `INSERT INTO ${L3_BINDINGS_TABLE} (router_id, l3_agent_id, binding_index)
     SELECT ?, a.id, 1 FROM ${AGENTS_TABLE} a
     WHERE a.agent_type = ? AND a.admin_state_up AND a.heartbeat_timestamp >= ?${only ? ' AND a.id = ?' : ''}
       AND NOT EXISTS (SELECT 1 FROM ${ROUTER_EXTRA_ATTRIBUTES_TABLE} x WHERE x.router_id = ? AND x.distributed)
     ORDER BY (SELECT COUNT(*) FROM ${L3_BINDINGS_TABLE} c WHERE c.l3_agent_id = a.id), a.host
     LIMIT 1
     ON CONFLICT DO NOTHING
     RETURNING l3_agent_id AS agent_id,
       (SELECT h.host FROM ${AGENTS_TABLE} h WHERE h.id = l3_agent_id) AS host,
       (SELECT h.availability_zone FROM ${AGENTS_TABLE} h WHERE h.id = l3_agent_id) AS zone`,
    only ? [routerId, agentType, aliveSince, only, routerId] : [routerId, agentType, aliveSince, routerId],
  );
  return row;
}

/** The host of the one alive (heartbeat at or after `aliveSince`), enabled L3 agent hosting the router, if there is one. */
export async function liveHostOfRouter(em: EntityManager, routerId: string, aliveSince: string): Promise<string | undefined> {
  const rows = await sqlRows<{ host: string }>(
    em,
    `SELECT a.host AS host FROM ${L3_BINDINGS_TABLE} b JOIN ${AGENTS_TABLE} a ON a.id = b.l3_agent_id
     WHERE b.router_id = ? AND a.admin_state_up AND a.heartbeat_timestamp >= ?`,
    [routerId, aliveSince],
  );
  return rows.length === 1 ? rows[0].host : undefined;
}

/** Binds the router in slot 1; false when another server bound it first (ON CONFLICT DO NOTHING keeps PostgreSQL's transaction usable). */
export async function bindRouter(em: EntityManager, routerId: string, agentId: string): Promise<boolean> {
  const repo = em.getRepository(RouterL3AgentBindingEntity);
  await repo.createQueryBuilder().insert().values({ router_id: routerId, l3_agent_id: agentId, binding_index: 1 }).orIgnore().execute();
  return repo.existsBy({ router_id: routerId, l3_agent_id: agentId });
}

export async function unbindRouter(em: EntityManager, routerId: string, agentId?: string): Promise<number> {
  const result = await em.getRepository(RouterL3AgentBindingEntity).delete(agentId ? { router_id: routerId, l3_agent_id: agentId } : { router_id: routerId });
  return result.affected ?? 0;
}
