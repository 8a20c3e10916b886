import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { defineDomain } from '../../db/index.js';
import { ExtraDhcpOptEntity } from './extra-dhcp-opt.entity.js';
import { extraDhcpOptsFragment } from './extra-dhcp-opts.fragment.js';

/** extra_dhcp_opt: a fragment on ports. */
@Module({})
export class ExtraDhcpOptsModule implements OnModuleInit {
  constructor(@Inject(ResourceRegistry) private readonly registry: ResourceRegistry) {}

  onModuleInit(): void {
    this.registry.extend('ports', extraDhcpOptsFragment, 'extra_dhcp_opt');
  }
}

export const extraDhcpOptsDomain = defineDomain({ module: ExtraDhcpOptsModule, entities: [ExtraDhcpOptEntity], migrations: [] });
