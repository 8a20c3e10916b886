/**
 * The metering agent of one host (neutron-metering-agent) on the AgentSkeleton. It pulls every label with its rules
 * and the routers of the host's L3 agent (get_metering_labels, get_metering_routers, by pages) at start, when the
 * server had it down, and every 40 s at a measure; a label notice (fanout) names labels to refetch, routers_updated
 * on metering_agent.<host> routers to refetch, router_deleted (fanout) one to drop. Each label is compiled once; a
 * router meters the shared labels and its project's (one list per project), the driver keeps its counters. Every measure_interval it reads and zeroes the
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
  METERING_AGENT_TOPIC,
  METERING_LABEL_METHODS,
  METERING_MAX_PAGE,
  METERING_NOTIFICATIONS_TOPIC,
  meteringAgentTopic,
  type MeteringAgentConfigurations,
  type MeteringLabelInfo,
  type MeteringLabelsNotice,
  type MeteringLabelsPage,
  type MeteringLabelsRequest,
  type MeteringRouterDeletedNotice,
  type MeteringRouterInfo,
  type MeteringRoutersNotice,
  type MeteringRoutersPage,
  type MeteringRoutersRequest,
  ROUTERS_UPDATED,
} from '../../rpc/metering-agent.contract.js';
import { AgentSkeleton, type AgentReport, type AgentSubscription, retryingAgent, type RetryingAgentOptions } from '../common/agent-skeleton.js';
import { MeterAccumulator } from './core/meter-accumulator.js';
import { LabelCatalog, type MeteredRouter, meteredRouter, sameRouter } from './core/metering-state.js';
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
  /** every label, compiled once */
  private readonly catalog = new LabelCatalog();
  /** the host's routers as the server gave them */
  private readonly hosted = new Map<string, MeteringRouterInfo>();
  /** routers whose counters are in place */
  private readonly known = new Map<string, MeteredRouter>();
  /** routers wanted here but not in place yet (no namespace, a failed apply, counters lost): built anew */
  private readonly waiting = new Set<string>();
  /** routers a notice named since the last pass: true = refetch, false = remove */
  private marked = new Map<string, boolean>();
  /** labels a notice named since the last pass (refetched) */
  private markedLabels = new Set<string>();
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
      for (const id of (payload as Partial<MeteringRoutersNotice> | undefined)?.router_ids ?? []) this.mark(id, false);
    };
    const labels = (payload: unknown) => {
      for (const id of (payload as Partial<MeteringLabelsNotice> | undefined)?.label_ids ?? []) this.markLabel(id);
    };
    const deleted = (payload: unknown) => this.mark((payload as Partial<MeteringRouterDeletedNotice> | undefined)?.router_id, true);
    return [
      { topic: meteringAgentTopic(this.host), handlers: { [ROUTERS_UPDATED]: routers } },
      { topic: METERING_AGENT_TOPIC, handlers: { router_deleted: deleted, ...Object.fromEntries(METERING_LABEL_METHODS.map((m) => [m, labels])) }, fanout: true },
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
    this.hosted.clear();
    this.catalog.clear();
    this.marked.clear();
    this.markedLabels.clear();
    this.log.info('metering agent stopped');
  }

  configurations(): MeteringAgentConfigurations & Record<string, unknown> {
    return {
      metering_driver: this.driver.name,
      measure_interval: this.opts.measureIntervalSeconds,
      report_interval: this.opts.meterReportIntervalSeconds,
      granular_traffic_data: this.opts.granular ?? false,
      routers: this.known.size,
      metering_labels: this.labelsInPlace(),
      ...this.driver.configurations(),
    };
  }

  /** Labels counted on at least one router: the routers of a project share one list, so few lists to go through. */
  private labelsInPlace(): number {
    const lists = new Set<MeteredRouter['labels']>();
    for (const router of this.known.values()) lists.add(router.labels);
    if (lists.size <= 1) return lists.size ? [...lists][0].length : 0;
    const ids = new Set<string>();
    for (const list of lists) for (const label of list) ids.add(label.id);
    return ids.size;
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

  private markLabel(labelId: unknown): void {
    if (typeof labelId !== 'string' || labelId === '') return;
    this.markedLabels.add(labelId);
    this.requestPass();
  }

  // ---- sync ----

  /** Every label and every router of the host, by pages; each router in place or brought up to date, the others' counters read, then removed. */
  protected async resync(): Promise<void> {
    const labels = await this.allPages<MeteringLabelsPage, MeteringLabelInfo>('get_metering_labels', (p) => p.labels);
    const routers = await this.allPages<MeteringRoutersPage, MeteringRouterInfo>('get_metering_routers', (p) => p.routers);
    if (!this.running) return;
    this.lastFullSync = this.clock();
    const present = new Set(labels.map((l) => l.id));
    for (const id of [...this.catalog.ids()]) if (!present.has(id)) this.catalog.delete(id);
    for (const label of labels) this.catalog.set(label);
    this.hosted.clear();
    for (const router of routers) this.hosted.set(router.id, router);
    for (const id of this.hosted.keys()) await this.reconcile(id);
    for (const id of [...this.known.keys(), ...this.waiting]) if (!this.hosted.has(id)) await this.reconcile(id);
    this.log.info({ routers: this.known.size, labels: this.catalog.size, waiting: this.waiting.size }, 'synchronized the metered routers');
  }

  /**
   * The marked labels and routers refetched (by ids); a marked one missing from the answer is gone. Then each router
   * a changed label applies to, and each marked router, is brought up to date on its own.
   */
  protected async pass(): Promise<void> {
    const marked = this.marked;
    const markedLabels = this.markedLabels;
    this.marked = new Map();
    this.markedLabels = new Set();
    if (!marked.size && !markedLabels.size) return;
    const refetch = [...marked].filter(([, present]) => present).map(([id]) => id);
    let labels: MeteringLabelInfo[];
    let routers: MeteringRouterInfo[];
    // the projects whose routers a changed label applies to (every project: a shared one)
    const projects = new Set<string>();
    let everyRouter = false;
    let ofProjects: MeteringRouterInfo[] | null = null;
    try {
      labels = await this.byIds<MeteringLabelsPage, MeteringLabelInfo>('get_metering_labels', 'label_ids', [...markedLabels], (p) => p.labels);
      routers = await this.byIds<MeteringRoutersPage, MeteringRouterInfo>('get_metering_routers', 'router_ids', refetch, (p) => p.routers);
      for (const label of [...labels, ...[...markedLabels].map((id) => this.catalog.get(id))]) {
        if (!label) continue;
        if (label.shared) everyRouter = true;
        else projects.add(label.project_id);
      }
      // the routers they apply to, asked again: the server names no router in a label notice, and one scheduled
      // here since the last sync is metered now rather than at the next full sync
      if (everyRouter || projects.size) {
        ofProjects = await this.allPages<MeteringRoutersPage, MeteringRouterInfo>('get_metering_routers', (p) => p.routers, everyRouter ? {} : { project_ids: [...projects] });
      }
    } catch (err) {
      for (const [id, present] of marked) if (!this.marked.has(id)) this.marked.set(id, present);
      for (const id of markedLabels) this.markedLabels.add(id);
      throw err;
    }
    if (!this.running) return;
    const fetchedLabels = new Map(labels.map((l) => [l.id, l]));
    for (const id of markedLabels) {
      const info = fetchedLabels.get(id);
      if (info) this.catalog.set(info);
      else this.catalog.delete(id);
    }
    const touched = new Set<string>();
    const applies = (router: MeteringRouterInfo) => everyRouter || projects.has(router.project_id);
    if (ofProjects) {
      const present = new Map(ofProjects.map((r) => [r.id, r]));
      for (const [id, router] of this.hosted) if (applies(router) && !present.has(id)) this.hosted.delete(id);
      for (const router of ofProjects) this.hosted.set(router.id, router);
      for (const router of this.hosted.values()) if (applies(router)) touched.add(router.id);
      for (const [id, router] of [...this.known].filter(([, r]) => everyRouter || projects.has(r.project_id))) if (!present.has(id)) touched.add(router.router_id);
    }
    // a router named by a notice: as fetched after the routers of the labels (or gone)
    const fetched = new Map(routers.map((r) => [r.id, r]));
    for (const [id, present] of marked) {
      const info = present ? fetched.get(id) : undefined;
      if (info) this.hosted.set(id, info);
      else this.hosted.delete(id);
      touched.add(id);
    }
    for (const id of touched) await this.reconcile(id);
  }

  /** Every page of a full fetch (keyset paging: each page starts after the last id of the one before). */
  private async allPages<P extends { next: string | null }, T>(method: string, items: (page: P) => T[], filter: Partial<MeteringRoutersRequest> = {}): Promise<T[]> {
    const out: T[] = [];
    let after: string | undefined;
    do {
      const req = { host: this.host, ...filter, limit: METERING_MAX_PAGE, ...(after !== undefined ? { after } : {}) };
      const page = await this.bus.call<P>(PLUGIN_TOPIC, method, req satisfies MeteringLabelsRequest & MeteringRoutersRequest);
      out.push(...(items(page) ?? []));
      after = page?.next ?? undefined;
    } while (after !== undefined && this.running);
    return out;
  }

  /** The items of these ids that exist, METERING_MAX_PAGE ids a call. */
  private async byIds<P, T>(method: string, field: 'label_ids' | 'router_ids', ids: string[], items: (page: P) => T[]): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += METERING_MAX_PAGE) {
      const page = await this.bus.call<P>(PLUGIN_TOPIC, method, { host: this.host, [field]: ids.slice(i, i + METERING_MAX_PAGE) });
      out.push(...(items(page) ?? []));
    }
    return out;
  }

  /** What the router must hold now: null when it is not the host's any more, or no label applies to it. */
  private desired(id: string): MeteredRouter | null {
    const info = this.hosted.get(id);
    if (!info) return null;
    const labels = this.catalog.forProject(info.project_id);
    return labels.length ? meteredRouter(info, labels) : null;
  }

  private async reconcile(id: string): Promise<void> {
    const desired = this.desired(id);
    if (desired) await this.applyRouter(desired);
    else await this.removeRouter(id);
  }

  /** Puts a router's counters in place (or up to date); a router that cannot be yet waits for the next measure. */
  private async applyRouter(desired: MeteredRouter): Promise<void> {
    const id = desired.router_id;
    const current = this.known.get(id) ?? null;
    if (current && sameRouter(current, desired)) {
      this.waiting.delete(id);
      return;
    }
    // counts of labels about to go are read first
    if (current && losesLabel(current, desired)) await this.measureRouters([current]);
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
    this.waiting.add(id);
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
    for (const id of [...this.waiting]) await this.reconcile(id);
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
    const now = this.clock();
    const { lost } = await this.driver.read(routers, (router, label, pkts, bytes) => this.meters.add(router, label, pkts, bytes, now));
    for (const id of lost) {
      if (!this.known.delete(id)) continue;
      this.waiting.add(id);
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

/** Some label of `current` is not in `desired` (both by id). */
function losesLabel(current: MeteredRouter, desired: MeteredRouter): boolean {
  if (current.labels === desired.labels) return false;
  const wanted = new Set(desired.labels.map((l) => l.id));
  return current.labels.some((l) => !wanted.has(l.id));
}
