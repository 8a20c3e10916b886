/**
 * The metering agent of one host (neutron-metering-agent) on the AgentSkeleton. It pulls the routers of the host's
 * L3 agent that have labels (get_sync_data_metering) at start, when the server had it down, and every 40 s at a measure;
 * a notice on metering_agent.<host> names routers to refetch, router_deleted (fanout) one to drop. The core compiles
 * each router's labels and rules, the driver keeps its counters. Every measure_interval it reads and zeroes the
 * counters and adds them up; every report_interval it publishes each label's counts as an `l3.meter` notification.
 *
 * Passes, measures and reports run in the skeleton's one lane, so a read never interleaves with a change. Counts are
 * never lost to a change: a router losing labels (or going) is read first, and a label that stays keeps its counter.
 * A router not built on this host yet (no namespace) waits and is tried again at each measure, as is one whose
 * counters vanished (the L3 agent rebuilt it).
 */
import { randomUUID } from 'node:crypto';
import { PLUGIN_TOPIC } from '../../rpc/agent-state.contract.js';
import {
  L3_METER_EVENT,
  type L3MeterNotification,
  METERING_AGENT_METHODS,
  METERING_AGENT_TOPIC,
  METERING_NOTIFICATIONS_TOPIC,
  meteringAgentTopic,
  type MeteringAgentConfigurations,
  type MeteringRouterDeletedNotice,
  type MeteringRoutersNotice,
  type MeteringSyncAnswer,
  type MeteringSyncRequest,
} from '../../rpc/metering-agent.contract.js';
import { AgentSkeleton, type AgentReport, type AgentSubscription, retryingAgent, type RetryingAgentOptions } from '../common/agent-skeleton.js';
import { MeterAccumulator } from './core/meter-accumulator.js';
import { compileRouter, compileRouters, type MeteredRouter, sameRouter } from './core/metering-state.js';
import type { MeteringDriver } from './drivers/metering-driver.js';

/** Neutron's periodic_interval: its agent's _sync_routers_task runs that often (routers newly scheduled to the host). */
const PERIODIC_SYNC_SECONDS = 40;

export interface MeteringAgentOptions extends RetryingAgentOptions {
  driver: MeteringDriver;
  /** seconds between two reads of the counters (Neutron's measure_interval) */
  measureIntervalSeconds: number;
  /** seconds between two l3.meter reports (Neutron's [DEFAULT] report_interval of the agent) */
  meterReportIntervalSeconds: number;
  granular?: boolean;
  /** unix seconds now (specs) */
  clock?: () => number;
}

export class MeteringAgent extends AgentSkeleton {
  private readonly driver: MeteringDriver;
  private readonly meters: MeterAccumulator;
  private readonly clock: () => number;
  /** routers whose counters are in place */
  private readonly known = new Map<string, MeteredRouter>();
  /** routers wanted here but not in place yet (no namespace, a failed apply, counters lost): built anew */
  private readonly waiting = new Map<string, MeteredRouter>();
  /** routers a notice named since the last pass: true = refetch, false = remove */
  private marked = new Map<string, boolean>();
  private measureTimer: NodeJS.Timeout | null = null;
  private lastReport = 0;
  private lastFullSync = 0;

  constructor(private readonly opts: MeteringAgentOptions) {
    super(retryingAgent('metering', opts));
    this.driver = opts.driver;
    this.meters = new MeterAccumulator(opts.granular ?? false);
    this.clock = opts.clock ?? (() => Math.floor(Date.now() / 1000));
  }

  // ---- the skeleton's questions ----

  protected state(): AgentReport {
    return this.describeAs('metering', this.configurations(), this.opts.availabilityZone);
  }

