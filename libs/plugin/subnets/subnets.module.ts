import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { defineDomain } from '../../db/index.js';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { ResourceEvents } from '../../api/events/resource-events.js';
import { deleteAllTags } from '../../api/tags/tag.store.js';
import { loadSubnetIdsForNetworks } from './subnet-ids.js';
import { countByProject } from '../../api/sql/count-by-project.js';
import { IPAM } from '../ipam/ipam.contract.js';
import { FreeRangeEntity, IpAllocationEntity } from '../ipam/ipam.entities.js';
import { IpamService } from '../ipam/ipam.service.js';
import { Subnets1764000001000 } from './migrations/1764000001000-subnets.js';
import { FreeRangeNextIp1764000001100 } from './migrations/1764000001100-free-range-next-ip.js';
import { networkIpAvailabilityDefinition } from './network-ip-availability.definition.js';
import { NetworkIpAvailabilityService } from './network-ip-availability.service.js';
import { subnetDefinition } from './subnet.definition.js';
import { SubnetEntity } from './subnet.entity.js';
import { SubnetsService } from './subnets.service.js';

export const subnetEntities = [SubnetEntity, IpAllocationEntity, FreeRangeEntity];

/** Subnets, IPAM (the IPAM token for ports) and network-ip-availabilities. */
@Global()
@Module({
  providers: [IpamService, { provide: IPAM, useExisting: IpamService }, SubnetsService, NetworkIpAvailabilityService],
  exports: [IPAM],
})
export class SubnetsModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(ResourceEvents) private readonly events: ResourceEvents,
    @Inject(SubnetsService) private readonly subnets: SubnetsService,
    @Inject(NetworkIpAvailabilityService) private readonly availability: NetworkIpAvailabilityService,
  ) {}

  onModuleInit(): void {
    this.registry.register({ definition: subnetDefinition(this.subnets), quota: countByProject('subnets') });
    this.registry.register({ definition: networkIpAvailabilityDefinition(this.availability), extensions: ['network-ip-availability'] });
    // A network's subnets go with it by a cascading foreign key; their tags are not rows of theirs.
    this.events.subscribe(
      'network',
      'precommit_delete',
      async ({ ctx, resourceId }) => {
        const subnetIds = (await loadSubnetIdsForNetworks(ctx.em, [resourceId!])).get(resourceId!) ?? [];
        await deleteAllTags(ctx.em, ...subnetIds);
      },
      { name: 'subnets' },
    );
  }
}

export const subnetsDomain = defineDomain({ module: SubnetsModule, entities: subnetEntities, migrations: [Subnets1764000001000, FreeRangeNextIp1764000001100] });
