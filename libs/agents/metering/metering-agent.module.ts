import { hostname } from 'node:os';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.contract.js';
import type { AppConfig } from '../../config/index.js';
import { agentModule } from '../common/agent-module.js';
import { LinuxMeteringDriver } from './drivers/linux-metering-driver.js';
import type { MeteringDriver } from './drivers/metering-driver.js';
import { SimulatedMeteringDriver } from './drivers/simulated-metering-driver.js';
import { MeteringAgent, type MeteringAgentOptions } from './metering-agent.js';

/** The host of this process's metering agent: agents.host, or the machine's name (the L3 agent's host). */
export const meteringAgentHost = (config: AppConfig): string => config.agents.host || hostname();

/** The driver for dataplane.driver. */
export function meteringDriverFor(config: AppConfig, log?: Logger): MeteringDriver {
  switch (config.dataplane.driver) {
    case 'simulated':
      return new SimulatedMeteringDriver();
    case 'linux':
      return new LinuxMeteringDriver({ log });
  }
}

export interface MeteringAgentFactoryOptions {
  bus: Bus;
  config: AppConfig;
  host?: string;
  driver?: MeteringDriver;
  log?: Logger;
}

/** The agent's options from config (the appliance's own metering agent, or `apps/agent --type metering`). */
export function meteringAgentOptions(opts: MeteringAgentFactoryOptions): MeteringAgentOptions {
  const { config } = opts;
  const metering = config.agents.metering;
  return {
    host: opts.host ?? meteringAgentHost(config),
    bus: opts.bus,
    driver: opts.driver ?? meteringDriverFor(config, opts.log),
    reportIntervalSeconds: config.agents.report_interval,
    measureIntervalSeconds: metering.measure_interval,
    meterReportIntervalSeconds: metering.report_interval,
    granular: metering.granular_traffic_data,
    // neutron-metering-agent reports no availability zone
    log: opts.log,
  };
}

export interface MeteringAgentModuleOptions {
  host?: string;
  log?: Logger;
}

/** The metering agent inside a Nest application (the appliance, or `apps/agent --type metering`), on its BUS. */
@Module({})
export class MeteringAgentModule {
  static forRoot(options: MeteringAgentModuleOptions = {}): DynamicModule {
    return agentModule(MeteringAgentModule, MeteringAgent, (bus, config) => new MeteringAgent(meteringAgentOptions({ bus, config, host: options.host, log: options.log })));
  }
}
