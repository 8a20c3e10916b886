/**
 * The server's half of an agent's conversation, for agent specs on the in-process bus: answers report_state
 * (`reportAnswer`, 'alive' unless a test revives the agent), serves the agent type's PLUGIN_TOPIC methods, records
 * every call, and fails every answer while `failing` (the server's database is away).
 */
import type { Bus, BusHandler } from '../../../bus/bus.contract.js';
import {
  PLUGIN_TOPIC,
  REPORTS_TOPIC,
  type AgentState,
  type ReportStateRequest,
  type ReportStateResult,
} from '../../../rpc/agent-state.contract.js';

export abstract class StandInServer {
  readonly reports: AgentState[] = [];
  readonly calls: { method: string; payload: unknown }[] = [];
  reportAnswer: ReportStateResult = 'alive';
  failing = false;

  constructor(protected readonly bus: Bus) {}

  /** Subscribes report_state and the agent type's methods (`pluginMethods`). */
  async listen(): Promise<void> {
    await this.bus.subscribe(REPORTS_TOPIC, {
      report_state: (p) =>
        this.answer('report_state', p, () => {
          this.reports.push((p as ReportStateRequest).agent_state);
          return this.reportAnswer;
        }),
    });
    await this.bus.subscribe(PLUGIN_TOPIC, this.pluginMethods());
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  protected abstract pluginMethods(): Record<string, BusHandler>;

  /** Records the call, then answers it (or fails it while `failing`). */
  protected answer(method: string, payload: unknown, reply: () => unknown): unknown {
    this.calls.push({ method, payload });
    if (this.failing) throw new Error('database unavailable');
    return reply();
  }
}
