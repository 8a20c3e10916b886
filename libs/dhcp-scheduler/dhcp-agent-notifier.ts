import { Inject, Injectable, Logger } from '@nestjs/common';
import { dhcpAgentTopic, type DhcpNetworkNotice } from '../agents/rpc.contract.js';
import { BUS, type Bus } from '../bus/bus.contract.js';
import { Database } from '../db/index.js';
import { hostingAgents } from './dhcp-bindings.store.js';

type Method = 'network_update' | 'network_remove';

/**
 * Server → DHCP agents, after commit: `network_update` (refetch the network) or `network_remove`, cast on
 * dhcp_agent.<host>. Notices of one turn of the event loop are coalesced per (host, network), the last one winning,
 * so a request that touches a network several times (subnet, DHCP port, …) sends one notice per agent. A lost notice
 * is repaired by the agent's resync, so failures only log.
 */
@Injectable()
export class DhcpAgentNotifier {
  private readonly logger = new Logger('DhcpAgentNotifier');
  private readonly pending = new Map<string, { host: string; networkId: string; method: Method }>();
  private readonly changedNetworks = new Set<string>();
  private flushing?: Promise<void>;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(Database) private readonly db: Database,
  ) {}

  send(method: Method, hosts: readonly string[], networkId: string): void {
    for (const host of hosts) this.pending.set(`${host}\n${networkId}`, { host, networkId, method });
    this.schedule();
  }

  /** Something on the network changed (a port): its hosting agents are looked up for the whole batch in one query. */
  networkChanged(networkId: string): void {
    this.changedNetworks.add(networkId);
    this.schedule();
  }

  /** Resolves once every notice queued so far has been handed to the bus (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private schedule(): void {
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  private async flush(): Promise<void> {
    try {
      const changed = [...this.changedNetworks];
      this.changedNetworks.clear();
      if (changed.length) {
        const agents = await this.db.read((em) => hostingAgents(em, changed));
        for (const agent of agents) {
          const key = `${agent.host}\n${agent.network_id}`;
          if (agent.admin_state_up && !this.pending.has(key)) this.pending.set(key, { host: agent.host, networkId: agent.network_id, method: 'network_update' });
        }
      }
      const notices = [...this.pending.values()];
      this.pending.clear();
      for (const { host, networkId, method } of notices) {
        const notice: DhcpNetworkNotice = { network_id: networkId };
        await this.bus.cast(dhcpAgentTopic(host), method, notice).catch((err: Error) => this.logger.warn(`${method} to ${host} failed: ${err.message}`));
      }
    } catch (err) {
      this.logger.warn(`DHCP notices not sent: ${(err as Error).message}`);
    } finally {
      this.flushing = undefined;
      if (this.pending.size || this.changedNetworks.size) this.schedule();
    }
  }
}
