import { hostname } from 'node:os';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.contract.js';
import type { AppConfig } from '../../config/index.js';
import { agentModule } from '../common/agent-module.js';
import type { L2Capabilities, L2Driver } from './drivers/l2-driver.js';
import { LinuxL2Driver } from './drivers/linux-l2-driver.js';
import { SimulatedL2Driver } from './drivers/simulated-l2-driver.js';
import { L2Agent } from './l2-agent.js';

/** The hosts this process runs an L2 agent for: agents.host (or the machine's name), then agents.l2.extra_hosts. */
export function l2AgentHosts(config: AppConfig): string[] {
  if (!config.agents.l2.enabled) return [];
  return [...new Set([config.agents.host || hostname(), ...config.agents.l2.extra_hosts])];
}

export function l2Capabilities(config: AppConfig): L2Capabilities {
  return {
    interfaceMappings: { ...config.agents.l2.physical_interface_mappings },
    tunnelTypes: [...config.agents.l2.tunnel_types],
  };
}

/**
 * The driver of one agent. With `linux`, only this machine's own agent (the first host) wires real devices; the
 * extra hosts are simulated compute hosts (agents.l2.extra_hosts) and keep the simulated driver: two linux drivers
 * in one namespace would remove each other's bridges.
 */
export function driverFor(config: AppConfig, caps: L2Capabilities, opts: { ownHost: boolean; log?: Logger }): L2Driver {
  switch (config.dataplane.driver) {
    case 'simulated':
      return new SimulatedL2Driver(caps);
    case 'linux':
      if (!opts.ownHost) return new SimulatedL2Driver(caps);
      return new LinuxL2Driver({
        namespace: config.dataplane.host_namespace,
        capabilities: caps,
        cleanupOnStop: config.dataplane.cleanup_on_stop,
        log: opts.log,
      });
  }
}

export interface L2AgentsOptions {
  bus: Bus;
  config: AppConfig;
  /** Default: l2AgentHosts(config). */
  hosts?: readonly string[];
  log?: Logger;
  pollIntervalMs?: number;
}

/** The L2 agents of one process, one per host, started and stopped together. */
export class L2AgentFleet {
  readonly agents: L2Agent[];

  constructor(opts: L2AgentsOptions) {
    const caps = l2Capabilities(opts.config);
    this.agents = (opts.hosts ?? l2AgentHosts(opts.config)).map((host, i) => {
      const driver = driverFor(opts.config, caps, { ownHost: i === 0, log: opts.log });
      return new L2Agent({
        host,
        bus: opts.bus,
        driver,
        // the agent reports what its driver can wire, so the server binds nothing here that would stay down
        capabilities: driver instanceof LinuxL2Driver ? driver.capabilities : caps,
        reportIntervalSeconds: opts.config.agents.report_interval,
        pollIntervalMs: opts.pollIntervalMs,
        log: opts.log,
      });
    });
  }

  agent(host: string): L2Agent | undefined {
    return this.agents.find((a) => a.host === host);
  }

  async start(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.stop()));
  }
}

export interface L2AgentsModuleOptions {
  /** The hosts to run an agent for; default agents.host (or the machine's name) plus agents.l2.extra_hosts. */
  hosts?: readonly string[];
  log?: Logger;
}

/** L2 agents inside a Nest application (the appliance, or `apps/agent --type l2`), on the application's BUS. */
@Module({})
export class L2AgentsModule {
  static forRoot(options: L2AgentsModuleOptions = {}): DynamicModule {
    return agentModule(L2AgentsModule, L2AgentFleet, (bus, config) => new L2AgentFleet({ bus, config, hosts: options.hosts, log: options.log }));
  }
}
