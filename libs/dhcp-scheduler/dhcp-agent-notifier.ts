import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  dhcpAgentTopic,
  type DhcpNetworkNotice,
  type DhcpPortDeleteNotice,
  type DhcpPortInfo,
  type DhcpPortUpdateNotice,
} from '../rpc/dhcp-agent.contract.js';
import { BUS, type Bus } from '../bus/bus.contract.js';
import { Database } from '../db/index.js';
import { hostingAgents } from './dhcp-bindings.store.js';

type Method = 'network_update' | 'network_remove';

/**
 * Server → DHCP agents, after commit, cast on dhcp_agent.<host>: `network_update` (refetch the network),
 * `network_remove`, or per port `port_update` / `port_delete` carrying the port (applied without a refetch).
 * Notices of one turn of the event loop are coalesced: per (host, network) the last network notice wins and covers
 * that network's port notices; per port the last port notice wins. The hosting agents of the changed networks are
 * looked up in one query per batch. A lost notice is repaired by the agent's resync, so failures only log.
 */
@Injectable()
export class DhcpAgentNotifier {
  private readonly logger = new Logger('DhcpAgentNotifier');
  private readonly pending = new Map<string, { host: string; networkId: string; method: Method }>();
  private readonly changedNetworks = new Set<string>();
  /** network id → port id → the port now, or null when deleted */
  private readonly changedPorts = new Map<string, Map<string, DhcpPortInfo | null>>();
  private flushing?: Promise<void>;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(Database) private readonly db: Database,
  ) {}

  send(method: Method, hosts: readonly string[], networkId: string): void {
    for (const host of hosts) this.pending.set(`${host}\n${networkId}`, { host, networkId, method });
    this.schedule();
  }

  /** The network, its subnets or its DHCP port changed: its hosting agents refetch it. */
  networkChanged(networkId: string): void {
    this.changedNetworks.add(networkId);
    this.schedule();
  }

  /** One port was created or updated (`port`) or deleted (null): its network's hosting agents get that port. */
  portChanged(networkId: string, portId: string, port: DhcpPortInfo | null): void {
    const ports = this.changedPorts.get(networkId) ?? this.changedPorts.set(networkId, new Map()).get(networkId)!;
    ports.set(portId, port);
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
      const changed = new Set(this.changedNetworks);
      const ports = new Map(this.changedPorts);
      this.changedNetworks.clear();
      this.changedPorts.clear();
      const portCasts: { host: string; networkId: string; portId: string; port: DhcpPortInfo | null }[] = [];
      if (changed.size || ports.size) {
        const agents = await this.db.read((em) => hostingAgents(em, [...new Set([...changed, ...ports.keys()])]));
        for (const agent of agents) {
          const key = `${agent.host}\n${agent.network_id}`;
          if (!agent.admin_state_up || this.pending.has(key)) continue;
          if (changed.has(agent.network_id)) this.pending.set(key, { host: agent.host, networkId: agent.network_id, method: 'network_update' });
          else for (const [portId, port] of ports.get(agent.network_id) ?? []) portCasts.push({ host: agent.host, networkId: agent.network_id, portId, port });
        }
      }
      const notices = [...this.pending.values()];
      this.pending.clear();
      for (const { host, networkId, method } of notices) {
        const notice: DhcpNetworkNotice = { network_id: networkId };
        await this.cast(host, method, notice);
      }
      for (const { host, networkId, portId, port } of portCasts) {
        if (port) await this.cast(host, 'port_update', { network_id: networkId, port } satisfies DhcpPortUpdateNotice);
        else await this.cast(host, 'port_delete', { network_id: networkId, port_id: portId } satisfies DhcpPortDeleteNotice);
      }
    } catch (err) {
      this.logger.warn(`DHCP notices not sent: ${(err as Error).message}`);
    } finally {
      this.flushing = undefined;
      if (this.pending.size || this.changedNetworks.size || this.changedPorts.size) this.schedule();
    }
  }

  private cast(host: string, method: string, notice: object): Promise<void> {
    return this.bus.cast(dhcpAgentTopic(host), method, notice).catch((err: Error) => this.logger.warn(`${method} to ${host} failed: ${err.message}`));
  }
}
