import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { DhcpAgentModule } from '../../libs/agents/dhcp/dhcp-agent.module.js';
import { L2AgentsModule } from '../../libs/agents/l2/l2-agent.module.js';
import { L3AgentModule } from '../../libs/agents/l3/l3-agent.module.js';
import { MeteringAgentModule } from '../../libs/agents/metering/metering-agent.module.js';
import { BusModule } from '../../libs/bus/bus.module.js';
import { type AppConfig, ConfigModule } from '../../libs/config/index.js';
import { MetricsModule } from '../../libs/metrics/index.js';

export type AgentType = 'l2' | 'dhcp' | 'l3' | 'metering';
export const AGENT_TYPES: readonly AgentType[] = ['l2', 'dhcp', 'l3', 'metering'];

/**
 * One agent process: config, the bus, and the agent of the chosen type for each given host. No database, no API port:
 * its own metrics are served on metrics.agent_port when set.
 */
@Module({})
export class AgentModule {
  static forRoot(config: AppConfig, type: AgentType, hosts: string[], log: Logger): DynamicModule {
    const agents = {
      l2: () => L2AgentsModule.forRoot({ hosts, log }),
      // one DHCP agent per process (its driver owns the host's qdhcp- namespaces or the loopback port)
      dhcp: () => DhcpAgentModule.forRoot({ host: hosts[0], log }),
      // one L3 agent per process (its driver owns the host's qrouter- namespaces)
      l3: () => L3AgentModule.forRoot({ host: hosts[0], log }),
      // one metering agent per process, beside the host's L3 agent (it counts in that agent's qrouter- namespaces)
      metering: () => MeteringAgentModule.forRoot({ host: hosts[0], log }),
    }[type]();
    return {
      module: AgentModule,
      imports: [ConfigModule.forRoot(config), MetricsModule.forRoot(config, { listenPort: config.metrics.agent_port, log }), BusModule.forRoot(config, log), agents],
    };
  }
}
