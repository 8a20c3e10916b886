import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { ResourceWriter } from '../../api/engine/resource-writer.js';
import { internalContext } from '../../api/resource/internal-context.js';
import type { RequestContext } from '../../api/resource/resource-definition.js';
import { revised } from '../../api/resource/standard-row.js';
import type { BusHandler } from '../../bus/bus.contract.js';
import { anyOf, Database } from '../../db/index.js';
import { AGENT_REGISTRY, type AgentRecord, type AgentRegistry } from '../../plugin/agents/agents.contract.js';
import { boundPortsById } from '../../plugin/ml2/binding/port-binding.store.js';
import { IPAM, type Ipam } from '../../plugin/ipam/ipam.contract.js';
import { PluginRpcEndpoints } from '../../plugin/ml2/rpc/plugin-rpc-endpoints.js';
import { AGENT_TYPES } from '../../rpc/agent-state.contract.js';
import type { FloatingIpStatus, L3FloatingIpStatusesRequest, L3RouterInfo, L3SyncRoutersRequest } from '../../rpc/l3-agent.contract.js';
import { FloatingIpEntity, type FloatingIpRow, RouterEntity, RouterPortEntity } from '../l3.entities.js';
import { routersOfAgent, unscheduledRouters } from '../scheduler/l3-bindings.store.js';
import { L3Scheduler } from '../scheduler/l3-scheduler.service.js';
import { describeRouters, routerSyncData, upRoutersOfAgent } from './l3-sync-data.js';

const FIP_STATUSES: readonly FloatingIpStatus[] = ['ACTIVE', 'DOWN', 'ERROR'];

/**
 * The server half of the L3 agent conversation (neutron/api/rpc/handlers/l3_rpc.py) on PLUGIN_TOPIC, beside the L2
 * and DHCP agents' methods (PluginRpcEndpoints). Version and history: L3_AGENT_RPC_VERSION in
 * libs/rpc/l3-agent.contract.ts.
 */
