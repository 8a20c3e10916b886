import { type DynamicModule, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { BUS, type Bus } from '../../bus/bus.contract.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { L2AgentFleet } from './l2-agents.js';

/** Starts the fleet with the application, stops it on shutdown (before the bus closes). */
class L2AgentFleetLifecycle extends L2AgentFleet implements OnApplicationBootstrap, OnApplicationShutdown {
  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
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
    return {
      module: L2AgentsModule,
      providers: [
        {
          provide: L2AgentFleet,
          inject: [BUS, APP_CONFIG],
          useFactory: (bus: Bus, config: AppConfig) =>
            new L2AgentFleetLifecycle({ bus, config, hosts: options.hosts, log: options.log }),
        },
      ],
      exports: [L2AgentFleet],
    };
  }
}
