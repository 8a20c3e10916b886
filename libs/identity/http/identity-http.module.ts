import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { Logger } from 'pino';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { IDENTITY_SERVICE_CLASSES, IdentityServices } from '../services/identity-services.js';
import { ApplicationCredentialsController } from './application-credentials.controller.js';
import { AuthScopesController } from './auth-scopes.controller.js';
import { AuthTokensController } from './auth-tokens.controller.js';
import { KeystoneAuthGuard } from './caller.js';
import { CatalogController } from './catalog.controller.js';
import { DomainsController } from './domains.controller.js';
import { GrantsController } from './grants.controller.js';
import { GroupsController } from './groups.controller.js';
import { IDENTITY_LOGGER, KeystoneExceptionFilter } from './keystone-exception.filter.js';
import { ProjectsController } from './projects.controller.js';
import { Renderer } from './renderer.js';
import { RoleAssignmentsController } from './role-assignments.controller.js';
import { RolesController } from './roles.controller.js';
import { RouteTable } from './route-table.js';
import { UsersController } from './users.controller.js';
import { VersionController } from './version.controller.js';

export interface IdentityHttpOptions {
  config: AppConfig;
  /** The process's identity services: the HTTP app adds no state of its own. */
  services: IdentityServices;
  routes: RouteTable;
  logger: Logger;
}

/** Keystone's v3 routes (§4.1–4.4) over the given services, with Keystone's auth guard and error bodies. */
@Module({})
export class IdentityHttpModule {
  static forRoot(opts: IdentityHttpOptions): DynamicModule {
    const s = opts.services;
    const instances = new Map<unknown, unknown>([
      [IdentityServices, s],
      ...IDENTITY_SERVICE_CLASSES.map((cls) => [cls, instanceOf(s, cls)] as const),
    ]);
    const shared: Provider[] = [...instances].map(([provide, useValue]) => ({ provide: provide as never, useValue }));
    return {
      module: IdentityHttpModule,
      controllers: [
        VersionController,
        AuthTokensController,
        AuthScopesController,
        DomainsController,
        ProjectsController,
        UsersController,
        GroupsController,
        ApplicationCredentialsController,
        RolesController,
        GrantsController,
        RoleAssignmentsController,
        CatalogController,
      ],
      providers: [
        ...shared,
        { provide: APP_CONFIG, useValue: opts.config },
        { provide: RouteTable, useValue: opts.routes },
        { provide: IDENTITY_LOGGER, useValue: opts.logger },
        Renderer,
        { provide: APP_GUARD, useClass: KeystoneAuthGuard },
        { provide: APP_FILTER, useClass: KeystoneExceptionFilter },
      ],
    };
  }
}

/** The instance of `cls` held by IdentityServices (each class appears once there). */
function instanceOf(services: IdentityServices, cls: (typeof IDENTITY_SERVICE_CLASSES)[number]): unknown {
  const found = Object.values(services).find((v) => v instanceof cls);
  if (!found) throw new Error(`IdentityServices has no ${cls.name}`);
  return found;
}
