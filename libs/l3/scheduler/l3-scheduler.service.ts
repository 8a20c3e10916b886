import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { aliveSince } from '../../agents-api/agent-time.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { AGENT_TYPES } from '../../rpc/agent-state.contract.js';
import { bindLeastLoaded, hostingL3Agents, type L3Binding, liveHostOfRouter } from './l3-bindings.store.js';

/** Routers newly bound to an agent: what the notifier tells that agent (router_added_to_agent). */
export interface L3Placement {
  host: string;
  agentId: string;
  routerIds: string[];
}

/**
 * Which L3 agent hosts a router (Neutron's LeastRoutersScheduler for legacy routers): one alive, enabled L3 agent,
 * the one hosting the fewest routers (ties: by host). A router already hosted stays where it is. Each router is
 * placed by one statement (choice and binding together, see bindLeastLoaded).
 */
@Injectable()
export class L3Scheduler {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** A router no agent hosts yet (a new one): bound to the least loaded candidate, if any. */
  scheduleOne(em: EntityManager, routerId: string, only?: string): Promise<L3Binding | undefined> {
    return bindLeastLoaded(em, routerId, AGENT_TYPES.l3.agent_type, aliveSince(new Date(), this.config.agents.agent_down_time), only);
  }

  /** The host whose alive, enabled L3 agent hosts the router (the host its ports get bound to), if any. */
  liveHost(em: EntityManager, routerId: string): Promise<string | undefined> {
    return liveHostOfRouter(em, routerId, aliveSince(new Date(), this.config.agents.agent_down_time));
  }

  /** Binds each unhosted router of `routerIds` to the least loaded candidate; returns the bindings made, per agent. */
  async schedule(em: EntityManager, routerIds: readonly string[], only?: string): Promise<L3Placement[]> {
    if (!routerIds.length) return [];
    const hosted = new Set((await hostingL3Agents(em, routerIds)).map((h) => h.router_id));
    const waiting = [...new Set(routerIds)].filter((id) => !hosted.has(id));
    const placements = new Map<string, L3Placement>();
    for (const routerId of waiting) {
      const bound = await this.scheduleOne(em, routerId, only);
      // None: no candidate (then none for the others either), or a concurrent scheduler's binding won.
      if (!bound) continue;
      const placement = placements.get(bound.agent_id) ?? placements.set(bound.agent_id, { host: bound.host, agentId: bound.agent_id, routerIds: [] }).get(bound.agent_id)!;
      placement.routerIds.push(routerId);
    }
    return [...placements.values()];
  }
}
