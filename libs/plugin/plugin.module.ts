import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { countByProject, QuotasService } from '../quotas/quotas.service.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { Networks1764000000200 } from './migrations/1764000000200-networks.js';
import { networkDefinition } from './networks/network.definition.js';
import { NetworkEntity } from './networks/network.entity.js';
import { NetworksService } from './networks/networks.service.js';
import { segmentEntities, segmentMigrations, SegmentsModule } from './segments/segments.module.js';

export const pluginEntities = [NetworkEntity, ...segmentEntities];
export const pluginMigrations = [Networks1764000000200, ...segmentMigrations];

/** The ML2-like core plug-in: networks and their segments (subnets, ports and subnet pools have their own modules). */
@Module({
  imports: [QuotasModule, SegmentsModule],
  providers: [NetworksService],
  exports: [NetworksService],
})
export class PluginModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(QuotasService) private readonly quotas: QuotasService,
    @Inject(NetworksService) private readonly networks: NetworksService,
  ) {}

  onModuleInit(): void {
    this.registry.addResource(networkDefinition(this.networks));
    this.quotas.registerResource('network', countByProject('networks'));
    this.registry.addExtensions('external-net', 'net-mtu', 'net-mtu-writable', 'network_availability_zone', 'port-security');
  }
}