  protected subscriptions(): AgentSubscription[] {
    const routers = (payload: unknown) => {
      for (const r of (payload as Partial<MeteringRoutersNotice> | undefined)?.routers ?? []) this.mark(r?.id, false);
    };
    const deleted = (payload: unknown) => this.mark((payload as Partial<MeteringRouterDeletedNotice> | undefined)?.router_id, true);
    return [
      { topic: meteringAgentTopic(this.host), handlers: Object.fromEntries(METERING_AGENT_METHODS.map((m) => [m, routers])) },
      { topic: METERING_AGENT_TOPIC, handlers: { router_deleted: deleted }, fanout: true },
    ];
  }

  protected passFailed(err: unknown): void {
    this.log.error({ err }, 'metering sync failed; retrying');
  }

  protected override starting(): Promise<void> {
    return this.driver.start();
  }

  protected override started(): void {
    this.lastReport = 0;
    this.scheduleMeasure();
    this.log.info({ driver: this.driver.name }, 'metering agent started');
  }

  /** Counters stay in the namespaces (a restarted agent takes them over at its sync); what was not reported is lost. */
  protected override async stopped(): Promise<void> {
    if (this.measureTimer) clearTimeout(this.measureTimer);
    this.measureTimer = null;
    await this.driver.stop();
    this.known.clear();
    this.waiting.clear();
    this.marked.clear();
    this.log.info('metering agent stopped');
  }

  configurations(): MeteringAgentConfigurations & Record<string, unknown> {
    const labels = new Set<string>();
    for (const router of this.known.values()) for (const label of router.labels) labels.add(label.id);
    return {
      metering_driver: this.driver.name,
      measure_interval: this.opts.measureIntervalSeconds,
      report_interval: this.opts.meterReportIntervalSeconds,
      granular_traffic_data: this.opts.granular ?? false,
      routers: this.known.size,
      metering_labels: labels.size,
      ...this.driver.configurations(),
    };
  }

  /** The routers whose counters are in place, by id. */
  routers(): ReadonlyMap<string, MeteredRouter> {
    return this.known;
  }

  // ---- notices (they only mark work) ----

  private mark(routerId: unknown, removed: boolean): void {
    if (typeof routerId !== 'string' || routerId === '') return;
    this.marked.set(routerId, !removed);
    this.requestPass();
  }

  // ---- sync ----

  /** Every router of the host with labels, in place or brought up to date; the others' counters read, then removed. */
  protected async resync(): Promise<void> {
    const answer = await this.bus.call<MeteringSyncAnswer>(PLUGIN_TOPIC, 'get_sync_data_metering', { host: this.host } satisfies MeteringSyncRequest);
    if (!this.running) return;
    this.lastFullSync = this.clock();
    const desired = compileRouters(answer ?? []);
    for (const router of desired.values()) await this.applyRouter(router);
    for (const id of [...this.known.keys(), ...this.waiting.keys()]) if (!desired.has(id)) await this.removeRouter(id);
    this.log.info({ routers: this.known.size, waiting: this.waiting.size }, 'synchronized the metered routers');
  }

  /** The marked routers: refetched in one call, each applied on its own; a marked router not in the answer goes. */
  protected async pass(): Promise<void> {
    const marked = this.marked;
    this.marked = new Map();
    if (!marked.size) return;
    const refetch = [...marked].filter(([, present]) => present).map(([id]) => id);
    let answer: MeteringSyncAnswer = [];
    try {
      if (refetch.length) {
        answer = await this.bus.call<MeteringSyncAnswer>(PLUGIN_TOPIC, 'get_sync_data_metering', { host: this.host, router_ids: refetch } satisfies MeteringSyncRequest);
      }
    } catch (err) {
      for (const [id, present] of marked) if (!this.marked.has(id)) this.marked.set(id, present);
      throw err;
    }
    if (!this.running) return;
    const fetched = new Set<string>();
    for (const info of answer ?? []) {
      if (!marked.get(info.id)) continue;
      const router = compileRouter(info);
      if (!router) continue;
      fetched.add(info.id);
      await this.applyRouter(router);
    }
    for (const [id] of marked) if (!fetched.has(id)) await this.removeRouter(id);
  }

