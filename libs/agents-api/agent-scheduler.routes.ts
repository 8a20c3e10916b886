import type { EntityManager } from 'typeorm';
import type { ApiRequest, ApiResponse, Authorizer } from '../api/engine/ports.js';
import { renderItem } from '../api/engine/render.js';
import type { ResourceRegistry } from '../api/engine/resource-registry.js';
import type { ResourceWriter } from '../api/engine/resource-writer.js';
import { httpNotFound, methodNotAllowed, type NeutronError, policyNotAuthorized } from '../api/errors/neutron-error.js';
import { isObject, parseJsonBody } from '../api/request/body-parser.js';
import type { ApiObject, RequestContext } from '../api/resource/resource-definition.js';
import type { AppConfig } from '../config/index.js';
import { anyOf, type Database } from '../db/index.js';
import { AgentEntity } from './agent.entity.js';
import { agentNotFound } from './agent.errors.js';
import { presentAgent } from './agent-presenter.js';
import { aliveSince } from './agent-time.js';

/** What one agent scheduler extension (dhcpagentscheduler, l3_agent_scheduler) says about its hosted resource. */
export interface AgentSchedulingSpec {
  /** The hosted resource's path and its id key in a POST body: 'networks' / 'network_id'. */
  resource: string;
  idKey: string;
  /** Policy rules: list and add/remove on an agent, list the agents of a resource. */
  rules: { list: string; add: string; remove: string; agents: string };
  missingId(): NeutronError;
  /** Resource ids the agent hosts, and agent ids hosting a resource. */
  hostedBy(em: EntityManager, agentId: string): Promise<string[]>;
  hostingAgents(em: EntityManager, resourceId: string): Promise<string[]>;
  /** The scheduler's own add/remove with Neutron's errors, inside the request's unit of work. */
  add(ctx: RequestContext, agentId: string, resourceId: string): Promise<void>;
  remove(ctx: RequestContext, agentId: string, resourceId: string): Promise<void>;
}

export interface AgentSchedulingDeps {
  db: Database;
  registry: ResourceRegistry;
  writer: ResourceWriter;
  authz: Authorizer;
  config: AppConfig;
}

/**
 * The routes every agent scheduler extension has (§2.11), written once: `/agents/{id}/<hosted>` (list, add, remove)
 * and `/<resource>/{id}/<agents>`. Admin only by Neutron's default policy; every rule is checked before any lookup.
 */
export class AgentSchedulingRoutes {
  constructor(
    private readonly spec: AgentSchedulingSpec,
    private readonly deps: AgentSchedulingDeps,
  ) {}

  async agentResources(req: ApiRequest, agentId: string, rest: string[]): Promise<ApiResponse> {
    if (rest.length > 1) throw httpNotFound();
    const [resourceId] = rest;
    const { db } = this.deps;
    if (resourceId === undefined && req.method === 'GET') {
      this.enforce(req, this.spec.rules.list);
      const items = await db.read((em) => this.listHosted(this.context(req, em, () => undefined, false), agentId));
      return { status: 200, body: { [this.spec.resource]: items } };
    }
    if (resourceId === undefined && req.method === 'POST') {
      this.enforce(req, this.spec.rules.add);
      const body = parseJsonBody(req.rawBody);
      const id = isObject(body) ? body[this.spec.idKey] : undefined;
      if (typeof id !== 'string') throw this.spec.missingId();
      await db.unitOfWork((em, afterCommit) => this.spec.add(this.context(req, em, afterCommit, true), agentId, id));
      // Neutron's controller returns None: rendered as `null`.
      return { status: 201, body: null };
    }
    if (resourceId !== undefined && req.method === 'DELETE') {
      this.enforce(req, this.spec.rules.remove);
      await db.unitOfWork((em, afterCommit) => this.spec.remove(this.context(req, em, afterCommit, true), agentId, resourceId));
      return { status: 204 };
    }
    throw methodNotAllowed(req.method);
  }

  async resourceAgents(req: ApiRequest, resourceId: string, rest: string[]): Promise<ApiResponse> {
    if (rest.length) throw httpNotFound();
    if (req.method !== 'GET') throw methodNotAllowed(req.method);
    this.enforce(req, this.spec.rules.agents);
    const agents = await this.deps.db.read(async (em) => {
      const ids = await this.spec.hostingAgents(em, resourceId);
      const rows = ids.length ? await em.getRepository(AgentEntity).find({ where: { id: anyOf(em, ids) }, order: { host: 'ASC' } }) : [];
      const since = aliveSince(new Date(), this.deps.config.agents.agent_down_time);
      return rows.map((row) => presentAgent(row, since));
    });
    return { status: 200, body: { agents } };
  }

  /** Full resource dicts, as GET /<resource> shows them to an admin. */
  private async listHosted(ctx: RequestContext, agentId: string): Promise<ApiObject[]> {
    const ids = await this.spec.hostedBy(ctx.em, agentId);
    if (!ids.length) {
      if (!(await ctx.em.getRepository(AgentEntity).existsBy({ id: agentId }))) throw agentNotFound(agentId);
      return [];
    }
    const def = this.deps.registry.definition(this.spec.resource);
    const items = await def.service.list(ctx, {
      filters: [{ attr: 'id', values: ids }],
      tagFilters: {},
      sorts: [{ attr: 'id', dir: 'asc' }],
      pageReverse: false,
      fields: [],
    });
    await this.deps.writer.load(def, ctx, items);
    return items.map((item) => renderItem(def.attributes, item, [], []));
  }

  private enforce(req: ApiRequest, action: string): void {
    const denied = this.deps.authz.authorize(action, {}, req.auth, []);
    if (denied) throw policyNotAuthorized(denied);
  }

  private context(req: ApiRequest, em: EntityManager, afterCommit: RequestContext['afterCommit'], forUpdate: boolean): RequestContext {
    return { auth: req.auth, isAdmin: req.auth.is_admin, projectId: req.auth.project_id, em, forUpdate, afterCommit };
  }
}
