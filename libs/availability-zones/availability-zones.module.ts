import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { defineDomain } from '../db/index.js';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { AvailabilityZonesHandler } from './availability-zones.handler.js';

@Module({ providers: [AvailabilityZonesHandler] })
export class AvailabilityZonesModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(AvailabilityZonesHandler) private readonly handler: AvailabilityZonesHandler,
  ) {}

  onModuleInit(): void {
    this.registry.addHandler(this.handler);
    this.registry.addExtensions('availability_zone', 'availability_zone_filter');
  }
}

export const availabilityZonesDomain = defineDomain({ module: AvailabilityZonesModule, entities: [], migrations: [] });
