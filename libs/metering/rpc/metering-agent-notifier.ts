import { Inject, Injectable, Logger } from '@nestjs/common';
import { BUS, type Bus } from '../../bus/bus.contract.js';
import { Database } from '../../db/index.js';
import {
  METERING_AGENT_TOPIC,
  meteringAgentTopic,
  type METERING_AGENT_METHODS,
  type MeteringRouterDeletedNotice,
  type MeteringRoutersNotice,
} from '../../rpc/metering-agent.contract.js';
import { meteringSyncData, routerHosts } from './metering-sync-data.js';

export type MeteringNoticeMethod = (typeof METERING_AGENT_METHODS)[number];

/**
 * Server → metering agents (MeteringAgentNotifyAPI), after commit: each host whose L3 agent hosts some of the routers
 * hears the method with those routers as they are now (their labels and rules), in one cast. A lost notice is
 * repaired by the agent's periodic full sync, so failures only log.
 */
@Injectable()
export class MeteringAgentNotifier {
  private readonly logger = new Logger('MeteringAgentNotifier');

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(Database) private readonly db: Database,
  ) {}

  async notify(method: MeteringNoticeMethod, routerIds: readonly string[]): Promise<void> {
    if (!routerIds.length) return;
    try {
      const { perHost, routers } = await this.db.read(async (em) => ({
        perHost: await routerHosts(em, routerIds),
        routers: await meteringSyncData(em, { routerIds, keepUnlabelled: true }),
      }));
      const byId = new Map(routers.map((r) => [r.id, r]));
      for (const [host, ids] of perHost) {
        const notice: MeteringRoutersNotice = { routers: ids.map((id) => byId.get(id)).filter((r) => r !== undefined) };
        if (notice.routers.length) await this.bus.cast(meteringAgentTopic(host), method, notice);
      }
    } catch (err) {
      this.logger.warn(`${method} not sent: ${(err as Error).message}`);
    }
  }

  async routerDeleted(routerId: string): Promise<void> {
    await this.bus
      .fanout(METERING_AGENT_TOPIC, 'router_deleted', { router_id: routerId } satisfies MeteringRouterDeletedNotice)
      .catch((err: Error) => this.logger.warn(`router_deleted not sent: ${err.message}`));
  }
}
