import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { agentEntities, agentMigrations, AgentsApiModule } from '../../libs/agents-api/agents-api.module.js';
import { ApiModule } from '../../libs/api/api.module.js';
import { apiEntities, apiMigrations } from '../../libs/api/index.js';
import { AvailabilityZonesModule } from '../../libs/availability-zones/availability-zones.module.js';
import { BusModule } from '../../libs/bus/bus.module.js';
import { type AppConfig, ConfigModule } from '../../libs/config/index.js';
import { DbModule } from '../../libs/db/index.js';
import { dhcpSchedulerEntities, dhcpSchedulerMigrations, DhcpSchedulerModule } from '../../libs/dhcp-scheduler/dhcp-scheduler.module.js';
import { identityEntities, identityMigrations, IdentityModule } from '../../libs/identity/index.js';
import { NovaNotifierModule } from '../../libs/nova-notifier/nova-notifier.module.js';
import { ml2Entities, ml2Migrations, Ml2Module } from '../../libs/plugin/ml2/ml2.module.js';
import { pluginEntities, pluginMigrations, PluginModule } from '../../libs/plugin/plugin.module.js';
import { portEntities, portMigrations, PortsModule } from '../../libs/plugin/ports/ports.module.js';
import { subnetEntities, subnetMigrations, SubnetsModule } from '../../libs/plugin/subnets/subnets.module.js';
import { subnetPoolEntities, subnetPoolMigrations, SubnetPoolsModule } from '../../libs/plugin/subnetpools/subnetpools.module.js';
import { quotaEntities, quotaMigrations, QuotasModule } from '../../libs/quotas/quotas.module.js';
import {
  securityGroupEntities,
  securityGroupMigrations,
  SecurityGroupsModule,
} from '../../libs/security-groups/security-groups.module.js';

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
          entities: [
            ...identityEntities,
            ...apiEntities,
            ...quotaEntities,
            ...pluginEntities,
            ...subnetPoolEntities,
            ...subnetEntities,
            ...securityGroupEntities,
            ...portEntities,
            ...ml2Entities,
            ...agentEntities,
            ...dhcpSchedulerEntities,
          ],
          migrations: [
            ...identityMigrations,
            ...apiMigrations,
            ...quotaMigrations,
            ...pluginMigrations,
            ...subnetPoolMigrations,
            ...subnetMigrations,
            ...securityGroupMigrations,
            ...portMigrations,
            ...ml2Migrations,
            ...agentMigrations,
            ...dhcpSchedulerMigrations,
          ],
        }),
        IdentityModule,
        ApiModule,
        QuotasModule,
        PluginModule,
        SubnetPoolsModule,
        SubnetsModule,
        SecurityGroupsModule,
        PortsModule,
        Ml2Module,
        AvailabilityZonesModule,
        AgentsApiModule,
        DhcpSchedulerModule,
        NovaNotifierModule,
      ],
    };
  }
}
