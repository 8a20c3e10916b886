import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AgentEntity } from '../../agents-api/agent.entity.js';
import { agentNotFound } from '../../agents-api/agent.errors.js';
import { presentAgent } from '../../agents-api/agent-presenter.js';
import { aliveSince } from '../../agents-api/agent-time.js';
import { AUTHORIZER, type ApiRequest, type ApiResponse, type Authorizer } from '../../api/engine/ports.js';
import { renderItem } from '../../api/engine/render.js';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { ResourceWriter } from '../../api/engine/resource-writer.js';
import { httpNotFound, methodNotAllowed, policyNotAuthorized } from '../../api/errors/neutron-error.js';
import { isObject, parseJsonBody } from '../../api/request/body-parser.js';
import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { anyOf, Database } from '../../db/index.js';
import { AGENT_TYPES } from '../../rpc/agent-state.contract.js';
import { RouterEntity } from '../l3.entities.js';
import { routerNotFound } from '../l3.errors.js';
import { L3AgentNotifier } from '../rpc/l3-agent-notifier.js';
import { bindRouter, hostingL3Agents, routersOfAgent, unbindRouter } from './l3-bindings.store.js';
import { invalidL3Agent, routerHostedByL3Agent, routerIdNotSpecified } from './l3-scheduler.errors.js';

/**
 * The l3_agent_scheduler extension (§2.11): `/agents/{id}/l3-routers` (list, add, remove) and
 * `/routers/{id}/l3-agents`. Admin only by Neutron's default policy; the rule is checked before any lookup.
 */
@Injectable()
export class L3SchedulerHandler {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(ResourceWriter) private readonly writer: ResourceWriter,
    @Inject(AUTHORIZER) private readonly authz: Authorizer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(L3AgentNotifier) private readonly notifier: L3AgentNotifier,
  ) {}

  async agentRouters(req: ApiRequest, agentId: string, rest: string[]): Promise<ApiResponse> {
    if (rest.length > 1) throw httpNotFound();
    const [routerId] = rest;
    if (routerId === undefined && req.method === 'GET') {
      this.enforce(req, 'get_l3-routers');
      return { status: 200, body: { routers: await this.db.read((em) => this.listRouters(this.context(req, em, () => undefined), agentId)) } };
    }
    if (routerId === undefined && req.method === 'POST') {
      this.enforce(req, 'create_l3-router');
      const body = parseJsonBody(req.rawBody);
      const id = isObject(body) ? body.router_id : undefined;
      if (typeof id !== 'string') throw routerIdNotSpecified();
      await this.db.unitOfWork((em, afterCommit) => this.addRouter(em, afterCommit, agentId, id));
      // Neutron's controller returns None: rendered as `null`.
      return { status: 201, body: null };
    }
    if (routerId !== undefined && req.method === 'DELETE') {
      this.enforce(req, 'delete_l3-router');
      await this.db.unitOfWork((em, afterCommit) => this.removeRouter(em, afterCommit, agentId, routerId));
      return { status: 204 };
    }
    throw methodNotAllowed(req.method);
  }

  async routerAgents(req: ApiRequest, routerId: string, rest: string[]): Promise<ApiResponse> {
    if (rest.length) throw httpNotFound();
    if (req.method !== 'GET') throw methodNotAllowed(req.method);
    this.enforce(req, 'get_l3-agents');
    const agents = await this.db.read(async (em) => {
      const ids = (await hostingL3Agents(em, [routerId])).map((h) => h.agent_id);
      const rows = ids.length ? await em.getRepository(AgentEntity).find({ where: { id: anyOf(em, ids) }, order: { host: 'ASC' } }) : [];
      const since = aliveSince(new Date(), this.config.agents.agent_down_time);
      return rows.map((row) => presentAgent(row, since));
    });
    return { status: 200, body: { agents } };
  }

  /** add_router_to_l3_agent: the router, the agent, an enabled L3 agent, not hosted elsewhere; then the agent hears it. */
  private async addRouter(em: EntityManager, afterCommit: RequestContext['afterCommit'], agentId: string, routerId: string): Promise<void> {
    if (!(await em.getRepository(RouterEntity).existsBy({ id: routerId }))) throw routerNotFound(routerId);
    const agent = await em.getRepository(AgentEntity).findOneBy({ id: agentId });
    if (!agent) throw agentNotFound(agentId);
    if (agent.agent_type !== AGENT_TYPES.l3.agent_type || !agent.admin_state_up) throw invalidL3Agent(agentId);
    const hosting = await hostingL3Agents(em, [routerId]);
    if (hosting.some((h) => h.agent_id === agentId)) return;
    if (hosting.length) throw routerHostedByL3Agent(routerId, hosting[0].agent_id);
    if (!(await bindRouter(em, routerId, agentId))) return;
    afterCommit(() => this.notifier.routersAddedToAgent([routerId], agent.host));
  }

  /** remove_router_from_l3_agent: the agent must exist, then the router; the agent hears it when it hosted it. */
  private async removeRouter(em: EntityManager, afterCommit: RequestContext['afterCommit'], agentId: string, routerId: string): Promise<void> {
    const agent = await em.getRepository(AgentEntity).findOneBy({ id: agentId });
    if (!agent) throw agentNotFound(agentId);
    const removed = await unbindRouter(em, routerId, agentId);
    if (!(await em.getRepository(RouterEntity).existsBy({ id: routerId }))) throw routerNotFound(routerId);
    if (removed) afterCommit(() => this.notifier.routerRemovedFromAgent(routerId, agent.host));
  }

  /** Full router dicts, as GET /routers shows them to an admin. */
  private async listRouters(ctx: RequestContext, agentId: string): Promise<ApiObject[]> {
    const ids = await routersOfAgent(ctx.em, agentId);
    if (!ids.length) {
      if (!(await ctx.em.getRepository(AgentEntity).existsBy({ id: agentId }))) throw agentNotFound(agentId);
      return [];
    }
    const def = this.registry.resourceAt('routers');
    if (!def) return [];
    const routers = await def.service.list(ctx, {
      filters: [{ attr: 'id', values: ids }],
      tagFilters: {},
      sorts: [{ attr: 'id', dir: 'asc' }],
      pageReverse: false,
      fields: [],
    });
    await this.writer.load(def, ctx, routers);
    return routers.map((r) => renderItem(def.attributes, r, [], []));
  }

  private enforce(req: ApiRequest, action: string): void {
    const denied = this.authz.authorize(action, {}, req.auth, []);
    if (denied) throw policyNotAuthorized(denied);
  }

  private context(req: ApiRequest, em: EntityManager, afterCommit: RequestContext['afterCommit']): RequestContext {
    return { auth: req.auth, isAdmin: req.auth.is_admin, projectId: req.auth.project_id, em, forUpdate: false, afterCommit };
  }
}
