import { Inject, Injectable, Logger } from '@nestjs/common';
import { BUS, type Bus } from '../../bus/bus.contract.js';
import { Database } from '../../db/index.js';
import {
  METERING_AGENT_TOPIC,
  type METERING_LABEL_METHODS,
  meteringAgentTopic,
  type MeteringLabelsNotice,
  type MeteringRouterDeletedNotice,
  type MeteringRoutersNotice,
  ROUTERS_UPDATED,
} from '../../rpc/metering-agent.contract.js';
import { routerHosts } from './metering-sync-data.js';

export type MeteringLabelNoticeMethod = (typeof METERING_LABEL_METHODS)[number];

/**
 * Server → metering agents (MeteringAgentNotifyAPI), after commit. Notices only name what changed (RPC 2.0): a label
 * change goes to every agent (each holds every label), a router change to the hosts whose L3 agent hosts it; the
 * agents refetch. Router changes are queued and sent a turn of the event loop later, those of one turn together with
 * one query for their hosts, so a router create does not wait for them. A lost notice is repaired by the agent's
 * periodic full sync, so failures only log.
 */
@Injectable()
export class MeteringAgentNotifier {
  private readonly logger = new Logger('MeteringAgentNotifier');
  private readonly changedRouters = new Set<string>();
  private flushing?: Promise<void>;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(Database) private readonly db: Database,
  ) {}

  async labelsChanged(method: MeteringLabelNoticeMethod, labelIds: readonly string[]): Promise<void> {
    if (!labelIds.length) return;
    await this.bus
      .fanout(METERING_AGENT_TOPIC, method, { label_ids: [...labelIds] } satisfies MeteringLabelsNotice)
      .catch((err: Error) => this.logger.warn(`${method} not sent: ${err.message}`));
  }

  /** Queues routers created or changed; their hosts' agents hear of them shortly, without the caller waiting. */
  routersUpdated(routerIds: readonly string[]): void {
    for (const id of routerIds) this.changedRouters.add(id);
    if (!this.changedRouters.size) return;
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flushRouters());
  }

  /** Resolves once every router notice queued so far has been handed to the bus (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushRouters(): Promise<void> {
    const routerIds = [...this.changedRouters];
    this.changedRouters.clear();
    try {
      const perHost = await this.db.read((em) => routerHosts(em, routerIds));
      for (const [host, ids] of perHost) await this.bus.cast(meteringAgentTopic(host), ROUTERS_UPDATED, { router_ids: ids } satisfies MeteringRoutersNotice);
    } catch (err) {
      this.logger.warn(`${ROUTERS_UPDATED} not sent: ${(err as Error).message}`);
    } finally {
      this.flushing = undefined;
      if (this.changedRouters.size) this.routersUpdated([]);
    }
  }

  async routerDeleted(routerId: string): Promise<void> {
    await this.bus
      .fanout(METERING_AGENT_TOPIC, 'router_deleted', { router_id: routerId } satisfies MeteringRouterDeletedNotice)
      .catch((err: Error) => this.logger.warn(`router_deleted not sent: ${err.message}`));
  }
}
