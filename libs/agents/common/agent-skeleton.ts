/**
 * What every agent does the same way (Neutron's agent base: the report loop, the RPC consumers, resync on start and
 * when the server lost it, the resource processing queue): an agent composes one AgentSkeleton and supplies what is
 * its own, namely its state for report_state, what it listens to, its full sync and its pass.
 *
 * Notices only ask for work; one lane runs it, a pass at a time (PassQueue), so two notices about one resource never
 * race. A full sync (`resync`) runs at the head of the next pass after a (re)start and after the server answered a
 * heartbeat with 'revived'; it is done once it returned while the agent runs. A failed pass is retried: on the poll
 * timer when the agent polls, else with backoff when `retry` is set.
 */
import type { Logger } from 'pino';
import type { Bus, BusHandler, Subscription } from '../../bus/bus.contract.js';
import type { AgentState } from '../../rpc/agent-state.contract.js';
import { PassQueue } from './pass-queue.js';
import { StateReporter } from './state-reporter.js';

/** One topic the agent listens to: its handlers only record what changed and ask for a pass. */
export interface AgentSubscription {
  topic: string;
  handlers: Record<string, BusHandler>;
  /** true: a fanout listener (every agent of the type hears it); default: this agent's own topic. */
  fanout?: boolean;
}

export interface AgentSkeletonOptions {
  bus: Bus;
  /** The agent's logger (already naming the agent and its host). */
  log: Logger;
  /** agents.report_interval, in ms. */
  reportIntervalMs: number;
  /** report_state's agent_state as it is now (the reporter adds start_flag). */
  state(): Omit<AgentState, 'start_flag'> | Promise<Omit<AgentState, 'start_flag'>>;
  /** What the server sends this agent: subscribed on start, closed on stop. */
  subscriptions(): AgentSubscription[];
  /** The full state from the server (get_bound_devices, get_active_networks_info, sync_routers, …). */
  resync(): Promise<void>;
  /** One pass over the work the notices marked. */
  pass(): Promise<void>;
  /** A pass (or work queued beside it) failed. */
  onPassError(err: unknown): void;
  /** Neutron's polling_interval: a pass every so many ms even when nothing asks for one. */
  pollIntervalMs?: number;
  /** After a failed pass, another one after `firstMs`, doubling up to `maxMs` while passes keep failing. */
  retry?: { firstMs: number; maxMs: number };
  /** Before the agent subscribes (its driver starts). */
  starting?(): Promise<void>;
  /** Subscribed; before the first heartbeat. */
  started?(): void;
  /** Heartbeats, subscriptions and timers are stopped (its driver stops, what it knew is dropped). */
  stopped?(): Promise<void> | void;
}

/** Consecutive failures counted for the retry backoff. */
const MAX_DOUBLINGS = 6;

export class AgentSkeleton {
  private readonly reporter: StateReporter;
  private readonly passes: PassQueue;
  private subscriptions: Subscription[] = [];
  private pollTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failedPasses = 0;
  private resyncWanted = true;
  private active = false;

  constructor(private readonly opts: AgentSkeletonOptions) {
    this.passes = new PassQueue({
      pass: () => this.pass(),
      active: () => this.active,
      onSuccess: () => {
        this.failedPasses = 0;
      },
      onError: (err) => {
        this.failedPasses = Math.min(this.failedPasses + 1, MAX_DOUBLINGS);
        this.opts.onPassError(err);
        this.scheduleRetry();
      },
    });
    this.reporter = new StateReporter({
      bus: opts.bus,
      log: opts.log,
      intervalMs: opts.reportIntervalMs,
      state: () => this.opts.state(),
      onRevived: () => this.resyncSoon(),
    });
  }

  /** false once stop() began: passes stop at their next step, nothing new starts. */
  get running(): boolean {
    return this.active;
  }

  /**
   * Starts (the agent's `starting`), subscribes, then heartbeats and syncs in the background (the server may be
   * late). Started again after stop(), it announces itself and resyncs like a new process.
   */
  async start(): Promise<void> {
    if (this.active) return;
    this.active = true;
    this.resyncWanted = true;
    this.passes.reset();
    await this.opts.starting?.();
    for (const { topic, handlers, fanout } of this.opts.subscriptions()) {
      this.subscriptions.push(await this.opts.bus.subscribe(topic, handlers, fanout ? { fanout } : undefined));
    }
    this.opts.started?.();
    void this.reporter.start().then(() => this.requestPass());
    this.schedulePoll();
  }

  /**
   * No more heartbeats, notices or passes. A call already sent is not waited for (the server may be gone: that would
   * hold a shutdown for the RPC timeout); its pass stops at its next step.
   */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    this.reporter.stop();
    for (const timer of [this.pollTimer, this.retryTimer]) if (timer) clearTimeout(timer);
    this.pollTimer = this.retryTimer = null;
    for (const subscription of this.subscriptions.splice(0)) await subscription.close();
    await this.opts.stopped?.();
  }

  /** A pass after the work under way; one already queued absorbs this request. */
  requestPass(): void {
    this.passes.request();
  }

  /** Other work in the same lane (e.g. tearing down a deleted network). */
  enqueue(work: () => Promise<void>): void {
    this.passes.enqueue(work);
  }

  /** A full sync at the head of the next pass. */
  resyncSoon(): void {
    this.resyncWanted = true;
    this.requestPass();
  }

  /** Resolves once no pass is running or queued. */
  idle(): Promise<void> {
    return this.passes.idle();
  }

  private async pass(): Promise<void> {
    if (this.resyncWanted) {
      await this.opts.resync();
      if (this.active) this.resyncWanted = false;
    }
    await this.opts.pass();
  }

  private schedulePoll(): void {
    const { pollIntervalMs } = this.opts;
    if (!this.active || pollIntervalMs === undefined) return;
    this.pollTimer = setTimeout(() => {
      this.requestPass();
      this.schedulePoll();
    }, pollIntervalMs);
    this.pollTimer.unref();
  }

  private scheduleRetry(): void {
    const { retry } = this.opts;
    if (!retry || !this.active || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.requestPass();
    }, Math.min(retry.firstMs * 2 ** (this.failedPasses - 1), retry.maxMs));
    this.retryTimer.unref();
  }
}
