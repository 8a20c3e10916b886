import { Global, Inject, Module, type OnModuleInit, Optional } from '@nestjs/common';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { defineDomain } from '../db/index.js';
import { exportMeteringLabels, MetricsRegistry } from '../metrics/index.js';
import { meteringLabelDefinition, meteringLabelRuleDefinition } from './metering.definition.js';
import { MeteringLabelEntity, MeteringLabelRuleEntity, MeteringLabelTotalEntity } from './metering.entities.js';
import { MeteringLabelRulesService } from './metering-label-rules.service.js';
import { MeteringLabelsService } from './metering-labels.service.js';
import { MeteringSubscribers } from './metering-subscribers.js';
import { MeteringTotals } from './metering-totals.service.js';
import { Metering1764000011000 } from './migrations/1764000011000-metering.js';
import { MeteringAgentNotifier } from './rpc/metering-agent-notifier.js';
import { MeteringRpcService } from './rpc/metering-rpc.service.js';

/**
 * The metering service plug-in (Neutron's MeteringPlugin): labels and their rules, the metering agents' RPC and
 * notices, and the traffic totals their reports add up (MeteringTotals, exported for /metrics). No quotas: Neutron
 * has none for metering. Global, so /metrics can read MeteringTotals without importing this module.
 */
@Global()
@Module({
  providers: [MeteringLabelsService, MeteringLabelRulesService, MeteringTotals, MeteringAgentNotifier, MeteringRpcService, MeteringSubscribers],
  exports: [MeteringTotals],
})
export class MeteringModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(MeteringLabelsService) private readonly labels: MeteringLabelsService,
    @Inject(MeteringLabelRulesService) private readonly rules: MeteringLabelRulesService,
    @Inject(MeteringSubscribers) private readonly subscribers: MeteringSubscribers,
    @Inject(MeteringTotals) private readonly totals: MeteringTotals,
    @Optional() @Inject(MetricsRegistry) private readonly metrics?: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register({ definition: meteringLabelDefinition(this.labels), extensions: ['metering'] });
    this.registry.register({ definition: meteringLabelRuleDefinition(this.rules), extensions: ['metering_source_and_destination_fields'] });
    // Neutron's router also answers them without the service's /metering prefix
    this.registry.register({ definition: { ...meteringLabelDefinition(this.labels), path: 'metering-labels' } });
    this.registry.register({ definition: { ...meteringLabelRuleDefinition(this.rules), path: 'metering-label-rules' } });
    this.subscribers.subscribe();
    if (this.metrics) exportMeteringLabels(this.metrics, () => this.totals.list());
  }
}

export const meteringDomain = defineDomain({
  module: MeteringModule,
  entities: [MeteringLabelEntity, MeteringLabelRuleEntity, MeteringLabelTotalEntity],
  migrations: [Metering1764000011000],
});
