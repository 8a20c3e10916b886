/**
 * The L3 agent of one host (neutron-l3-agent, agent_mode legacy) on the AgentSkeleton: pulls the routers scheduled
 * here (sync_routers) at start and whenever the server had it down, refetches only the routers a notice on
 * l3_agent.<host> names, has the core compile each into its desired namespace and the driver apply the difference
 * from what it applied last, and reports the floating IPs' statuses back (update_floatingip_statuses).
 *
 * Notices only mark routers; one pass at a time fetches the marked ones in one sync_routers call and applies each on
 * its own, so one router's change touches only that router. A router whose apply failed is rebuilt from nothing on
 * the retry (its namespace's state is unknown); a pass that failed keeps its routers marked and retries with backoff.
 */
import { PLUGIN_TOPIC } from '../../rpc/agent-state.contract.js';
import {
  type FloatingIpStatus,
  l3AgentTopic,
  type L3AgentConfigurations,
  type L3FloatingIpStatusesRequest,
  type L3RouterAddedNotice,
  type L3RouterDeletedNotice,
  type L3RouterInfo,
  type L3RouterRemovedNotice,
  type L3RoutersUpdatedNotice,
  type L3SyncRoutersAnswer,
  type L3SyncRoutersRequest,
} from '../../rpc/l3-agent.contract.js';
import { AgentSkeleton, retryingAgent, type AgentReport, type AgentSubscription, type RetryingAgentOptions } from '../common/agent-skeleton.js';
import { diffRouter } from './core/router-diff.js';
import { compileRouter, type DesiredRouter } from './core/router-state.js';
import type { L3Driver } from './drivers/l3-driver.js';

export interface L3AgentOptions extends RetryingAgentOptions {
  driver: L3Driver;
  /** Reported as interface_driver (the L2 layout the router devices are plugged into). */
  interfaceDriver?: string;
}

/** What the agent built for a router, and the floating IP statuses the server has (as it gave them, or as reported). */
interface KnownRouter {
  desired: DesiredRouter;
  statuses: Map<string, string>;
}

export class L3Agent extends AgentSkeleton {
  private readonly driver: L3Driver;
  /** routers built here */
  private readonly known = new Map<string, KnownRouter>();
  /** routers a notice named since the last pass took them: true = refetch, false = remove */
  private marked = new Map<string, boolean>();
  /** routers whose last apply failed: rebuilt from nothing */
  private readonly broken = new Set<string>();

  constructor(private readonly opts: L3AgentOptions) {
    super(retryingAgent('l3', opts));
    this.driver = opts.driver;
  }

  // ---- the skeleton's questions ----

  protected state(): AgentReport {
    return this.describeAs('l3', this.configurations(), this.opts.availabilityZone);
  }

  protected subscriptions(): AgentSubscription[] {
    const many = (removed: boolean) => (payload: unknown) => {
      for (const id of (payload as Partial<L3RoutersUpdatedNotice & L3RouterAddedNotice> | undefined)?.routers ?? []) this.mark(id, removed);
    };
    const one = (payload: unknown) => this.mark((payload as Partial<L3RouterDeletedNotice & L3RouterRemovedNotice> | undefined)?.router_id, true);
    return [
      {
        topic: l3AgentTopic(this.host),
        handlers: { routers_updated: many(false), router_added_to_agent: many(false), router_deleted: one, router_removed_from_agent: one },
      },
    ];
  }

  protected passFailed(err: unknown): void {
    this.log.error({ err }, 'L3 sync failed; retrying');
  }

  protected override starting(): Promise<void> {
    return this.driver.start();
  }

  protected override started(): void {
    this.log.info({ driver: this.driver.name }, 'L3 agent started');
  }

  /** Routers stay built (a restarted agent takes them over at its resync); what the agent knew is dropped. */
  protected override async stopped(): Promise<void> {
    await this.driver.stop();
    this.known.clear();
    this.marked.clear();
    this.broken.clear();
    this.log.info('L3 agent stopped');
  }

