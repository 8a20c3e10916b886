import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { countByProject, QuotasService } from '../../quotas/quotas.service.js';
import { QuotasModule } from '../../quotas/quotas.module.js';
import { SubnetPools1764000000500 } from './migrations/1764000000500-subnetpools.js';
import { SubnetPoolAllocatorService } from './subnetpool-allocator.service.js';
import { subnetPoolDefinition } from './subnetpool.definition.js';
import { SubnetPoolEntity } from './subnetpool.entity.js';
import { SubnetPoolsService } from './subnetpools.service.js';
import { SUBNET_POOL_ALLOCATOR } from './subnetpools.contract.js';

export const subnetPoolEntities = [SubnetPoolEntity];
export const subnetPoolMigrations = [SubnetPools1764000000500];

/** Subnet pools: the /v2.0/subnetpools resource with its prefix actions, and CIDR allocation for subnets. */
@Global()
@Module({
  imports: [QuotasModule],
  providers: [
    SubnetPoolsService,
    SubnetPoolAllocatorService,
    { provide: SUBNET_POOL_ALLOCATOR, useExisting: SubnetPoolAllocatorService },
  ],
  exports: [SUBNET_POOL_ALLOCATOR],
})
export class SubnetPoolsModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(QuotasService) private readonly quotas: QuotasService,
    @Inject(SubnetPoolsService) private readonly pools: SubnetPoolsService,
  ) {}

  onModuleInit(): void {
    this.registry.addResource(subnetPoolDefinition(this.pools));
    this.quotas.registerResource('subnetpool', countByProject('subnetpools'));
    // subnet_allocation and default-subnetpools work through libs/plugin/subnets calling SUBNET_POOL_ALLOCATOR.
    this.registry.addExtensions('subnet_allocation', 'subnetpool-prefix-ops', 'default-subnetpools');
  }
}
