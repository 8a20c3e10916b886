import { Inject, Injectable, Logger } from '@nestjs/common';
import { BUS, type Bus } from '../../bus/bus.contract.js';
import { Database } from '../../db/index.js';
import {
  l3AgentTopic,
  type L3RouterAddedNotice,
  type L3RouterDeletedNotice,
  type L3RouterRemovedNotice,
  type L3RoutersUpdatedNotice,
} from '../../rpc/l3-agent.contract.js';
import { RouterEntity } from '../l3.entities.js';
import { hostingL3Agents } from '../scheduler/l3-bindings.store.js';
import { L3Scheduler } from '../scheduler/l3-scheduler.service.js';
import { anyOf } from '../../db/index.js';

/**
 * Server → L3 agents (L3AgentNotifyAPI), after commit, cast on l3_agent.<host>. `routersChanged` is coalesced per turn
 * of the event loop: the hosting agents of every changed router are read in one query and each host hears one
 * `routers_updated` with its routers; a changed router that no agent hosts yet is scheduled first (Neutron's
 * _notification schedules unhosted routers) and its new agent hears `router_added_to_agent`. A lost notice is
 * repaired by the agent's resync, so failures only log.
 */
@Injectable()
export class L3AgentNotifier {
  private readonly logger = new Logger('L3AgentNotifier');
  private readonly changed = new Set<string>();
  private flushing?: Promise<void>;
  /** Notices cast without the caller waiting (routerPlaced), until the bus took them. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(Database) private readonly db: Database,
    @Inject(L3Scheduler) private readonly scheduler: L3Scheduler,
  ) {}

  /** These routers changed (interfaces, gateway, routes, floating IPs, admin state): their agents refetch them. */
  routersChanged(routerIds: Iterable<string | null | undefined>): void {
    let any = false;
    for (const id of routerIds) {
      if (id) {
        this.changed.add(id);
        any = true;
      }
    }
    if (any) this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  routerDeleted(routerId: string, hosts: readonly string[]): Promise<void> {
    return this.castAll(hosts, 'router_deleted', { router_id: routerId } satisfies L3RouterDeletedNotice);
  }

  routersAddedToAgent(routerIds: string[], host: string): Promise<void> {
    return this.cast(host, 'router_added_to_agent', { routers: routerIds } satisfies L3RouterAddedNotice);
  }

  /**
   * A new router bound to `host` in a unit of work that committed: its agent hears router_added_to_agent, and the
   * caller (an API request, after commit) does not wait for the bus.
   */
  routerPlaced(routerId: string, host: string): void {
    this.changed.delete(routerId);
    const sent = this.routersAddedToAgent([routerId], host).finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
  }

  routerRemovedFromAgent(routerId: string, host: string): Promise<void> {
    return this.cast(host, 'router_removed_from_agent', { router_id: routerId } satisfies L3RouterRemovedNotice);
  }

  /** Resolves once every notice queued so far has been handed to the bus (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.flushing || this.inFlight.size) {
      if (this.flushing) await this.flushing;
      await Promise.all(this.inFlight);
    }
  }

  private async flush(): Promise<void> {
    try {
      const ids = [...this.changed];
      this.changed.clear();
      const hosting = await this.db.read((em) => hostingL3Agents(em, ids));
      const perHost = new Map<string, string[]>();
      for (const h of hosting) if (h.admin_state_up) (perHost.get(h.host) ?? perHost.set(h.host, []).get(h.host)!).push(h.router_id);
      const hostedIds = new Set(hosting.map((h) => h.router_id));
      const unhosted = ids.filter((id) => !hostedIds.has(id));
      const placements = unhosted.length
        ? await this.db.unitOfWork(async (em) => {
            const existing = await em.getRepository(RouterEntity).find({ select: { id: true }, where: { id: anyOf(em, unhosted) } });
            return this.scheduler.schedule(em, existing.map((r) => r.id));
          })
        : [];
      for (const [host, routers] of perHost) await this.cast(host, 'routers_updated', { routers } satisfies L3RoutersUpdatedNotice);
      for (const p of placements) await this.routersAddedToAgent(p.routerIds, p.host);
    } catch (err) {
      this.logger.warn(`L3 notices not sent: ${(err as Error).message}`);
    } finally {
      this.flushing = undefined;
      if (this.changed.size) this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
    }
  }

  private async castAll(hosts: readonly string[], method: string, notice: object): Promise<void> {
    for (const host of new Set(hosts)) await this.cast(host, method, notice);
  }

  private cast(host: string, method: string, notice: object): Promise<void> {
    return this.bus.cast(l3AgentTopic(host), method, notice).catch((err: Error) => this.logger.warn(`${method} to ${host} failed: ${err.message}`));
  }
}