  configurations(): L3AgentConfigurations & Record<string, unknown> {
    let ex_gw_ports = 0;
    let interfaces = 0;
    let floating_ips = 0;
    for (const { desired } of this.known.values()) {
      for (const device of desired.devices) {
        if (device.kind === 'gateway') ex_gw_ports++;
        else interfaces++;
      }
      floating_ips += desired.floating_ips.length;
    }
    return {
      agent_mode: 'legacy',
      routers: this.known.size,
      ex_gw_ports,
      interfaces,
      floating_ips,
      interface_driver: this.opts.interfaceDriver ?? 'linuxbridge',
      log_agent_heartbeats: false,
      handle_internal_only_routers: true,
      external_network_bridge: '',
      gateway_external_network_id: '',
      l3_driver: this.driver.name,
      ...this.driver.configurations(),
    };
  }

  /** The routers built here now. */
  routers(): string[] {
    return [...this.known.keys()];
  }

  // ---- notices (they only mark work) ----

  private mark(routerId: unknown, removed: boolean): void {
    if (typeof routerId !== 'string' || routerId === '') return;
    this.marked.set(routerId, !removed);
    this.requestPass();
  }

  // ---- the loop ----

  /**
   * Every router scheduled here, built or brought up to date; the others removed. Notices that arrive meanwhile stay
   * marked and are refetched after it, so nothing older than a notice wins.
   */
  protected async resync(): Promise<void> {
    const routers = await this.bus.call<L3SyncRoutersAnswer>(PLUGIN_TOPIC, 'sync_routers', { host: this.host } satisfies L3SyncRoutersRequest);
    if (!this.running) return;
    const hosted = new Set<string>();
    const failed: string[] = [];
    for (const router of routers) {
      hosted.add(router.id);
      if (!(await this.applyRouter(router))) failed.push(router.id);
    }
    for (const id of [...this.known.keys()]) if (!hosted.has(id) && !(await this.removeRouter(id))) failed.push(id);
    // what is not built here now goes (a router down, or one left by an earlier run); a failed one is rebuilt anyway
    await this.driver.cleanup(new Set([...this.known.keys(), ...failed]));
    this.log.info({ routers: this.known.size }, 'synchronized the routers scheduled here');
    if (failed.length) {
      for (const id of failed) if (!this.marked.has(id)) this.marked.set(id, hosted.has(id));
      throw new Error(`${failed.length} routers failed to sync`);
    }
  }

  /** The marked routers: the ones to refetch in one sync_routers call, each then applied on its own. */
  protected async pass(): Promise<void> {
    const marked = this.marked;
    this.marked = new Map();
    if (!marked.size) return;
    const refetch = [...marked].filter(([, present]) => present).map(([id]) => id);
    let answer: L3RouterInfo[] = [];
    try {
      if (refetch.length) {
        answer = await this.bus.call<L3SyncRoutersAnswer>(PLUGIN_TOPIC, 'sync_routers', { host: this.host, router_ids: refetch } satisfies L3SyncRoutersRequest);
      }
    } catch (err) {
      this.remark(marked);
      throw err;
    }
    if (!this.running) return;
    const failed = new Map<string, boolean>();
    const fetched = new Set<string>();
    for (const router of answer) {
      // a notice for a router not asked about: not ours to act on now
      if (!marked.get(router.id)) continue;
      fetched.add(router.id);
      if (!(await this.applyRouter(router))) failed.set(router.id, true);
    }
    for (const [id] of marked) {
      // deleted, unscheduled, or not in the answer: no longer here
      if (fetched.has(id)) continue;
      if (!(await this.removeRouter(id))) failed.set(id, false);
    }
    if (failed.size) {
      this.remark(failed);
      throw new Error(`${failed.size} routers failed to sync`);
    }
  }

