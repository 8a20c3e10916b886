import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { AgentsStartGate } from '../../libs/agents/common/agent-module.js';
import { DhcpAgentModule } from '../../libs/agents/dhcp/dhcp-agent.module.js';
import { L2AgentsModule } from '../../libs/agents/l2/l2-agent.module.js';
import { L3AgentModule } from '../../libs/agents/l3/l3-agent.module.js';
import { MeteringAgentModule } from '../../libs/agents/metering/metering-agent.module.js';
import type { AppConfig } from '../../libs/config/index.js';
import { ServerModule } from '../neutron-server/server.module.js';

/** The all-in-one shape: the server plus its agents in one process, on the in-process bus by default. */
@Module({})
export class ApplianceModule {
  /** `agentsStart` holds the agents back until the ports are bound (serve opens it). */
  static forRoot(config: AppConfig, log?: Logger, agentsStart?: AgentsStartGate): DynamicModule {
    return {
      module: ApplianceModule,
      global: true,
      providers: agentsStart ? [{ provide: AgentsStartGate, useValue: agentsStart }] : [],
      exports: agentsStart ? [AgentsStartGate] : [],
      imports: [
        ServerModule.forRoot(config, log),
        L2AgentsModule.forRoot({ log }),
        ...(config.agents.dhcp.enabled ? [DhcpAgentModule.forRoot({ log })] : []),
        // on by default (agents.l3.enabled): routers scheduled to it, built by the dataplane driver
        ...(config.agents.l3.enabled ? [L3AgentModule.forRoot({ log })] : []),
        // on by default (agents.metering.enabled): counts the L3 agent's routers' traffic per metering label
        ...(config.agents.metering.enabled ? [MeteringAgentModule.forRoot({ log })] : []),
      ],
    };
  }
}
