import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { defineDomain } from '../../db/index.js';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { countByProject } from '../../api/sql/count-by-project.js';
import { SubnetPools1764000000500 } from './migrations/1764000000500-subnetpools.js';
import { SubnetPoolAllocatorService } from './subnetpool-allocator.service.js';
import { subnetPoolDefinition } from './subnetpool.definition.js';
import { SubnetPoolEntity } from './subnetpool.entity.js';
import { SubnetPoolsService } from './subnetpools.service.js';
import { SUBNET_POOL_ALLOCATOR } from './subnetpools.contract.js';


/** Subnet pools: the /v2.0/subnetpools resource with its prefix actions, and CIDR allocation for subnets. */
@Global()
@Module({
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
    @Inject(SubnetPoolsService) private readonly pools: SubnetPoolsService,
  ) {}

  onModuleInit(): void {
    // subnet_allocation and default-subnetpools work through libs/plugin/subnets calling SUBNET_POOL_ALLOCATOR.
    this.registry.register({
      definition: subnetPoolDefinition(this.pools),
      quota: countByProject('subnetpools'),
      extensions: ['subnet_allocation', 'subnetpool-prefix-ops', 'default-subnetpools'],
    });
  }
}

export const subnetPoolsDomain = defineDomain({ module: SubnetPoolsModule, entities: [SubnetPoolEntity], migrations: [SubnetPools1764000000500] });
