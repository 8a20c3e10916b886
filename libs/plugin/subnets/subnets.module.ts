import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { countByProject, QuotasService } from '../../quotas/quotas.service.js';
import { QuotasModule } from '../../quotas/quotas.module.js';
import { IPAM } from '../ipam/ipam.contract.js';
import { FreeRangeEntity, IpAllocationEntity } from '../ipam/ipam.entities.js';
import { IpamService } from '../ipam/ipam.service.js';
import { Subnets1764000001000 } from './migrations/1764000001000-subnets.js';
import { networkIpAvailabilityDefinition } from './network-ip-availability.definition.js';
import { NetworkIpAvailabilityService } from './network-ip-availability.service.js';
import { subnetDefinition } from './subnet.definition.js';
import { SubnetEntity } from './subnet.entity.js';
import { SubnetsService } from './subnets.service.js';

export const subnetEntities = [SubnetEntity, IpAllocationEntity, FreeRangeEntity];
export const subnetMigrations = [Subnets1764000001000];

/** Subnets, IPAM (the IPAM token for ports) and network-ip-availabilities. */
@Global()
@Module({
  imports: [QuotasModule],
  providers: [IpamService, { provide: IPAM, useExisting: IpamService }, SubnetsService, NetworkIpAvailabilityService],
  exports: [IPAM],
})
export class SubnetsModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(QuotasService) private readonly quotas: QuotasService,
    @Inject(SubnetsService) private readonly subnets: SubnetsService,
    @Inject(NetworkIpAvailabilityService) private readonly availability: NetworkIpAvailabilityService,
  ) {}

  onModuleInit(): void {
    this.registry.addResource(subnetDefinition(this.subnets));
    this.registry.addResource(networkIpAvailabilityDefinition(this.availability));
    this.quotas.registerResource('subnet', countByProject('subnets'));
    this.registry.addExtensions('network-ip-availability');
  }
}