  /** Kept for the retry, unless a newer notice marked it again. */
  private remark(routers: Map<string, boolean>): void {
    for (const [id, present] of routers) if (!this.marked.has(id)) this.marked.set(id, present);
  }

  /** Builds or updates one router; false when it failed (logged; rebuilt from nothing next time). */
  private async applyRouter(router: L3RouterInfo): Promise<boolean> {
    const known = this.known.get(router.id);
    const desired = compileRouter(router);
    if (!desired) return this.removeRouter(router.id);
    try {
      const rebuild = this.broken.has(router.id);
      const ops = rebuild ? [{ op: 'delete-namespace' as const, namespace: desired.namespace }, ...diffRouter(null, desired)] : diffRouter(known?.desired ?? null, desired);
      if (ops.length) await this.driver.apply(router.id, ops);
      this.broken.delete(router.id);
    } catch (err) {
      this.broken.add(router.id);
      this.known.delete(router.id);
      this.log.warn({ err, router_id: router.id }, 'unable to apply the router');
      await this.reportErrors(router);
      return false;
    }
    // the server's view of the statuses: what it just gave us
    const statuses = new Map((router._floatingips ?? []).map((f) => [f.id, f.status]));
    const entry: KnownRouter = { desired, statuses };
    this.known.set(router.id, entry);
    await this.reportStatuses(router.id, entry, known);
    return true;
  }

  /** Neutron's agent puts a router's floating IPs in ERROR when it could not set them up; the retry reports again. */
  private async reportErrors(router: L3RouterInfo): Promise<void> {
    const fip_statuses: Record<string, FloatingIpStatus> = {};
    for (const fip of router._floatingips ?? []) if (fip.status !== 'ERROR') fip_statuses[fip.id] = 'ERROR';
    await this.sendStatuses(router.id, fip_statuses);
  }

  /** Removes one router; false when the driver failed. */
  private async removeRouter(routerId: string): Promise<boolean> {
    const known = this.known.get(routerId);
    if (!known && !this.broken.has(routerId)) return true;
    try {
      await this.driver.apply(routerId, [{ op: 'delete-namespace', namespace: known?.desired.namespace ?? `qrouter-${routerId}` }]);
    } catch (err) {
      this.log.warn({ err, router_id: routerId }, 'unable to remove the router');
      this.broken.add(routerId);
      return false;
    }
    this.known.delete(routerId);
    this.broken.delete(routerId);
    return true;
  }

  /**
   * update_floatingip_statuses with what differs from the server's view: the router's floating IPs as built, and
   * DOWN for those it served before and no longer lists (Neutron's agent does the same). A failed report is logged;
   * the next change or resync of the router reports again.
   */
  private async reportStatuses(routerId: string, entry: KnownRouter, before: KnownRouter | undefined): Promise<void> {
    const fip_statuses: Record<string, FloatingIpStatus> = {};
    for (const [id, status] of Object.entries(entry.desired.fip_statuses)) if (entry.statuses.get(id) !== status) fip_statuses[id] = status;
    for (const fip of before?.desired.floating_ips ?? []) if (!(fip.id in entry.desired.fip_statuses)) fip_statuses[fip.id] = 'DOWN';
    if (await this.sendStatuses(routerId, fip_statuses)) for (const [id, status] of Object.entries(fip_statuses)) entry.statuses.set(id, status);
  }

  /** One update_floatingip_statuses call unless there is nothing to say; false when it failed (logged). */
  private async sendStatuses(routerId: string, fip_statuses: Record<string, FloatingIpStatus>): Promise<boolean> {
    if (!Object.keys(fip_statuses).length) return true;
    try {
      await this.bus.call(PLUGIN_TOPIC, 'update_floatingip_statuses', { router_id: routerId, fip_statuses } satisfies L3FloatingIpStatusesRequest);
      return true;
    } catch (err) {
      this.log.warn({ err, router_id: routerId }, 'unable to report floating IP statuses');
      return false;
    }
  }
}
