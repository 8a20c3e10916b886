import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AgentEntity } from '../agents-api/agent.entity.js';
import { agentNotFound } from '../agents-api/agent.errors.js';
import { presentAgent } from '../agents-api/agent-presenter.js';
import { aliveSince } from '../agents-api/agent-time.js';
import { AUTHORIZER, type ApiRequest, type ApiResponse, type Authorizer } from '../api/engine/ports.js';
import { renderItem } from '../api/engine/render.js';
import { ResourceWriter } from '../api/engine/resource-writer.js';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { httpNotFound, methodNotAllowed, policyNotAuthorized } from '../api/errors/neutron-error.js';
import { isObject, parseJsonBody } from '../api/request/body-parser.js';
import type { ApiObject, RequestContext } from '../api/resource/resource-definition.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { anyOf, Database } from '../db/index.js';
import { hostingAgents, networksOfAgent } from './dhcp-bindings.store.js';
import { DhcpNetworks } from './dhcp-networks.service.js';
import { networkIdNotSpecified } from './dhcp-scheduler.errors.js';

/**
 * The dhcpagentscheduler extension (§2.11): `/agents/{id}/dhcp-networks` (list, add, remove) and
 * `/networks/{id}/dhcp-agents`. Admin only by Neutron's default policy; every rule is checked before any lookup.
 */
@Injectable()
export class DhcpSchedulerHandler {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(DhcpNetworks) private readonly dhcp: DhcpNetworks,
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(ResourceWriter) private readonly writer: ResourceWriter,
    @Inject(AUTHORIZER) private readonly authz: Authorizer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async agentNetworks(req: ApiRequest, agentId: string, rest: string[]): Promise<ApiResponse> {
    if (rest.length > 1) throw httpNotFound();
    const [networkId] = rest;
    if (networkId === undefined && req.method === 'GET') {
      this.enforce(req, 'get_dhcp-networks');
      return { status: 200, body: { networks: await this.db.read((em) => this.listNetworks(this.context(req, em, () => undefined), agentId)) } };
    }
    if (networkId === undefined && req.method === 'POST') {
      this.enforce(req, 'create_dhcp-network');
      const body = parseJsonBody(req.rawBody);
      const id = isObject(body) ? body.network_id : undefined;
      if (typeof id !== 'string') throw networkIdNotSpecified();
      await this.unitOfWork(req, (ctx) => this.dhcp.addNetworkToAgent(ctx, agentId, id));
      // Neutron's controller returns None: pecan renders it as `null`.
      return { status: 201, body: null };
    }
    if (networkId !== undefined && req.method === 'DELETE') {
      this.enforce(req, 'delete_dhcp-network');
      await this.unitOfWork(req, (ctx) => this.dhcp.removeNetworkFromAgent(ctx, agentId, networkId));
      return { status: 204 };
    }
    throw methodNotAllowed(req.method);
  }

  async networkAgents(req: ApiRequest, networkId: string, rest: string[]): Promise<ApiResponse> {
    if (rest.length) throw httpNotFound();
    if (req.method !== 'GET') throw methodNotAllowed(req.method);
    this.enforce(req, 'get_dhcp-agents');
    const agents = await this.db.read(async (em) => {
      const ids = (await hostingAgents(em, [networkId])).map((h) => h.agent_id);
      const rows = ids.length ? await em.getRepository(AgentEntity).find({ where: { id: anyOf(em, ids) }, order: { host: 'ASC' } }) : [];
      const since = aliveSince(new Date(), this.config.agents.agent_down_time);
      return rows.map((row) => presentAgent(row, since));
    });
    return { status: 200, body: { agents } };
  }

  /** Full network dicts, as GET /networks shows them to an admin. */
  private async listNetworks(ctx: RequestContext, agentId: string): Promise<ApiObject[]> {
    const ids = await networksOfAgent(ctx.em, agentId);
    if (!ids.length) {
      if (!(await ctx.em.getRepository(AgentEntity).existsBy({ id: agentId }))) throw agentNotFound(agentId);
      return [];
    }
    const def = this.registry.resourceAt('networks');
    if (!def) return [];
    const networks = await def.service.list(ctx, {
      filters: [{ attr: 'id', values: ids }],
      tagFilters: {},
      sorts: [{ attr: 'id', dir: 'asc' }],
      pageReverse: false,
      fields: [],
    });
    await this.writer.load(def, ctx, networks);
    return networks.map((n) => renderItem(def.attributes, n, [], []));
  }

  private enforce(req: ApiRequest, action: string): void {
    const denied = this.authz.authorize(action, {}, req.auth, []);
    if (denied) throw policyNotAuthorized(denied);
  }

  private unitOfWork(req: ApiRequest, work: (ctx: RequestContext) => Promise<void>): Promise<void> {
    return this.db.unitOfWork((em, afterCommit) => work(this.context(req, em, afterCommit)));
  }

  private context(req: ApiRequest, em: EntityManager, afterCommit: RequestContext['afterCommit']): RequestContext {
    return { auth: req.auth, isAdmin: req.auth.is_admin, projectId: req.auth.project_id, em, forUpdate: true, afterCommit };
  }
}
