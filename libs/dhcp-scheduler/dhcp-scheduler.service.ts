import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AGENT_REGISTRY, type AgentRecord, type AgentRegistry } from '../plugin/agents/agents.contract.js';
import { AGENT_TYPES } from '../rpc/agent-state.contract.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { bind, type HostingAgent, networkCounts } from './dhcp-bindings.store.js';

export interface SchedulableNetwork {
  id: string;
  availability_zone_hints: string[];
}

/**
 * Which DHCP agents host a network (Neutron's WeightScheduler with the DhcpFilter): alive, enabled agents in the
 * network's availability zone hints, fewest hosted networks first, until dhcp_agents_per_network host it.
 */
@Injectable()
export class DhcpScheduler {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AGENT_REGISTRY) private readonly agents: AgentRegistry,
  ) {}

  get perNetwork(): number {
    return this.config.agents.dhcp_agents_per_network;
  }

  /** Binds the network to as many more agents as it lacks; returns the agents bound now. */
  async schedule(em: EntityManager, network: SchedulableNetwork, hosted: HostingAgent[]): Promise<AgentRecord[]> {
    if (hosted.length >= this.perNetwork) return [];
    const hostedIds = new Set(hosted.map((h) => h.agent_id));
    const candidates = (await this.agents.agentsOfType(em, AGENT_TYPES.dhcp.agent_type)).filter(
      (a) => !hostedIds.has(a.id) && this.eligible(a, network),
    );
    if (!candidates.length) return [];
    const load = await networkCounts(em, candidates.map((a) => a.id));
    candidates.sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)); // not localeCompare: ICU's collation data is 3 MB of RSS
    const chosen: AgentRecord[] = [];
    const taken = hosted.map((h) => h.binding_index);
    for (const agent of candidates) {
      if (hosted.length + chosen.length >= this.perNetwork) break;
      const index = this.vacantIndex(taken, false);
      if (index === undefined) break;
      // A slot filled by a concurrent scheduler is not ours: the network has its agent, stop there.
      if (!(await bind(em, network.id, agent.id, index))) break;
      taken.push(index);
      chosen.push(agent);
    }
    return chosen;
  }

  /** An administrator's (or a starting agent's) explicit binding; `force` may go past dhcp_agents_per_network. */
  async bindAgent(em: EntityManager, networkId: string, agentId: string, hosted: HostingAgent[], force: boolean): Promise<boolean> {
    const index = this.vacantIndex(hosted.map((h) => h.binding_index), force);
    return index !== undefined && bind(em, networkId, agentId, index);
  }

  /** Alive, enabled, and in one of the network's availability zone hints when it has any. */
  eligible(agent: AgentRecord, network: SchedulableNetwork): boolean {
    if (!agent.alive || !agent.admin_state_up) return false;
    const hints = network.availability_zone_hints;
    return !hints.length || (agent.availability_zone !== null && hints.includes(agent.availability_zone));
  }

  /** base_scheduler.get_vacant_binding_index: the lowest free slot from 1; past the limit only when forced. */
  private vacantIndex(taken: number[], force: boolean): number | undefined {
    const used = new Set(taken);
    for (let i = 1; ; i++) {
      if (used.has(i)) continue;
      return force || i <= this.perNetwork ? i : undefined;
    }
  }
}
