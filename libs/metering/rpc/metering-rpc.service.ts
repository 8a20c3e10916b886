import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { BusHandler } from '../../bus/bus.contract.js';
import { Database } from '../../db/index.js';
import { PluginRpcEndpoints } from '../../plugin/ml2/rpc/plugin-rpc-endpoints.js';
import {
  L3_METER_EVENT,
  type L3MeterNotification,
  METERING_NOTIFICATIONS_TOPIC,
  type MeteringSyncAnswer,
  type MeteringSyncRequest,
} from '../../rpc/metering-agent.contract.js';
import { MeteringTotals } from '../metering-totals.service.js';
import { meteringSyncData } from './metering-sync-data.js';

/**
 * The server half of the metering agent conversation (neutron/db/metering/metering_rpc.py) on PLUGIN_TOPIC, and the
 * consumer of the agents' `l3.meter` notifications (their counts go to MeteringTotals). Version and history:
 * METERING_AGENT_RPC_VERSION in libs/rpc/metering-agent.contract.ts.
 */
@Injectable()
export class MeteringRpcService implements OnModuleInit {
  private readonly logger = new Logger('MeteringRpc');

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(MeteringTotals) private readonly totals: MeteringTotals,
    @Inject(PluginRpcEndpoints) private readonly endpoints: PluginRpcEndpoints,
  ) {}

  onModuleInit(): void {
    this.endpoints.add({ get_sync_data_metering: (p) => this.syncData(p as MeteringSyncRequest) });
    this.endpoints.add(this.notificationHandlers(), METERING_NOTIFICATIONS_TOPIC);
  }

  notificationHandlers(): Record<string, BusHandler> {
    return { [L3_METER_EVENT]: (n) => this.meter(n as L3MeterNotification) };
  }

  /** The routers of the host's L3 agents that have labels (all, or those of router_ids), with labels and rules. */
  async syncData(req: MeteringSyncRequest): Promise<MeteringSyncAnswer> {
    const host = (req as Partial<MeteringSyncRequest> | undefined)?.host;
    if (typeof host !== 'string' || !host) throw new TypeError('host is required');
    const routerIds = req.router_ids;
    if (routerIds !== undefined && (!Array.isArray(routerIds) || routerIds.some((id) => typeof id !== 'string'))) {
      throw new TypeError('router_ids must be a list of strings');
    }
    return this.db.read((em) => meteringSyncData(em, { host, routerIds }));
  }

  private async meter(notification: L3MeterNotification): Promise<void> {
    const payload = notification?.payload;
    if (!payload || typeof payload.label_id !== 'string') {
      this.logger.warn('an l3.meter notification without a label was dropped');
      return;
    }
    await this.totals.add(payload);
  }
}
