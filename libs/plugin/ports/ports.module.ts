import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { countByProject } from '../../api/sql/count-by-project.js';
import { defineDomain } from '../../db/index.js';
import { Ports1764000002000 } from './migrations/1764000002000-ports.js';
import { PortsNetworkDeviceIndex1764000008100 } from './migrations/1764000008100-ports-network-device-index.js';
import { PortsNetworkIdOrder1764000021000 } from './migrations/1764000021000-ports-network-id-order.js';
import { NETWORK_PORTS } from './network-ports.js';
import { portDefinition } from './port.definition.js';
import { PortEntity } from './port.entity.js';
import { PORTS_TABLE } from './ports.contract.js';
import { PortsService } from './ports.service.js';

/** The ports resource; networks reach it through NETWORK_PORTS when they are deleted. */
@Global()
@Module({
  providers: [PortsService, { provide: NETWORK_PORTS, useExisting: PortsService }],
  exports: [PortsService, NETWORK_PORTS],
})
export class PortsModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(PortsService) private readonly ports: PortsService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      definition: portDefinition(this.ports, (ctx, item) => this.ports.policyTarget(ctx, item)),
      quota: countByProject(PORTS_TABLE),
      extensions: ['ip-substring-filtering', 'port-mac-address-regenerate', 'tag-ports-during-bulk-creation'],
    });
  }
}

// The historical migration 1764000002000 also created the address-pair and DHCP-option tables, now their domains'.
export const portsDomain = defineDomain({
  module: PortsModule,
  entities: [PortEntity],
  migrations: [Ports1764000002000, PortsNetworkDeviceIndex1764000008100, PortsNetworkIdOrder1764000021000],
});
