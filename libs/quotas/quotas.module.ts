import { Global, Inject, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { defineDomain } from '../db/index.js';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { QuotasHandler } from './quotas.handler.js';
import { QuotasService } from './quotas.service.js';
import { QuotaEntity } from './quota.entity.js';
import { Quotas1764000000300 } from './migrations/1764000000300-quotas.js';


/** Global: quotas are checked on every create, as a before_create subscriber of each resource with a quota. */
@Global()
@Module({
  providers: [QuotasService, QuotasHandler],
  exports: [QuotasService],
})
export class QuotasModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(QuotasHandler) private readonly handler: QuotasHandler,
    @Inject(QuotasService) private readonly quotas: QuotasService,
  ) {}

  /** Once every domain registered its resources. */
  onApplicationBootstrap(): void {
    this.quotas.subscribeAll();
  }

  onModuleInit(): void {
    this.registry.addHandler(this.handler);
    this.registry.addExtensions('quotas', 'quota_details', 'quota-check-limit');
  }
}

export const quotasDomain = defineDomain({ module: QuotasModule, entities: [QuotaEntity], migrations: [Quotas1764000000300] });
