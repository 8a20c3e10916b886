import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { defineDomain } from '../db/index.js';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { countByProject } from '../api/sql/count-by-project.js';
import { Networks1764000000200 } from './migrations/1764000000200-networks.js';
import { networkDefinition } from './networks/network.definition.js';
import { NetworkEntity } from './networks/network.entity.js';
import { NetworksService } from './networks/networks.service.js';
import { segmentEntities, segmentMigrations, SegmentsModule } from './segments/segments.module.js';

/** The ML2-like core plug-in: networks and their segments (subnets, ports and subnet pools have their own modules). */
@Module({
  imports: [SegmentsModule],
  providers: [NetworksService],
  exports: [NetworksService],
})
export class PluginModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(NetworksService) private readonly networks: NetworksService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      definition: networkDefinition(this.networks),
      quota: countByProject('networks'),
      extensions: ['external-net', 'net-mtu', 'net-mtu-writable', 'network_availability_zone'],
    });
  }
}

/** Networks with their segments (one module imports the other: one domain). */
export const networksDomain = defineDomain({
  module: PluginModule,
  entities: [NetworkEntity, ...segmentEntities],
  migrations: [Networks1764000000200, ...segmentMigrations],
});
