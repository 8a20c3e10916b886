/**
 * The `linux` metering driver (root): in each router's `qrouter-<id>` namespace, built by the L3 agent, one nft table
 * `inet neutron-meter` of its own (core/nft-ruleset.ts). It never touches the L3 agent's iptables rules, and the L3
 * agent never touches it: they meet only in the kernel, where this table's forward hook sees what the router
 * forwards. A change is one `nft -f` transaction; a read is one `nft reset counters` per router (read and zeroed
 * atomically). A namespace that is not there yet is left to the next measure; a table that vanished (the L3 agent
 * rebuilt the namespace) is reported lost, and the agent builds it again.
 */
import { pino, type Logger } from 'pino';
import { failureKind, namespaceExists, nftApply, nftJson } from '../../../dataplane/index.js';
import type { MeteredRouter } from '../core/metering-state.js';
import { METER_TABLE, meteringChanges, parseCounters } from '../core/nft-ruleset.js';
import { SerialLane } from '../../common/serial-lane.js';
import type { ApplyResult, CounterRead, CountSink, MeteringDriver } from './metering-driver.js';

export interface LinuxMeteringDriverOptions {
  log?: Logger;
}

export class LinuxMeteringDriver implements MeteringDriver {
  readonly name = 'linux' as const;
  private readonly log: Logger;
  private readonly lane = new SerialLane();

  constructor(opts: LinuxMeteringDriverOptions = {}) {
    this.log = (opts.log ?? pino({ level: 'silent' })).child({ driver: 'linux-metering' });
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.lane.run(async () => undefined);
  }

  apply(routerId: string, current: MeteredRouter | null, desired: MeteredRouter | null): Promise<ApplyResult> {
    return this.lane.run(async () => {
      const ns = `qrouter-${routerId}`;
      if (!(await namespaceExists(ns))) return 'no-namespace';
      const text = meteringChanges(current, desired);
      if (!text) return 'applied';
      try {
        await nftApply(ns, text);
      } catch (err) {
        // the router went meanwhile: nothing to keep there
        if (failureKind(err) === 'no-namespace' || !(await namespaceExists(ns))) return 'no-namespace';
        throw err;
      }
      return 'applied';
    });
  }

  read(routers: readonly MeteredRouter[], sink: CountSink): Promise<CounterRead> {
    return this.lane.run(async () => {
      const lost: string[] = [];
      for (const router of routers) {
        let counts;
        try {
          counts = parseCounters(await nftJson(router.namespace, ['reset', 'counters', 'table', 'inet', METER_TABLE]));
        } catch (err) {
          this.log.info({ err, router_id: router.router_id }, 'metering counters are gone (namespace rebuilt or removed)');
          lost.push(router.router_id);
          continue;
        }
        for (const label of router.labels) {
          const c = counts.get(label.id);
          if (c) sink(router, label, c.pkts, c.bytes);
        }
      }
      return { lost };
    });
  }

  configurations(): Record<string, unknown> {
    return { metering_table: `inet ${METER_TABLE}` };
  }
}
