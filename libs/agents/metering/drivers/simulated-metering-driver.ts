/**
 * The `simulated` metering driver: each router's table is kept in memory, applied with the same `nft` text the linux
 * driver loads, and its counters stay 0 (no packet flows) unless a spec or the bench feeds them (`count`). What it
 * holds is reported truthfully: the agent's configurations and reads are what a linux host would give.
 */
import type { MeteredRouter } from '../core/metering-state.js';
import { type Counts, meteringChanges } from '../core/nft-ruleset.js';
import type { ApplyResult, CounterRead, MeteringDriver } from './metering-driver.js';

interface SimulatedTable {
  router: MeteredRouter;
  counters: Map<string, Counts>;
}

export class SimulatedMeteringDriver implements MeteringDriver {
  readonly name = 'simulated' as const;
  private readonly tables = new Map<string, SimulatedTable>();
  /** every transaction applied, per router (specs) */
  readonly applied = new Map<string, string[]>();
  /** routers that have no namespace here (specs: the L3 agent has not built them yet) */
  readonly missing = new Set<string>();

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async apply(routerId: string, current: MeteredRouter | null, desired: MeteredRouter | null): Promise<ApplyResult> {
    if (this.missing.has(routerId)) return 'no-namespace';
    const text = meteringChanges(current, desired);
    if (text) (this.applied.get(routerId) ?? this.applied.set(routerId, []).get(routerId)!).push(text);
    if (!desired) {
      this.tables.delete(routerId);
      return 'applied';
    }
    const before = this.tables.get(routerId);
    const counters = new Map<string, Counts>();
    // a label that stays keeps its counter (unless the table is made anew)
    for (const label of desired.labels) counters.set(label.id, (current && before?.counters.get(label.id)) || { pkts: 0, bytes: 0 });
    this.tables.set(routerId, { router: desired, counters });
    return 'applied';
  }

  async read(routers: readonly MeteredRouter[]): Promise<CounterRead> {
    const counts = new Map<string, Map<string, Counts>>();
    const lost: string[] = [];
    for (const router of routers) {
      const table = this.tables.get(router.router_id);
      if (!table) {
        lost.push(router.router_id);
        continue;
      }
      const read = new Map<string, Counts>();
      for (const [label, c] of table.counters) {
        read.set(label, { ...c });
        c.pkts = c.bytes = 0;
      }
      counts.set(router.router_id, read);
    }
    return { counts, lost };
  }

  /** Traffic for a spec or the bench: adds to a label's counter on a router (no-op when it is not there). */
  count(routerId: string, labelId: string, pkts: number, bytes: number): void {
    const c = this.tables.get(routerId)?.counters.get(labelId);
    if (c) {
      c.pkts += pkts;
      c.bytes += bytes;
    }
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
