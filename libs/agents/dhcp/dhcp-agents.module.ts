import { type DynamicModule, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { BUS, type Bus } from '../../bus/bus.contract.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { DhcpAgent } from './dhcp-agent.js';
import { dhcpAgentOptions } from './dhcp-agents.js';

/** Starts the agent with the application, stops it on shutdown (before the bus closes). */
class DhcpAgentLifecycle extends DhcpAgent implements OnApplicationBootstrap, OnApplicationShutdown {
  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }
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
    return {
      module: DhcpAgentModule,
      providers: [
        {
          provide: DhcpAgent,
          inject: [BUS, APP_CONFIG],
          useFactory: (bus: Bus, config: AppConfig) =>
            new DhcpAgentLifecycle(dhcpAgentOptions({ bus, config, host: options.host, log: options.log })),
        },
      ],
      exports: [DhcpAgent],
    };
  }
}
