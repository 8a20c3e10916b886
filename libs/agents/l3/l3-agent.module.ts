import { hostname } from 'node:os';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.contract.js';
import type { AppConfig } from '../../config/index.js';
import { agentModule } from '../common/agent-module.js';
import type { L3Driver } from './drivers/l3-driver.js';
import { LinuxL3Driver } from './drivers/linux-l3-driver.js';
import { SimulatedL3Driver } from './drivers/simulated-l3-driver.js';
import { L3Agent, type L3AgentOptions } from './l3-agent.js';

/** The host of this process's L3 agent: agents.host, or the machine's name. */
export const l3AgentHost = (config: AppConfig): string => config.agents.host || hostname();

/** The driver for dataplane.driver. */
export function l3DriverFor(config: AppConfig, log?: Logger): L3Driver {
  switch (config.dataplane.driver) {
    case 'simulated':
      return new SimulatedL3Driver({ log });
    case 'linux':
      return new LinuxL3Driver({ hostNamespace: config.dataplane.host_namespace, cleanupOnStop: config.dataplane.cleanup_on_stop, log });
  }
}

export interface L3AgentFactoryOptions {
  bus: Bus;
  config: AppConfig;
  /** Default: l3AgentHost(config). */
  host?: string;
  /** Default: from dataplane.driver. */
  driver?: L3Driver;
  log?: Logger;
}

/** The agent's options from config (the appliance's own L3 agent, or `apps/agent --type l3`). */
export function l3AgentOptions(opts: L3AgentFactoryOptions): L3AgentOptions {
  const { config } = opts;
  return {
    host: opts.host ?? l3AgentHost(config),
    bus: opts.bus,
    driver: opts.driver ?? l3DriverFor(config, opts.log),
    reportIntervalSeconds: config.agents.report_interval,
    availabilityZone: config.network.availability_zones[0] ?? null,
    log: opts.log,
  };
}

export interface L3AgentModuleOptions {
  /** Default: agents.host (or the machine's name). */
  host?: string;
  log?: Logger;
}

/** The L3 agent inside a Nest application (the appliance, or `apps/agent --type l3`), on the application's BUS. */
@Module({})
export class L3AgentModule {
  static forRoot(options: L3AgentModuleOptions = {}): DynamicModule {
    return agentModule(L3AgentModule, L3Agent, (bus, config) => new L3Agent(l3AgentOptions({ bus, config, host: options.host, log: options.log })));
  }
}
