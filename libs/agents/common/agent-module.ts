import type { DynamicModule, OnApplicationBootstrap, OnApplicationShutdown, Type } from '@nestjs/common';
import { BUS, type Bus } from '../../bus/bus.contract.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { MetricsRegistry } from '../../metrics/index.js';

/** An agent, or the agents of one process. */
export interface RunsWithApp {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the agent with the application, stops it on shutdown (before the bus closes). */
class AgentLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly agent: RunsWithApp) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.agent.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.stop();
  }
}

/**
 * An agent inside a Nest application (the appliance, or `apps/agent --type <type>`), on the application's BUS and
 * config and metrics registry (absent in a bare test module): `make` builds it, `token` (its class) is how the
 * application finds it.
 */
export function agentModule<T extends RunsWithApp>(
  module: Type<unknown>,
  token: Type<T>,
  make: (bus: Bus, config: AppConfig, metrics?: MetricsRegistry) => T,
): DynamicModule {
  return {
    module,
    providers: [
      { provide: token, inject: [BUS, APP_CONFIG, { token: MetricsRegistry, optional: true }], useFactory: make },
      { provide: AgentLifecycle, inject: [token], useFactory: (agent: T) => new AgentLifecycle(agent) },
    ],
    exports: [token],
  };
}
