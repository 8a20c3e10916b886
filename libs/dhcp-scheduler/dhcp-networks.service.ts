import { isPostgres } from '../db/index.js';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { agentNotFound } from '../agents-api/agent.errors.js';
import { AgentEntity } from '../agents-api/agent.entity.js';
import { AGENT_REGISTRY, type AgentRegistry } from '../plugin/agents/agents.contract.js';
import { AGENT_TYPES } from '../rpc/agent-state.contract.js';
import { internalContext } from '../api/resource/internal-context.js';
import type { RequestContext } from '../api/resource/resource-definition.js';
import { Database } from '../db/index.js';
import { NetworkEntity, type NetworkRow } from '../plugin/networks/network.entity.js';
import { networkNotFound } from '../plugin/networks/network.errors.js';
import { DhcpAgentNotifier } from './dhcp-agent-notifier.js';
import { dhcpSubnetIds, type HostingAgent, hostingAgents, underscheduledNetworks, unbind } from './dhcp-bindings.store.js';
import { DhcpPorts } from './dhcp-ports.service.js';
import { DhcpScheduler } from './dhcp-scheduler.service.js';
import { invalidDhcpAgent, networkHostedByDhcpAgent, networkNotHostedByDhcpAgent } from './dhcp-scheduler.errors.js';

/**
 * A network's DHCP state, kept in line inside the transaction that changes it: which agents host it, their DHCP
 * ports, and (after commit) the notices to those agents.
 */
@Injectable()
export class DhcpNetworks {
  private readonly logger = new Logger('DhcpScheduler');

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(DhcpScheduler) private readonly scheduler: DhcpScheduler,
    @Inject(DhcpPorts) private readonly ports: DhcpPorts,
    @Inject(DhcpAgentNotifier) private readonly notifier: DhcpAgentNotifier,
    @Inject(AGENT_REGISTRY) private readonly agents: AgentRegistry,
  ) {}

  /**
   * After a subnet write: schedule the network if it now needs DHCP, then its DHCP ports; notify its agents.
   * `leaving`: a subnet about to be deleted (the DHCP port gives its address back first).
   */
  async reconcile(ctx: RequestContext, networkId: string, schedule: boolean, leaving?: string): Promise<void> {
    const network = await lockNetwork(ctx.em, networkId);
    if (!network) return;
    const subnetIds = ((await dhcpSubnetIds(ctx.em, [networkId])).get(networkId) ?? []).filter((id) => id !== leaving);
    let hosted = await hostingAgents(ctx.em, [networkId]);
    if (schedule && subnetIds.length && (await this.scheduler.schedule(ctx.em, network, hosted)).length) {
      hosted = await hostingAgents(ctx.em, [networkId]);
    }
    await this.syncPorts(ctx, network, subnetIds, hosted);
  }

  /** POST /agents/{id}/dhcp-networks (add_network_to_dhcp_agent). */
  async addNetworkToAgent(ctx: RequestContext, agentId: string, networkId: string): Promise<void> {
    const network = await lockNetwork(ctx.em, networkId);
    if (!network) throw networkNotFound(networkId);
    const agent = await ctx.em.getRepository(AgentEntity).findOneBy({ id: agentId });
    if (!agent) throw agentNotFound(agentId);
    if (agent.agent_type !== AGENT_TYPES.dhcp.agent_type || !agent.admin_state_up) throw invalidDhcpAgent(agentId);
    const hosted = await hostingAgents(ctx.em, [networkId]);
    if (hosted.some((h) => h.agent_id === agentId)) throw networkHostedByDhcpAgent(networkId, agentId);
    if (!(await this.scheduler.bindAgent(ctx.em, networkId, agentId, hosted, true))) throw networkHostedByDhcpAgent(networkId, agentId);
    await this.reconcile(ctx, networkId, false);
  }

  /** DELETE /agents/{id}/dhcp-networks/{network_id}: the agent's DHCP port goes too; the agent is told to stop. */
  async removeNetworkFromAgent(ctx: RequestContext, agentId: string, networkId: string): Promise<void> {
    const agent = await ctx.em.getRepository(AgentEntity).findOneBy({ id: agentId });
    if (!agent) throw agentNotFound(agentId);
    if (!(await unbind(ctx.em, networkId, agentId))) throw networkNotHostedByDhcpAgent(networkId, agentId);
    await this.reconcile(ctx, networkId, false);
    this.afterCommit(ctx, 'network_remove', [agent.host], networkId);
  }

  /**
   * A DHCP agent (re)syncing: networks that need DHCP and lack agents get this one (auto_schedule_networks), one
   * transaction per network so one failure does not stop the others.
   */
  async autoSchedule(host: string): Promise<void> {
    const [agent] = await this.db.read((em) => this.agents.agentsOnHost(em, host, AGENT_TYPES.dhcp.agent_type));
    if (!agent?.alive || !agent.admin_state_up) return;
    const candidates = await this.db.read((em) => underscheduledNetworks(em, agent.id, this.scheduler.perNetwork));
    for (const networkId of candidates) {
      try {
        await this.unitOfWork(async (ctx) => {
          const network = await lockNetwork(ctx.em, networkId);
          if (!network || !this.scheduler.eligible(agent, network)) return;
          const hosted = await hostingAgents(ctx.em, [networkId]);
          if (hosted.length >= this.scheduler.perNetwork || hosted.some((h) => h.agent_id === agent.id)) return;
          if (await this.scheduler.bindAgent(ctx.em, networkId, agent.id, hosted, false)) await this.reconcile(ctx, networkId, false);
        });
      } catch (err) {
        this.logger.warn(`Scheduling network ${networkId} to ${host} failed: ${(err as Error).message}`);
      }
    }
  }

  /** Cast `method` to the enabled hosts once the request's transaction committed. */
  afterCommit(ctx: RequestContext, method: 'network_update' | 'network_remove', hosts: string[], networkId: string): void {
    if (hosts.length) ctx.afterCommit(() => this.notifier.send(method, hosts, networkId));
  }

  /**
   * The DHCP ports, in a savepoint: a port that cannot be made (no free address left) must not fail the subnet or
   * network write that asked for it; Neutron's agent would log and retry on its next sync, as our next change does.
   */
  private async syncPorts(ctx: RequestContext, network: NetworkRow, subnetIds: string[], hosted: HostingAgent[]): Promise<void> {
    const after: (() => void | Promise<void>)[] = [];
    try {
      await ctx.em.transaction((em) => this.ports.sync(internalContext(em, (fn) => after.push(fn)), network, subnetIds, hosted.map((h) => h.host)));
      for (const fn of after) ctx.afterCommit(fn);
    } catch (err) {
      this.logger.warn(`DHCP port of network ${network.id} not updated: ${(err as Error).message}`);
    }
    this.afterCommit(ctx, 'network_update', hosted.filter((h) => h.admin_state_up).map((h) => h.host), network.id);
  }

  private unitOfWork(work: (ctx: RequestContext) => Promise<void>): Promise<void> {
    return this.db.unitOfWork((em, afterCommit) => work(internalContext(em, afterCommit)));
  }
}

/** The network row, locked on PostgreSQL: scheduling and DHCP port changes of one network queue behind each other. */
export function lockNetwork(em: EntityManager, id: string): Promise<NetworkRow | null> {
  const qb = em.getRepository(NetworkEntity).createQueryBuilder('n').where('n.id = :id', { id });
  if (isPostgres(em)) qb.setLock('pessimistic_write');
  return qb.getOne();
}
