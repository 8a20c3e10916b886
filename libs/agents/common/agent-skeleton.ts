/**
 * What every agent does the same way (Neutron's agent base: the report loop, the RPC consumers, resync on start and
 * when the server lost it, the resource processing queue). An agent extends AgentSkeleton and supplies only what is
 * its own: its state for report_state, what it listens to, its full sync (`resync`), its pass and its driver.
 *
 * Notices only ask for work; one lane runs it, a pass at a time (PassQueue), so two notices about one resource never
 * race. A full sync runs at the head of the next pass after a (re)start and after the server answered a heartbeat
 * with 'revived'; it is done once it returned while the agent runs. A failed pass is retried: on the poll timer when
 * the agent polls, with backoff when it sets `retry`.
 */
import { pino, type Logger } from 'pino';
import type { Bus, BusHandler, Subscription } from '../../bus/bus.contract.js';
import { BusClosedError } from '../../bus/bus-wire.js';
import { AGENT_TYPES, type AgentState } from '../../rpc/agent-state.contract.js';
import { PassQueue } from './pass-queue.js';
import { StateReporter } from './state-reporter.js';

/** report_state's agent_state as an agent describes itself (the reporter adds start_flag). */
export type AgentReport = Omit<AgentState, 'start_flag'>;

/** One topic the agent listens to: its handlers only record what changed and ask for a pass. */
export interface AgentSubscription {
  topic: string;
  handlers: Record<string, BusHandler>;
  /** true: a fanout listener (every agent of the type hears it); default: this agent's own topic. */
  fanout?: boolean;
}

export interface AgentSkeletonOptions {
  /** `agent` and `host` name the agent in its logs. */
  agent: string;
  host: string;
  bus: Bus;
  log?: Logger;
  /** agents.report_interval, in seconds. */
  reportIntervalSeconds: number;
  /** Neutron's polling_interval: a pass every so many ms even when nothing asks for one. */
  pollIntervalMs?: number;
  /** After a failed pass, another one after `firstMs`, doubling up to `maxMs` while passes keep failing. */
  retry?: { firstMs: number; maxMs: number };
}

/** Consecutive failures counted for the retry backoff. */
const MAX_DOUBLINGS = 6;

/** What an agent that retries a failed pass with the usual backoff is given (the DHCP and L3 agents' options). */
export interface RetryingAgentOptions {
  host: string;
  bus: Bus;
  /** Seconds between report_state heartbeats (agents.report_interval). */
  reportIntervalSeconds: number;
  availabilityZone?: string | null;
  /** First retry after a failed pass (default 0.5 s); doubles up to 30 s. */
  retryMs?: number;
  log?: Logger;
}

/** The skeleton's options for such an agent named `agent`. */
export function retryingAgent(agent: string, opts: RetryingAgentOptions): AgentSkeletonOptions {
  const { host, bus, log, reportIntervalSeconds } = opts;
  return { agent, host, bus, log, reportIntervalSeconds, retry: { firstMs: opts.retryMs ?? 500, maxMs: 30_000 } };
}

export abstract class AgentSkeleton {
  readonly host: string;
  protected readonly bus: Bus;
  protected readonly log: Logger;
  private readonly reporter: StateReporter;
  private readonly passes: PassQueue;
  private listening: Subscription[] = [];
  private pollTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failedPasses = 0;
  private resyncWanted = true;
  private active = false;

  constructor(private readonly skeleton: AgentSkeletonOptions) {
    this.host = skeleton.host;
    this.bus = skeleton.bus;
    this.log = (skeleton.log ?? pino({ level: 'silent' })).child({ agent: skeleton.agent, host: skeleton.host });
    this.passes = new PassQueue({
      pass: () => this.runPass(),
      active: () => this.active,
      onSuccess: () => {
        this.failedPasses = 0;
      },
      onError: (err) => {
        // The bus closed under the pass: the process (or this agent) is stopping; nothing failed that a retry could fix.
        if (!this.active || err instanceof BusClosedError) {
          this.log.debug({ err }, 'pass cut short by the shutdown');
          return;
        }
        this.failedPasses = Math.min(this.failedPasses + 1, MAX_DOUBLINGS);
        this.passFailed(err);
        this.scheduleRetry();
      },
    });
    this.reporter = new StateReporter({
      bus: skeleton.bus,
      log: this.log,
      intervalMs: skeleton.reportIntervalSeconds * 1000,
      state: () => this.state(),
      onRevived: () => {
        this.resyncWanted = true;
        this.requestPass();
      },
    });
  }

