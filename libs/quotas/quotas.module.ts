import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { QUOTA_ENFORCER } from '../api/engine/ports.js';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { QuotasHandler } from './quotas.handler.js';
import { QuotasService } from './quotas.service.js';
import { QuotaEntity } from './quota.entity.js';
import { Quotas1764000000300 } from './migrations/1764000000300-quotas.js';

export const quotaEntities = [QuotaEntity];
export const quotaMigrations = [Quotas1764000000300];

/** Global: the API engine enforces quotas on every create. */
@Global()
@Module({
  providers: [QuotasService, QuotasHandler, { provide: QUOTA_ENFORCER, useExisting: QuotasService }],
  exports: [QuotasService, QUOTA_ENFORCER],
})
export class QuotasModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(QuotasHandler) private readonly handler: QuotasHandler,
  ) {}

  onModuleInit(): void {
    this.registry.addHandler(this.handler);
    this.registry.addExtensions('quotas', 'quota_details', 'quota-check-limit');
  }
}
