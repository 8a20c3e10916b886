import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { defineDomain } from '../../db/index.js';
import { PortSecurity1764000009000 } from './migrations/1764000009000-port-security.js';
import { PortSecurityEntity } from './port-security.entity.js';
import { portSecurityFragment } from './port-security.fragment.js';

/** port-security: a fragment on ports (networks keep their own port_security_enabled column). */
@Module({})
export class PortSecurityModule implements OnModuleInit {
  constructor(@Inject(ResourceRegistry) private readonly registry: ResourceRegistry) {}

  onModuleInit(): void {
    this.registry.extend('ports', portSecurityFragment, 'port-security');
  }
}

export const portSecurityDomain = defineDomain({
  module: PortSecurityModule,
  entities: [PortSecurityEntity],
  migrations: [PortSecurity1764000009000],
});
