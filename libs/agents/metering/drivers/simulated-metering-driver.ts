/**
 * The `simulated` metering driver: each router's table is kept in memory, and its counters stay 0 (no packet flows)
 * unless a spec or the bench feeds them (`count`). What it holds is reported truthfully: the agent's configurations
 * and reads are what a linux host would give.
 *
 * A router's counters are one Float64Array, packets and bytes of each label side by side in the order of the
 * router's labels (by id): 16 bytes a label and router, whatever the number of rules.
 */
import type { MeteredRouter } from '../core/metering-state.js';
import { meteringChanges } from '../core/nft-ruleset.js';
import type { ApplyResult, CounterRead, CountSink, MeteringDriver } from './metering-driver.js';

interface SimulatedTable {
  router: MeteredRouter;
  /** [pkts, bytes] of router.labels[i] at 2i, 2i + 1 */
  counters: Float64Array;
}

export interface SimulatedMeteringDriverOptions {
  /** keep every nft transaction applied, per router (specs: the text the linux driver would load) */
  recordTransactions?: boolean;
}

export class SimulatedMeteringDriver implements MeteringDriver {
  readonly name = 'simulated' as const;
  private readonly tables = new Map<string, SimulatedTable>();
  /** every transaction applied, per router (only with recordTransactions) */
  readonly applied = new Map<string, string[]>();
  /** routers that have no namespace here (specs: the L3 agent has not built them yet) */
  readonly missing = new Set<string>();

  constructor(private readonly opts: SimulatedMeteringDriverOptions = {}) {}

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async apply(routerId: string, current: MeteredRouter | null, desired: MeteredRouter | null): Promise<ApplyResult> {
    if (this.missing.has(routerId)) return 'no-namespace';
    if (this.opts.recordTransactions) {
      const text = meteringChanges(current, desired);
      if (text) (this.applied.get(routerId) ?? this.applied.set(routerId, []).get(routerId)!).push(text);
    }
    if (!desired) {
      this.tables.delete(routerId);
      return 'applied';
    }
    const before = current ? this.tables.get(routerId) : undefined;
    const counters = new Float64Array(desired.labels.length * 2);
    // a label that stays keeps its counter (unless the table is made anew); both lists are in id order
    if (before) {
      const old = before.router.labels;
      for (let i = 0, j = 0; i < desired.labels.length && j < old.length; ) {
        const a = desired.labels[i].id;
        const b = old[j].id;
        if (a === b) {
          counters[2 * i] = before.counters[2 * j];
          counters[2 * i + 1] = before.counters[2 * j + 1];
          i++;
          j++;
        } else if (a < b) i++;
        else j++;
      }
    }
    this.tables.set(routerId, { router: desired, counters });
    return 'applied';
  }

  async read(routers: readonly MeteredRouter[], sink: CountSink): Promise<CounterRead> {
    const lost: string[] = [];
    for (const router of routers) {
      const table = this.tables.get(router.router_id);
      if (!table) {
        lost.push(router.router_id);
        continue;
      }
      const { labels } = table.router;
      const c = table.counters;
      for (let i = 0; i < labels.length; i++) sink(router, labels[i], c[2 * i], c[2 * i + 1]);
      c.fill(0);
    }
    return { lost };
  }

  /** Traffic for a spec or the bench: adds to a label's counter on a router (no-op when it is not there). */
  count(routerId: string, labelId: string, pkts: number, bytes: number): void {
    const table = this.tables.get(routerId);
    if (!table) return;
    const i = indexOf(table.router.labels, labelId);
    if (i < 0) return;
    table.counters[2 * i] += pkts;
    table.counters[2 * i + 1] += bytes;
  }

  /** The L3 agent rebuilt the namespace (specs): the table and its counters are gone. */
  forget(routerId: string): void {
    this.tables.delete(routerId);
  }

  /** What is held for a router (specs). */
  table(routerId: string): MeteredRouter | undefined {
    return this.tables.get(routerId)?.router;
  }

  configurations(): Record<string, unknown> {
    return {};
  }
}

/** Binary search in a list sorted by id. */
function indexOf(labels: readonly { id: string }[], id: string): number {
  let lo = 0;
  let hi = labels.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = labels[mid].id;
    if (at === id) return mid;
    if (at < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
