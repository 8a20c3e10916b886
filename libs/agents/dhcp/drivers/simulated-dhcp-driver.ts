/**
 * The `simulated` DHCP driver: every network this agent hosts, served by one core on a loopback UDP port
 * (dataplane.dhcp_port; 0 = any free port, reported in configurations.dhcp_port so a person or a test finds it with
 * `openstack network agent show`). A network change replans that network only; a port change touches that port's
 * leases only.
 */
import { pino, type Logger } from 'pino';
import type { DhcpNetworkInfo, DhcpPortInfo } from '../../../rpc/dhcp-agent.contract.js';
import type { DhcpEventKind } from '../core/dhcp-responder.js';
import type { DhcpServerConfig } from '../core/dhcp-state.js';
import { dhcpNetworkSharingPorts, needsDhcpEntry } from '../core/network-info.js';
import type { DhcpDriver } from './dhcp-driver.js';
import { SimulatedDhcpServer, type BoundAddress } from './simulated-server.js';

export interface SimulatedDhcpDriverOptions {
  port: number;
  host?: string;
  config: DhcpServerConfig;
  log?: Logger;
  /** A reply sent (the replies-served counter). */
  onReplied?: (kind: DhcpEventKind) => void;
}

export class SimulatedDhcpDriver implements DhcpDriver {
  readonly name = 'simulated' as const;
  private readonly networks = new Set<string>();
  private readonly server: SimulatedDhcpServer;
  private readonly log: Logger;
  private bound: BoundAddress | undefined;

  constructor(private readonly opts: SimulatedDhcpDriverOptions) {
    this.log = (opts.log ?? pino({ level: 'silent' })).child({ driver: 'simulated-dhcp' });
    this.server = new SimulatedDhcpServer({
      port: opts.port,
      host: opts.host,
      state: { config: opts.config, networks: [] },
      onEvent: (event) => this.log.debug({ event }, 'dhcp'),
      onReplied: opts.onReplied,
      onError: (err) => this.log.warn({ err }, 'DHCP socket error'),
    });
  }

  /** The loopback address and UDP port answering DHCP (after start). */
  get address(): BoundAddress | undefined {
    return this.bound;
  }

  async start(): Promise<void> {
    if (this.bound) return;
    this.bound = await this.server.start();
    this.log.info({ address: this.bound.address, port: this.bound.port }, 'simulated DHCP server listening (UDP)');
  }

  async apply(network: DhcpNetworkInfo): Promise<void> {
    this.networks.add(network.id);
    this.warn(this.server.leases.setNetwork(dhcpNetworkSharingPorts(network)));
  }

  async applyPorts(networkId: string, changed: readonly DhcpPortInfo[], removed: readonly string[]): Promise<void> {
    const leases = this.server.leases;
    for (const id of removed) leases.removePort(networkId, id);
    for (const port of changed) {
      if (needsDhcpEntry(port)) this.warn(leases.upsertPort(networkId, port));
      else leases.removePort(networkId, port.id);
    }
  }

  async disable(networkId: string): Promise<void> {
    if (this.networks.delete(networkId)) this.server.leases.removeNetwork(networkId);
  }

  async cleanup(keep: ReadonlySet<string>): Promise<void> {
    for (const id of [...this.networks]) if (!keep.has(id)) await this.disable(id);
  }

  async stop(): Promise<void> {
    this.bound = undefined;
    await this.server.stop();
  }

  configurations(): Record<string, unknown> {
    return this.bound ? { dhcp_address: this.bound.address, dhcp_port: this.bound.port } : {};
  }

  private warn(warnings: readonly string[]): void {
    for (const warning of warnings) this.log.warn(warning);
  }
}
