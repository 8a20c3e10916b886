import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { agentsApiDomain } from '../../libs/agents-api/agents-api.module.js';
import { apiDomain } from '../../libs/api/index.js';
import { availabilityZonesDomain } from '../../libs/availability-zones/availability-zones.module.js';
import { BusModule } from '../../libs/bus/bus.module.js';
import { type AppConfig, ConfigModule } from '../../libs/config/index.js';
import { DbModule, type Domain, entitiesOf, migrationsOf } from '../../libs/db/index.js';
import { dhcpSchedulerDomain } from '../../libs/dhcp-scheduler/dhcp-scheduler.module.js';
import { identityDomain } from '../../libs/identity/identity.module.js';
import { novaNotifierDomain } from '../../libs/nova-notifier/nova-notifier.module.js';
import { allowedAddressPairsDomain } from '../../libs/plugin/allowed-address-pairs/allowed-address-pairs.module.js';
import { extraDhcpOptsDomain } from '../../libs/plugin/extra-dhcp-opts/extra-dhcp-opts.module.js';
import { ml2Domain } from '../../libs/plugin/ml2/ml2.module.js';
import { networksDomain } from '../../libs/plugin/plugin.module.js';
import { portSecurityDomain } from '../../libs/plugin/port-security/port-security.module.js';
import { portsDomain } from '../../libs/plugin/ports/ports.module.js';
import { subnetPoolsDomain } from '../../libs/plugin/subnetpools/subnetpools.module.js';
import { subnetsDomain } from '../../libs/plugin/subnets/subnets.module.js';
import { quotasDomain } from '../../libs/quotas/quotas.module.js';
import { securityGroupsDomain } from '../../libs/security-groups/security-groups.module.js';

/**
 * Every domain of the server, once: identity, the Networking API, the core plug-in and its fragments, the service
 * plug-ins. Fragments on ports register in this order, which is also the order of their attributes.
 */
export const SERVER_DOMAINS: readonly Domain[] = [
  identityDomain,
  apiDomain,
  quotasDomain,
  networksDomain,
  subnetPoolsDomain,
  subnetsDomain,
  securityGroupsDomain,
  portsDomain,
  allowedAddressPairsDomain,
  ml2Domain,
  extraDhcpOptsDomain,
  portSecurityDomain,
  availabilityZonesDomain,
  agentsApiDomain,
  dhcpSchedulerDomain,
  novaNotifierDomain,
];

/** The server: identity, the Networking API, the plug-in and its service plug-ins, on one database and the bus. */
@Module({})
export class ServerModule {
  static forRoot(config: AppConfig, log?: Logger): DynamicModule {
    return {
      module: ServerModule,
      imports: [
        ConfigModule.forRoot(config),
        BusModule.forRoot(config, log),
        DbModule.forRoot({
          url: config.database.url,
          dataDir: config.data_dir,
          logQueries: config.database.log_queries,
          entities: entitiesOf(SERVER_DOMAINS),
          migrations: migrationsOf(SERVER_DOMAINS),
        }),
        ...SERVER_DOMAINS.map((d) => d.module),
      ],
    };
  }
}
