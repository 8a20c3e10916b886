import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { Segments1764000004000 } from '../migrations/1764000004000-segments.js';
import { NetworkSegmentsStore } from './network-segments.store.js';
import { segmentDefinition } from './segment.definition.js';
import { SegmentEntity } from './segment.entity.js';
import { NETWORK_SEGMENTS } from './segments.contract.js';
import { SegmentsService } from './segments.service.js';
import { TYPE_MANAGER, TypeManager } from './type-manager.js';

export const segmentEntities = [SegmentEntity];
export const segmentMigrations = [Segments1764000004000];

/** Type drivers, network segments and the /v2.0/segments resource. */
@Global()
@Module({
  providers: [
    { provide: TYPE_MANAGER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => TypeManager.fromConfig(config) },
    NetworkSegmentsStore,
    { provide: NETWORK_SEGMENTS, useExisting: NetworkSegmentsStore },
    SegmentsService,
  ],
  exports: [TYPE_MANAGER, NetworkSegmentsStore, NETWORK_SEGMENTS],
})
export class SegmentsModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(SegmentsService) private readonly segments: SegmentsService,
  ) {}

  onModuleInit(): void {
    this.registry.addResource(segmentDefinition(this.segments));
    this.registry.addExtensions('provider', 'multi-provider', 'segment', 'standard-attr-segment');
  }
}
