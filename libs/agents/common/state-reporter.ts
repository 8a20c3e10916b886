import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.contract.js';
import {
  type AgentState,
  REPORTS_TOPIC,
  type ReportStateRequest,
  type ReportStateResult,
} from '../../rpc/agent-state.contract.js';

export interface StateReporterOptions {
  bus: Bus;
  log: Logger;
  /** agents.report_interval, in ms. */
  intervalMs: number;
  /** The agent's state as it is now; the reporter adds `start_flag` until a report after a (re)start succeeds. */
  state(): Omit<AgentState, 'start_flag'> | Promise<Omit<AgentState, 'start_flag'>>;
  /** The server had the agent down ('revived'): the agent resyncs. */
  onRevived(): void;
}

/**
 * An agent's `report_state` heartbeat (neutron's agent report loop): one report at start, then every interval. A failed
 * report is retried sooner (0.5 s doubling, up to the interval), so an agent started before its server shows up soon.
 */
export class StateReporter {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private startFlag = true;
  private failures = 0;

  constructor(private readonly opts: StateReporterOptions) {}

  /** Reports now (resolves after that first try), then keeps reporting until stop(). */
  start(): Promise<void> {
    this.running = true;
    this.startFlag = true;
    return this.beat();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async beat(): Promise<void> {
    if (!this.running) return;
    try {
      await this.report();
    } finally {
      if (this.running) {
        const delayMs = Math.min(this.opts.intervalMs, this.failures ? 500 * 2 ** this.failures : Infinity);
        this.timer = setTimeout(() => void this.beat(), delayMs);
        this.timer.unref();
      }
    }
  }

  private async report(): Promise<void> {
    const { bus, log } = this.opts;
    try {
      const agent_state: AgentState = { ...(await this.opts.state()), ...(this.startFlag ? { start_flag: true } : {}) };
      if (!this.running) return;
      const request: ReportStateRequest = { agent_state, time: new Date().toISOString() };
      const result = await bus.call<ReportStateResult>(REPORTS_TOPIC, 'report_state', request);
      this.startFlag = false;
      if (this.failures) log.info('reported state after a previous failure');
      this.failures = 0;
      if (result === 'revived') {
        log.info('the server had this agent down: full resync');
        this.opts.onRevived();
      }
    } catch (err) {
      this.failures = Math.min(this.failures + 1, 16);
      log.warn({ err }, 'report_state failed; retrying');
    }
  }
}
