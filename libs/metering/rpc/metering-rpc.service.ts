import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { BusHandler } from '../../bus/bus.contract.js';
import { Database } from '../../db/index.js';
import { PluginRpcEndpoints } from '../../plugin/ml2/rpc/plugin-rpc-endpoints.js';
import {
  L3_METER_EVENT,
  type L3MeterNotification,
  METERING_NOTIFICATIONS_TOPIC,
  type MeteringLabelsPage,
  type MeteringLabelsRequest,
  type MeteringRoutersPage,
  type MeteringRoutersRequest,
} from '../../rpc/metering-agent.contract.js';
import { MeteringTotals } from '../metering-totals.service.js';
import { meteringLabelsPage, meteringRoutersPage, type PageScope } from './metering-sync-data.js';

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
    this.endpoints.add({
      get_metering_labels: (p) => this.labels(p as MeteringLabelsRequest),
      get_metering_routers: (p) => this.routers(p as MeteringRoutersRequest),
    });
    this.endpoints.add(this.notificationHandlers(), METERING_NOTIFICATIONS_TOPIC);
  }

  notificationHandlers(): Record<string, BusHandler> {
    return { [L3_METER_EVENT]: (n) => this.meter(n as L3MeterNotification) };
  }

  /** A page of labels with their rules (or the labels of label_ids). */
  async labels(req: MeteringLabelsRequest): Promise<MeteringLabelsPage> {
    const scope = pageScope(req, 'label_ids');
    return this.db.read((em) => meteringLabelsPage(em, scope));
  }

  /** A page of the host's routers (or those of router_ids on the host). */
  async routers(req: MeteringRoutersRequest): Promise<MeteringRoutersPage> {
    const scope = pageScope(req, 'router_ids');
    const projects = (req as Partial<MeteringRoutersRequest> | undefined)?.project_ids;
    if (projects !== undefined) {
      if (!Array.isArray(projects) || projects.some((id) => typeof id !== 'string')) throw new TypeError('project_ids must be a list of strings');
      scope.projectIds = projects;
    }
    return this.db.read((em) => meteringRoutersPage(em, req.host, scope));
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

/** The request's host, paging or ids, checked (a malformed call is the agent's bug: a TypeError it sees). */
function pageScope(req: unknown, idsField: 'label_ids' | 'router_ids'): PageScope {
  const r = (req ?? {}) as Record<string, unknown>;
  if (typeof r.host !== 'string' || !r.host) throw new TypeError('host is required');
  const ids = r[idsField];
  if (ids !== undefined && (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))) throw new TypeError(`${idsField} must be a list of strings`);
  if (r.after !== undefined && typeof r.after !== 'string') throw new TypeError('after must be a string');
  if (r.limit !== undefined && (typeof r.limit !== 'number' || !Number.isInteger(r.limit) || r.limit < 1)) throw new TypeError('limit must be a positive integer');
  return { ids: ids as string[] | undefined, after: r.after as string | undefined, limit: r.limit as number | undefined };
}
