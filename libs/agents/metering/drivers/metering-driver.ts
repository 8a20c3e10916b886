/**
 * The edge of the metering agent: what keeps the counters in the routers' namespaces. The agent decides which routers
 * and labels (the core compiles them); a driver applies a router's change and reads its counters. `simulated` keeps
 * them in memory (nothing flows: they stay 0); `linux` keeps an nft table in the L3 agent's `qrouter-` namespace.
 */
import type { MeteredLabel, MeteredRouter } from '../core/metering-state.js';

/** 'no-namespace': the router is not built on this host (yet): the agent tries again at its next measure. */
export type ApplyResult = 'applied' | 'no-namespace';

/** One label's counts on one router since the previous read (handed over one by one: no map of every pair). */
export type CountSink = (router: MeteredRouter, label: MeteredLabel, pkts: number, bytes: number) => void;

export interface CounterRead {
  /** routers whose counters are gone (their namespace was rebuilt, or removed): the agent applies them again */
  lost: string[];
}

export interface MeteringDriver {
  readonly name: 'simulated' | 'linux';
  start(): Promise<void>;
  /** Takes the router from `current` (null: unknown, built anew) to `desired` (null: no metering there). */
  apply(routerId: string, current: MeteredRouter | null, desired: MeteredRouter | null): Promise<ApplyResult>;
  /** Reads and zeroes the counters of these routers, each label's counts given to `sink`. */
  read(routers: readonly MeteredRouter[], sink: CountSink): Promise<CounterRead>;
  stop(): Promise<void>;
  /** Extra report_state configurations. */
  configurations(): Record<string, unknown>;
}