@Injectable()
export class L3RpcService implements OnModuleInit {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(AGENT_REGISTRY) private readonly agents: AgentRegistry,
    @Inject(IPAM) private readonly ipam: Ipam,
    @Inject(L3Scheduler) private readonly scheduler: L3Scheduler,
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(ResourceWriter) private readonly writer: ResourceWriter,
    @Inject(PluginRpcEndpoints) private readonly endpoints: PluginRpcEndpoints,
  ) {}

  onModuleInit(): void {
    this.endpoints.add(this.handlers());
  }

  handlers(): Record<string, BusHandler> {
    return {
      sync_routers: (p) => this.syncRouters(p as L3SyncRoutersRequest),
      update_floatingip_statuses: (p) => this.updateFloatingIpStatuses(p as L3FloatingIpStatusesRequest),
      // Legacy routers have no HA state to record: the agent's report is accepted and nothing changes.
      update_router_state: () => Promise.resolve(null),
    };
  }

  /**
   * A full sync (no router_ids) first schedules the routers no agent hosts to this agent when it may take them
   * (auto_schedule_routers). Then the agent's routers (of router_ids, if given) that are up: their ports are bound
   * to the agent's host first (_ensure_host_set_on_ports, through the ResourceWriter so ML2 binds them and the L2
   * agent plugs them), then described in full.
   */
  async syncRouters(req: L3SyncRoutersRequest): Promise<L3RouterInfo[]> {
    const host = requireString(req, 'host');
    const wanted = (req as Partial<L3SyncRoutersRequest>).router_ids;
    if (wanted !== undefined && (!Array.isArray(wanted) || wanted.some((id) => typeof id !== 'string'))) throw new TypeError('router_ids must be a list of strings');
    if (wanted !== undefined) return this.syncSome(host, wanted);
    const routerIds = await this.db.unitOfWork(async (em, afterCommit) => {
      const agent = await this.enabledAgent(em, host);
      if (!agent) return [];
      if (agent.alive) await this.scheduler.schedule(em, await unscheduledRouters(em), agent.id);
      const ids = await routersOfAgent(em, agent.id);
      await this.ensureHostSetOnPorts(internalContext(em, afterCommit), ids, host);
      return ids;
    });
    if (!routerIds.length) return [];
    return this.db.read((em) => routerSyncData(em, this.ipam, routerIds));
  }

  /**
   * The refetch after a notice (router_ids given): one read finds the agent's routers among them with their ports and
   * describes them (a port's binding is not part of the description); a unit of work then binds to the host the
   * ports not bound to it yet (a new interface), when there are any.
   */
  private async syncSome(host: string, wanted: string[]): Promise<L3RouterInfo[]> {
    if (!wanted.length) return [];
    const { answer, unbound } = await this.db.read(async (em) => {
      const agent = await this.enabledAgent(em, host);
      const { routers, links } = agent ? await upRoutersOfAgent(em, agent.id, wanted) : { routers: [], links: [] };
      if (!routers.length) return { answer: [], unbound: [] };
      const ports = await boundPortsById(em, links.map((l) => l.port_id));
      const unbound = ports.filter((p) => p.binding_host_id !== host).map((p) => p.id);
      return { answer: await describeRouters(em, this.ipam, routers, links, ports), unbound };
    });
    if (unbound.length) await this.db.unitOfWork((em, afterCommit) => this.bindPorts(internalContext(em, afterCommit), unbound, host));
    return answer;
  }

  /** The agent's view of a router's floating IPs becomes their status (update_floatingip_statuses). */
  async updateFloatingIpStatuses(req: L3FloatingIpStatusesRequest): Promise<null> {
    const routerId = requireString(req, 'router_id');
    const statuses = (req as Partial<L3FloatingIpStatusesRequest>).fip_statuses;
    if (!statuses || typeof statuses !== 'object') throw new TypeError('fip_statuses must be an object');
    const entries = Object.entries(statuses).filter(([, s]) => FIP_STATUSES.includes(s));
    if (!entries.length) return null;
    await this.db.unitOfWork(async (em) => {
      const repo = em.getRepository(FloatingIpEntity);
      const rows: FloatingIpRow[] = await repo.findBy({ id: anyOf(em, entries.map(([id]) => id)) });
      const wanted = new Map(entries);
      for (const row of rows) {
        const status = wanted.get(row.id)!;
        // A floating IP moved to another router meanwhile is that router's agent's to report, unless it goes DOWN.
        if (row.status === status || (row.router_id !== routerId && status !== 'DOWN')) continue;
        const next = revised(row, { status });
        await repo.update({ id: row.id }, { status, revision_number: next.revision_number, updated_at: next.updated_at });
      }
    });
    return null;
  }

  /** The router ports not bound to `host` yet get binding:host_id = host (one query to find them). */
  private async ensureHostSetOnPorts(ctx: RequestContext, routerIds: string[], host: string): Promise<void> {
    if (!routerIds.length) return;
    const em = ctx.em;
    const existing = await em.getRepository(RouterEntity).find({ select: { id: true }, where: { id: anyOf(em, routerIds), admin_state_up: true } });
    if (!existing.length) return;
    const links = await em.getRepository(RouterPortEntity).find({ where: { router_id: anyOf(em, existing.map((r) => r.id)) } });
    const unbound = (await boundPortsById(em, links.map((l) => l.port_id))).filter((p) => p.binding_host_id !== host);
    await this.bindPorts(ctx, unbound.map((p) => p.id), host);
  }

  /** binding:host_id = host on each port still there and not bound to it, through the ResourceWriter (ML2 binds it). */
  private async bindPorts(ctx: RequestContext, portIds: string[], host: string): Promise<void> {
    const ports = this.registry.definition('ports');
    for (const id of portIds) {
      const current = await ports.service.get(ctx, id);
      if (!current || current['binding:host_id'] === host) continue;
      const [loaded] = await this.writer.load(ports, ctx, [current]);
      await this.writer.update(ports, ctx, loaded, { 'binding:host_id': host });
    }
  }

  private async enabledAgent(em: EntityManager, host: string): Promise<AgentRecord | undefined> {
    const [agent] = await this.agents.agentsOnHost(em, host, AGENT_TYPES.l3.agent_type);
    return agent?.admin_state_up ? agent : undefined;
  }
}

/** Payloads crossed a transport as JSON: check what the queries rely on (the agent gets the error back). */
function requireString(payload: unknown, key: string): string {
  const value = (payload as Record<string, unknown> | undefined)?.[key];
  if (typeof value !== 'string' || !value) throw new TypeError(`${key} must be a non-empty string`);
  return value;
}
