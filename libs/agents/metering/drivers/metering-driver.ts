/**
 * The edge of the metering agent: what keeps the counters in the routers' namespaces. The agent decides which routers
 * and labels (the core compiles them); a driver applies a router's change and reads its counters. `simulated` keeps
 * them in memory (nothing flows: they stay 0); `linux` keeps an nft table in the L3 agent's `qrouter-` namespace.
 */
import type { MeteredRouter } from '../core/metering-state.js';
import type { Counts } from '../core/nft-ruleset.js';

/** 'no-namespace': the router is not built on this host (yet): the agent tries again at its next measure. */
export type ApplyResult = 'applied' | 'no-namespace';

export interface CounterRead {
  /** router id → label id → counts since the previous read */
  counts: Map<string, Map<string, Counts>>;
  /** routers whose counters are gone (their namespace was rebuilt, or removed): the agent applies them again */
  lost: string[];
}

export interface MeteringDriver {
  readonly name: 'simulated' | 'linux';
  start(): Promise<void>;
  /** Takes the router from `current` (null: unknown, built anew) to `desired` (null: no metering there). */
  apply(routerId: string, current: MeteredRouter | null, desired: MeteredRouter | null): Promise<ApplyResult>;
  /** Reads and zeroes the counters of these routers. */
  read(routers: readonly MeteredRouter[]): Promise<CounterRead>;
  stop(): Promise<void>;
  /** Extra report_state configurations. */
  configurations(): Record<string, unknown>;
}
