import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { L3AgentNotifier } from '../rpc/l3-agent-notifier.js';
import { L3NotifySubscribers } from '../rpc/l3-notify-subscribers.js';
import { L3RpcService } from '../rpc/l3-rpc.service.js';
import { RouterL3AgentBindings1764000010200 } from './migrations/1764000010200-router-l3-agent-bindings.js';
import { RouterL3AgentBindingEntity } from './router-l3-agent-binding.entity.js';
import { L3AgentMetrics } from './l3-agent-metrics.js';
import { L3SchedulerHandler } from './l3-scheduler.handler.js';
import { L3Scheduler } from './l3-scheduler.service.js';
import { routerSchedulingFragment } from './router-placement.fragment.js';

/**
 * Routers on L3 agents (l3_agentschedulers_db, the L3 RPC and L3AgentNotifyAPI): the bindings, the least-routers
 * scheduler, the l3_agent_scheduler API, sync_routers / update_floatingip_statuses on PLUGIN_TOPIC, the notices
 * to the agents, and what each agent hosts in /metrics. Part of the l3 domain (its entity and migration are listed
 * in l3Domain).
 */
@Module({
  providers: [L3Scheduler, L3AgentNotifier, L3NotifySubscribers, L3RpcService, L3SchedulerHandler, L3AgentMetrics],
  exports: [L3AgentNotifier, L3Scheduler],
})
export class L3SchedulerModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(L3SchedulerHandler) private readonly handler: L3SchedulerHandler,
    @Inject(L3NotifySubscribers) private readonly subscribers: L3NotifySubscribers,
    @Inject(L3Scheduler) private readonly scheduler: L3Scheduler,
    @Inject(L3AgentNotifier) private readonly notifier: L3AgentNotifier,
  ) {}

  onModuleInit(): void {
    this.registry.addSubResource('agents', 'l3-routers', (req, id, rest) => this.handler.agentResources(req, id, rest));
    this.registry.addSubResource('routers', 'l3-agents', (req, id, rest) => this.handler.resourceAgents(req, id, rest));
    this.registry.addExtensions('l3_agent_scheduler');
    this.registry.extend('routers', routerSchedulingFragment(this.scheduler, this.notifier));
    this.subscribers.subscribe();
  }
}

export const L3_SCHEDULER_ENTITIES = [RouterL3AgentBindingEntity];
export const L3_SCHEDULER_MIGRATIONS = [RouterL3AgentBindings1764000010200];
