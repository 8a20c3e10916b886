import { hostname } from 'node:os';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.contract.js';
import type { AppConfig } from '../../config/index.js';
import type { DhcpEventKind } from './core/dhcp-responder.js';
import { agentModule } from '../common/agent-module.js';
import type { DhcpServerConfig } from './core/dhcp-state.js';
import { DhcpAgent, type DhcpAgentOptions } from './dhcp-agent.js';
import { dhcpRepliesCounter } from './dhcp-metrics.js';
import type { DhcpDriver } from './drivers/dhcp-driver.js';
import { LinuxDhcpDriver } from './drivers/linux-dhcp-driver.js';
import { SimulatedDhcpDriver } from './drivers/simulated-dhcp-driver.js';

/** The host of this process's DHCP agent: agents.host, or the machine's name. */
export const dhcpAgentHost = (config: AppConfig): string => config.agents.host || hostname();

export function dhcpServerConfig(config: AppConfig): DhcpServerConfig {
  return { lease_duration: config.agents.dhcp.lease_duration, dns_domain: config.agents.dhcp.dns_domain };
}

export function dhcpDriverFor(config: AppConfig, log?: Logger, onReplied?: (kind: DhcpEventKind) => void): DhcpDriver {
  switch (config.dataplane.driver) {
    case 'simulated':
      return new SimulatedDhcpDriver({ port: config.dataplane.dhcp_port, config: dhcpServerConfig(config), log, onReplied });
    case 'linux':
      return new LinuxDhcpDriver({ hostNamespace: config.dataplane.host_namespace, config: dhcpServerConfig(config), log, onReplied });
  }
}

export interface DhcpAgentFactoryOptions {
  bus: Bus;
  config: AppConfig;
  /** Default: dhcpAgentHost(config). */
  host?: string;
  /** Default: from dataplane.driver. */
  driver?: DhcpDriver;
  log?: Logger;
  /** Counts the replies the default driver sends (neutron_dhcp_replies_total). */
  onReplied?: (kind: DhcpEventKind) => void;
}

/** The agent's options from config (the appliance's own DHCP agent, or `apps/agent --type dhcp`). */
export function dhcpAgentOptions(opts: DhcpAgentFactoryOptions): DhcpAgentOptions {
  const { config } = opts;
  return {
    host: opts.host ?? dhcpAgentHost(config),
    bus: opts.bus,
    driver: opts.driver ?? dhcpDriverFor(config, opts.log, opts.onReplied),
    reportIntervalSeconds: config.agents.report_interval,
    leaseDuration: config.agents.dhcp.lease_duration,
    availabilityZone: config.network.availability_zones[0] ?? null,
    log: opts.log,
  };
}

export interface DhcpAgentModuleOptions {
  /** Default: agents.host (or the machine's name). */
  host?: string;
  log?: Logger;
}

/** The DHCP agent inside a Nest application (the appliance, or `apps/agent --type dhcp`), on the application's BUS. */
@Module({})
export class DhcpAgentModule {
  static forRoot(options: DhcpAgentModuleOptions = {}): DynamicModule {
    return agentModule(DhcpAgentModule, DhcpAgent, (bus, config, metrics) =>
      new DhcpAgent(dhcpAgentOptions({ bus, config, host: options.host, log: options.log, onReplied: dhcpRepliesCounter(metrics) })),
    );
  }
}
