import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { countByProject, QuotasService } from '../../quotas/quotas.service.js';
import { Ports1764000002000 } from './migrations/1764000002000-ports.js';
import { PortsNetworkDeviceIndex1764000008100 } from './migrations/1764000008100-ports-network-device-index.js';
import { NETWORK_PORTS } from './network-ports.js';
import { portDefinition } from './port.definition.js';
import { AllowedAddressPairEntity, ExtraDhcpOptEntity, PortEntity } from './port.entity.js';
import { PORTS_TABLE } from './ports.contract.js';
import { PortsService } from './ports.service.js';

export const portEntities = [PortEntity, AllowedAddressPairEntity, ExtraDhcpOptEntity];
export const portMigrations = [Ports1764000002000, PortsNetworkDeviceIndex1764000008100];

/** The ports resource; networks reach it through NETWORK_PORTS when they are deleted. */
@Global()
@Module({
  providers: [PortsService, { provide: NETWORK_PORTS, useExisting: PortsService }],
  exports: [PortsService, NETWORK_PORTS],
})
export class PortsModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(QuotasService) private readonly quotas: QuotasService,
    @Inject(PortsService) private readonly ports: PortsService,
  ) {}

  onModuleInit(): void {
    this.registry.addResource(portDefinition(this.ports, (ctx, item) => this.ports.policyTarget(ctx, item)));
    this.quotas.registerResource('port', countByProject(PORTS_TABLE));
    this.registry.addExtensions(
      'allowed-address-pairs',
      'binding',
      'extra_dhcp_opt',
      'ip-substring-filtering',
      'port-mac-address-regenerate',
      'port-security',
      'port-security-groups-filtering',
      'tag-ports-during-bulk-creation',
    );
  }
}
