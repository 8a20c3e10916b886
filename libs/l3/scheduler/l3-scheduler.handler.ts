import { Inject, Injectable } from '@nestjs/common';
import { AgentEntity } from '../../agents-api/agent.entity.js';
import { agentNotFound } from '../../agents-api/agent.errors.js';
import { parseConfigurations } from '../../agents-api/agent-presenter.js';
import { AgentSchedulingRoutes } from '../../agents-api/agent-scheduler.routes.js';
import { AUTHORIZER, type Authorizer } from '../../api/engine/ports.js';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { ResourceWriter } from '../../api/engine/resource-writer.js';
import type { RequestContext } from '../../api/resource/resource-definition.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { Database } from '../../db/index.js';
import { AGENT_TYPES } from '../../rpc/agent-state.contract.js';
import { RouterEntity } from '../l3.entities.js';
import { routerNotFound } from '../l3.errors.js';
import { L3AgentNotifier } from '../rpc/l3-agent-notifier.js';
import { bindRouter, hostingL3Agents, routersOfAgent, unbindRouter } from './l3-bindings.store.js';
import { invalidL3Agent, routerHostedByL3Agent, routerIdNotSpecified, routerL3AgentMismatch } from './l3-scheduler.errors.js';
import { isDistributedRouter } from '../dvr/router-migration.js';

/** The l3_agent_scheduler extension (§2.11): `/agents/{id}/l3-routers` and `/routers/{id}/l3-agents`. */
@Injectable()
export class L3SchedulerHandler extends AgentSchedulingRoutes {
  constructor(
    @Inject(Database) db: Database,
    @Inject(ResourceRegistry) registry: ResourceRegistry,
    @Inject(ResourceWriter) writer: ResourceWriter,
    @Inject(AUTHORIZER) authz: Authorizer,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(L3AgentNotifier) notifier: L3AgentNotifier,
  ) {
    super(
      {
        resource: 'routers',
        idKey: 'router_id',
        rules: { list: 'get_l3-routers', add: 'create_l3-router', remove: 'delete_l3-router', agents: 'get_l3-agents' },
        missingId: routerIdNotSpecified,
        hostedBy: routersOfAgent,
        hostingAgents: async (em, routerId) => (await hostingL3Agents(em, [routerId])).map((h) => h.agent_id),
        add: (ctx, agentId, routerId) => addRouter(ctx, notifier, agentId, routerId),
        remove: (ctx, agentId, routerId) => removeRouter(ctx, notifier, agentId, routerId),
      },
      { db, registry, writer, authz, config },
    );
  }
}

/**
 * add_router_to_l3_agent: the router, the agent, an L3 agent whose mode suits the router (a legacy one: not a
 * distributed router), enabled, not hosted elsewhere; then the agent hears it.
 */
async function addRouter(ctx: RequestContext, notifier: L3AgentNotifier, agentId: string, routerId: string): Promise<void> {
  const { em } = ctx;
  if (!(await em.getRepository(RouterEntity).existsBy({ id: routerId }))) throw routerNotFound(routerId);
  const agent = await em.getRepository(AgentEntity).findOneBy({ id: agentId });
  if (!agent) throw agentNotFound(agentId);
  if (agent.agent_type !== AGENT_TYPES.l3.agent_type) throw invalidL3Agent(agentId);
  if (agentMode(agent.configurations) === 'legacy' && (await isDistributedRouter(em, routerId))) throw routerL3AgentMismatch(routerId, agentId);
  if (!agent.admin_state_up) throw invalidL3Agent(agentId);
  const hosting = await hostingL3Agents(em, [routerId]);
  if (hosting.some((h) => h.agent_id === agentId)) return;
  if (hosting.length) throw routerHostedByL3Agent(routerId, hosting[0].agent_id);
  if (!(await bindRouter(em, routerId, agentId))) return;
  ctx.afterCommit(() => notifier.routersAddedToAgent([routerId], agent.host));
}

/** remove_router_from_l3_agent: the agent must exist, then the router; the agent hears it when it hosted it. */
async function removeRouter(ctx: RequestContext, notifier: L3AgentNotifier, agentId: string, routerId: string): Promise<void> {
  const { em } = ctx;
  const agent = await em.getRepository(AgentEntity).findOneBy({ id: agentId });
  if (!agent) throw agentNotFound(agentId);
  const removed = await unbindRouter(em, routerId, agentId);
  if (!(await em.getRepository(RouterEntity).existsBy({ id: routerId }))) throw routerNotFound(routerId);
  if (removed) ctx.afterCommit(() => notifier.routerRemovedFromAgent(routerId, agent.host));
}

/** The agent_mode an L3 agent reported (neutron-l3-agent's default: legacy). */
const agentMode = (configurations: string) => (parseConfigurations(configurations).agent_mode as string | undefined) ?? 'legacy';
