import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { defineDomain } from '../db/index.js';
import { identityEntities } from './entities/index.js';
import { identityMigrations } from './migrations/index.js';
import { TOKEN_VALIDATOR } from './auth-context.js';
import { BootstrapService } from './services/bootstrap.service.js';
import { IDENTITY_SERVICE_CLASSES, IdentityServices } from './services/identity-services.js';
import { TokenService } from './services/token.service.js';

/**
 * The identity services on the database, for any Nest app of the process. Needs `Database` (DbModule) and
 * `APP_CONFIG` (ConfigModule) from global modules. Provides TOKEN_VALIDATOR for the Networking API's auth guard and
 * IdentityServices for createIdentityApp(); bootstraps the admin user, project and roles when the app initializes.
 */
@Global()
@Module({
  providers: [...IDENTITY_SERVICE_CLASSES, IdentityServices, { provide: TOKEN_VALIDATOR, useExisting: TokenService }],
  exports: [...IDENTITY_SERVICE_CLASSES, IdentityServices, TOKEN_VALIDATOR],
})
export class IdentityModule implements OnModuleInit {
  constructor(@Inject(BootstrapService) private readonly bootstrap: BootstrapService) {}

  onModuleInit(): Promise<void> {
    return this.bootstrap.ensure();
  }
}

export const identityDomain = defineDomain({ module: IdentityModule, entities: identityEntities, migrations: identityMigrations });
