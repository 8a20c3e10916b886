import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { loadPolicy } from '../policy/index.js';
import { AUTHORIZER } from './engine/ports.js';
import { ResourceEngine } from './engine/resource-engine.js';
import { ResourceRegistry } from './engine/resource-registry.js';
import { ResourceWriter } from './engine/resource-writer.js';
import { ResourceEvents } from './events/resource-events.js';
import { ExtensionsHandler } from './extensions/extensions.handler.js';
import { ApiController } from './http/api.controller.js';
import { HealthController } from './http/health.controller.js';
import { ApiRouter } from './http/api-router.js';
import { PolicyAuthorizer } from './policy-authorizer.js';

/** The generic Networking API: routing, the resource engine, policy, /extensions. Domains register into it. */
@Global()
@Module({
  controllers: [HealthController, ApiController],
  providers: [
    ResourceRegistry,
    ResourceEvents,
    ResourceWriter,
    ResourceEngine,
    ApiRouter,
    ExtensionsHandler,
    {
      provide: AUTHORIZER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new PolicyAuthorizer(loadPolicy(config.policy.file || undefined)),
    },
  ],
  exports: [ResourceRegistry, ResourceEvents, ResourceWriter, ResourceEngine, AUTHORIZER],
})
export class ApiModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(ExtensionsHandler) private readonly extensions: ExtensionsHandler,
  ) {}

  onModuleInit(): void {
    this.registry.addHandler(this.extensions);
    this.registry.addExtensions(
      'project-id',
      'pagination',
      'sorting',
      'filter-validation',
      'empty-string-filtering',
      'standard-attr-description',
      'standard-attr-revisions',
      'standard-attr-tag',
      'standard-attr-timestamp',
      'revision-if-match',
    );
  }
}
