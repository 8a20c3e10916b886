import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AGENT_REGISTRY, type AgentRecord, type AgentRegistry } from '../../plugin/agents/agents.contract.js';
import { AGENT_TYPES } from '../../rpc/agent-state.contract.js';
import { bindRouter, hostingL3Agents, routerCounts } from './l3-bindings.store.js';

/** Routers newly bound to an agent: what the notifier tells that agent (router_added_to_agent). */
export interface L3Placement {
  host: string;
  agentId: string;
  routerIds: string[];
}

/**
 * Which L3 agent hosts a router (Neutron's LeastRoutersScheduler for legacy routers): one alive, enabled L3 agent,
 * the one hosting the fewest routers (ties: by host). A router already hosted stays where it is.
 */
@Injectable()
export class L3Scheduler {
  constructor(@Inject(AGENT_REGISTRY) private readonly agents: AgentRegistry) {}

  /** The L3 agents that may take routers now (`only`: restrict to this agent, auto_schedule_routers' case). */
  async candidates(em: EntityManager, only?: string): Promise<AgentRecord[]> {
    return (await this.agents.agentsOfType(em, AGENT_TYPES.l3.agent_type)).filter((a) => eligible(a) && (!only || a.id === only));
  }

  /** Binds each unhosted router of `routerIds` to the least loaded candidate; returns the bindings made, per agent. */
  async schedule(em: EntityManager, routerIds: readonly string[], only?: string): Promise<L3Placement[]> {
    if (!routerIds.length) return [];
    const hosted = new Set((await hostingL3Agents(em, routerIds)).map((h) => h.router_id));
    const waiting = [...new Set(routerIds)].filter((id) => !hosted.has(id));
    if (!waiting.length) return [];
    const candidates = await this.candidates(em, only);
    if (!candidates.length) return [];
    const load = await routerCounts(em, candidates.map((a) => a.id));
    const placements = new Map<string, L3Placement>();
    for (const routerId of waiting) {
      candidates.sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || a.host.localeCompare(b.host));
      const agent = candidates[0];
      // A binding made by a concurrent scheduler is not ours: the router has its agent.
      if (!(await bindRouter(em, routerId, agent.id))) continue;
      load.set(agent.id, (load.get(agent.id) ?? 0) + 1);
      const placement = placements.get(agent.id) ?? placements.set(agent.id, { host: agent.host, agentId: agent.id, routerIds: [] }).get(agent.id)!;
      placement.routerIds.push(routerId);
    }
    return [...placements.values()];
  }
}

/** Alive and enabled (is_eligible_agent with services_available). */
export const eligible = (agent: AgentRecord): boolean => agent.alive && agent.admin_state_up;
