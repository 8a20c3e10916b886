import { Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import { defineDomain } from '../db/index.js';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { REPORTS_TOPIC, type ReportStateRequest } from '../rpc/agent-state.contract.js';
import { BUS, type Bus, type Subscription } from '../bus/bus.contract.js';
import { agentDefinition } from './agent.definition.js';
import { AgentEntity } from './agent.entity.js';
import { AgentHeartbeatsService } from './agent-heartbeats.service.js';
import { AgentMetrics } from './agent-metrics.js';
import { AgentRegistryService } from './agent-registry.service.js';
import { AGENT_REGISTRY } from '../plugin/agents/agents.contract.js';
import { AgentsService } from './agents.service.js';
import { Agents1764000005000 } from './migrations/1764000005000-agents.js';

export const agentEntities = [AgentEntity];
export const agentMigrations = [Agents1764000005000];

/**
 * The server side of agents: `report_state` heartbeats from the bus, `/v2.0/agents`, AGENT_REGISTRY for port
 * binding and scheduling, and the agents' gauge in /metrics.
 */
@Global()
@Module({
  providers: [AgentsService, AgentHeartbeatsService, AgentRegistryService, AgentMetrics, { provide: AGENT_REGISTRY, useExisting: AgentRegistryService }],
  exports: [AGENT_REGISTRY, AgentHeartbeatsService],
})
export class AgentsApiModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AgentsApiModule');
  private subscription?: Subscription;

  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(AgentsService) private readonly agents: AgentsService,
    @Inject(AgentHeartbeatsService) private readonly heartbeats: AgentHeartbeatsService,
    @Optional() @Inject(BUS) private readonly bus?: Bus,
  ) {}

  async onModuleInit(): Promise<void> {
    this.registry.addResource(agentDefinition(this.agents));
    this.registry.addExtensions('agent', 'agent-resources-synced', 'availability_zone');
    // Before any onApplicationBootstrap: in-process agents send their first report from there.
    await this.subscribeReports();
  }

  private async subscribeReports(): Promise<void> {
    if (!this.bus) {
      this.logger.warn('no bus: agents cannot report their state');
      return;
    }
    this.subscription = await this.bus.subscribe(REPORTS_TOPIC, {
      report_state: (payload) => this.heartbeats.reportState(payload as ReportStateRequest),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }
}

export const agentsApiDomain = defineDomain({ module: AgentsApiModule, entities: agentEntities, migrations: agentMigrations });
