import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { defineDomain } from '../../db/index.js';
import { AllowedAddressPairEntity } from './address-pair.entity.js';
import { addressPairsFragment } from './address-pairs.fragment.js';

/** allowed-address-pairs: a fragment on ports. */
@Module({})
export class AllowedAddressPairsModule implements OnModuleInit {
  constructor(@Inject(ResourceRegistry) private readonly registry: ResourceRegistry) {}

  onModuleInit(): void {
    this.registry.extend('ports', addressPairsFragment, 'allowed-address-pairs');
  }
}

export const allowedAddressPairsDomain = defineDomain({ module: AllowedAddressPairsModule, entities: [AllowedAddressPairEntity], migrations: [] });
