/**
 * The `simulated` DHCP driver: every network this agent hosts, served by one core on a loopback UDP port
 * (dataplane.dhcp_port; 0 = any free port, reported in configurations.dhcp_port so a person or a test finds it with
 * `openstack network agent show`).
 */
import { pino, type Logger } from 'pino';
import type { DhcpNetworkInfo } from '../rpc.contract.js';
import type { DhcpNetwork, DhcpServerConfig } from './core/dhcp-state.js';
import { dhcpNetworkFromInfo } from './core/network-info.js';
import type { DhcpDriver } from './dhcp-driver.js';
import { SimulatedDhcpServer, type BoundAddress } from './drivers/simulated-server.js';

export interface SimulatedDhcpDriverOptions {
  port: number;
  host?: string;
  config: DhcpServerConfig;
  log?: Logger;
}

export class SimulatedDhcpDriver implements DhcpDriver {
  readonly name = 'simulated' as const;
  private readonly networks = new Map<string, DhcpNetwork>();
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
    this.networks.set(network.id, dhcpNetworkFromInfo(network));
    this.publish();
  }

  async disable(networkId: string): Promise<void> {
    if (this.networks.delete(networkId)) this.publish();
  }

  async cleanup(keep: ReadonlySet<string>): Promise<void> {
    let changed = false;
    for (const id of this.networks.keys()) if (!keep.has(id)) changed = this.networks.delete(id) || changed;
    if (changed) this.publish();
  }

  async stop(): Promise<void> {
    this.bound = undefined;
    await this.server.stop();
  }

  configurations(): Record<string, unknown> {
    return this.bound ? { dhcp_address: this.bound.address, dhcp_port: this.bound.port } : {};
  }

  private publish(): void {
    const warnings = this.server.update({ config: this.opts.config, networks: [...this.networks.values()] });
    for (const warning of warnings) this.log.warn(warning);
  }
}