  /** Puts a router's counters in place (or up to date); a router that cannot be yet waits for the next measure. */
  private async applyRouter(desired: MeteredRouter): Promise<void> {
    const id = desired.router_id;
    const current = this.known.get(id) ?? null;
    if (current && sameRouter(current, desired)) return;
    // counts of labels about to go are read first
    if (current && current.labels.some((l) => !desired.labels.some((d) => d.id === l.id))) await this.measureRouters([current]);
    try {
      const result = await this.driver.apply(id, current, desired);
      if (result === 'applied') {
        this.known.set(id, desired);
        this.waiting.delete(id);
        return;
      }
    } catch (err) {
      this.log.warn({ err, router_id: id }, 'unable to apply the router’s metering; built anew at the next measure');
    }
    this.known.delete(id);
    this.waiting.set(id, desired);
  }

  private async removeRouter(id: string): Promise<void> {
    this.waiting.delete(id);
    const current = this.known.get(id);
    if (!current) return;
    await this.measureRouters([current]);
    this.known.delete(id);
    try {
      await this.driver.apply(id, current, null);
    } catch (err) {
      this.log.warn({ err, router_id: id }, 'unable to remove the router’s metering');
    }
  }

  // ---- measures and reports ----

  private scheduleMeasure(): void {
    if (!this.running) return;
    this.measureTimer = setTimeout(() => {
      this.enqueue(() => this.measureTick());
      this.scheduleMeasure();
    }, this.opts.measureIntervalSeconds * 1000);
    this.measureTimer.unref();
  }

  /**
   * One measure (MeteringAgent._metering_loop): waiting routers tried again, every counter read and added up, and the
   * report when report_interval has passed since the last one (at once after a start, as Neutron's agent does).
   */
  async measureTick(): Promise<void> {
    for (const router of [...this.waiting.values()]) await this.applyRouter(router);
    await this.measureRouters([...this.known.values()]);
    const now = this.clock();
    if (now - this.lastReport >= this.opts.meterReportIntervalSeconds) {
      this.lastReport = now;
      await this.report(now);
    }
    if (now - this.lastFullSync >= PERIODIC_SYNC_SECONDS) this.resyncSoon();
  }

  /** Reads and zeroes the routers' counters and adds them up; routers whose counters vanished are built anew. */
  async measureRouters(routers: readonly MeteredRouter[]): Promise<void> {
    if (!routers.length) return;
    const { counts, lost } = await this.driver.read(routers);
    const now = this.clock();
    for (const router of routers) {
      const read = counts.get(router.router_id);
      if (read) this.meters.add(router, read, now);
    }
    for (const id of lost) {
      const router = this.known.get(id);
      if (!router) continue;
      this.known.delete(id);
      this.waiting.set(id, router);
    }
  }

  /** Publishes the counts since the last report, one l3.meter notification each (a failed one is logged). */
  async report(now = this.clock()): Promise<void> {
    for (const payload of this.meters.report(this.host, now, this.opts.meterReportIntervalSeconds)) {
      const notification: L3MeterNotification = {
        message_id: randomUUID(),
        publisher_id: `metering.${this.host}`,
        event_type: L3_METER_EVENT,
        priority: 'INFO',
        timestamp: new Date(now * 1000).toISOString(),
        payload,
      };
      await this.bus.cast(METERING_NOTIFICATIONS_TOPIC, L3_METER_EVENT, notification).catch((err: unknown) => {
        this.log.warn({ err, label_id: payload.label_id }, 'unable to send a metering report');
      });
    }
  }

  /** A full sync at the next pass (Neutron's periodic _sync_routers_task): what a lost notice missed is caught. */
  private resyncSoon(): void {
    this.lastFullSync = this.clock();
    this.enqueue(async () => {
      await this.resync();
    });
  }
}
