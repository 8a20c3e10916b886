/**
 * The edge of the L3 agent: what builds routers on a host. The agent decides which routers and when, and computes
 * with the core what each needs (`diffRouter`); a driver runs those operations. `simulated` keeps the namespaces in
 * memory; `linux` runs `ip` and `iptables-restore` in `qrouter-<router_id>` namespaces.
 */
import type { RouterOp } from '../core/router-diff.js';

export interface L3Driver {
  readonly name: 'simulated' | 'linux';
  /** Before the first router (the linux driver removes the router namespaces an earlier run left). */
  start(): Promise<void>;
  /**
   * Runs one router's operations, in order. A failure leaves the router in an unknown state: the agent then rebuilds
   * it from nothing (delete-namespace first).
   */
  apply(routerId: string, ops: readonly RouterOp[]): Promise<void>;
  /** Removes the router namespaces it owns that are not in `keep` (router ids), after a full resync. */
  cleanup(keep: ReadonlySet<string>): Promise<void>;
  /** Stops; what is built stays (a restarted agent's resync takes it over), never hangs. */
  stop(): Promise<void>;
  /** Extra report_state configurations. */
  configurations(): Record<string, unknown>;
}