  // ---- what an agent supplies ----

  /** report_state's agent_state as it is now. */
  protected abstract state(): AgentReport | Promise<AgentReport>;
  /** What the server sends this agent: subscribed on start, closed on stop. */
  protected abstract subscriptions(): AgentSubscription[];
  /** The full state from the server (get_bound_devices, get_active_networks_info, sync_routers, …). */
  protected abstract resync(): Promise<void>;
  /** One pass over the work the notices marked (after the resync when one is due). */
  protected abstract pass(): Promise<void>;
  /** A pass (or work queued beside it) failed. */
  protected abstract passFailed(err: unknown): void;
  /** Before the agent subscribes (its driver starts). */
  protected async starting(): Promise<void> {}
  /** Subscribed; before the first heartbeat. */
  protected started(): void {}
  /** Heartbeats, subscriptions and timers are stopped (its driver stops, what it knew is dropped). */
  protected async stopped(): Promise<void> {}

  // ---- what every agent has ----

  /**
   * Starts (`starting`), subscribes, then heartbeats and syncs in the background (the server may be late). Started
   * again after stop(), it announces itself and resyncs like a new process.
   */
  async start(): Promise<void> {
    if (this.active) return;
    this.active = true;
    this.resyncWanted = true;
    this.passes.reset();
    await this.starting();
    for (const { topic, handlers, fanout } of this.subscriptions()) {
      this.listening.push(await this.bus.subscribe(topic, handlers, fanout ? { fanout } : undefined));
    }
    this.started();
    void this.reporter.start().then(() => this.requestPass());
    this.schedulePoll();
  }

  /**
   * No more heartbeats, notices or passes, then `stopped`. A call already sent is not waited for (the server may be
   * gone: that would hold a shutdown for the RPC timeout); its pass stops at its next step.
   */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    this.reporter.stop();
    for (const timer of [this.pollTimer, this.retryTimer]) if (timer) clearTimeout(timer);
    this.pollTimer = this.retryTimer = null;
    for (const subscription of this.listening.splice(0)) await subscription.close();
    await this.stopped();
  }

  /** Resolves once no pass is running or queued. */
  idle(): Promise<void> {
    return this.passes.idle();
  }

  /** report_state's agent_state of an agent of `type` (AGENT_TYPES: agent_type, binary, topic) on this host. */
  protected describeAs(type: keyof typeof AGENT_TYPES, configurations: Record<string, unknown>, availabilityZone?: string | null): AgentReport {
    return { ...AGENT_TYPES[type], host: this.host, configurations, availability_zone: availabilityZone ?? null };
  }

  /** false once stop() began: passes stop at their next step, nothing new starts. */
  protected get running(): boolean {
    return this.active;
  }

  /** A pass after the work under way; one already queued absorbs this request. */
  protected requestPass(): void {
    this.passes.request();
  }

  /** Other work in the same lane (e.g. tearing down a deleted network). */
  protected enqueue(work: () => Promise<void>): void {
    this.passes.enqueue(work);
  }

  private async runPass(): Promise<void> {
    if (this.resyncWanted) {
      await this.resync();
      if (this.active) this.resyncWanted = false;
    }
    await this.pass();
  }

  private schedulePoll(): void {
    const { pollIntervalMs } = this.skeleton;
    if (!this.active || pollIntervalMs === undefined) return;
    this.pollTimer = setTimeout(() => {
      this.requestPass();
      this.schedulePoll();
    }, pollIntervalMs);
    this.pollTimer.unref();
  }

  private scheduleRetry(): void {
    const { retry } = this.skeleton;
    if (!retry || !this.active || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.requestPass();
    }, Math.min(retry.firstMs * 2 ** (this.failedPasses - 1), retry.maxMs));
    this.retryTimer.unref();
  }
}
