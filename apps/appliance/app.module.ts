import { type DynamicModule, Module } from '@nestjs/common';
import { agentEntities, agentMigrations, AgentsApiModule } from '../../libs/agents-api/agents-api.module.js';
import { ApiModule } from '../../libs/api/api.module.js';
import { AvailabilityZonesModule } from '../../libs/availability-zones/availability-zones.module.js';
import { apiEntities, apiMigrations } from '../../libs/api/index.js';
import { type AppConfig, ConfigModule } from '../../libs/config/index.js';
import { DbModule } from '../../libs/db/index.js';
import { identityEntities, identityMigrations, IdentityModule } from '../../libs/identity/index.js';
import { NovaNotifierModule } from '../../libs/nova-notifier/nova-notifier.module.js';
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

/** The all-in-one shape: identity, the Networking API and the plug-in in one process, on one database. */
@Module({})
export class ApplianceModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApplianceModule,
      imports: [
        ConfigModule.forRoot(config),
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
            ...agentEntities,
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
            ...agentMigrations,
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
        AvailabilityZonesModule,
        AgentsApiModule,
        NovaNotifierModule,
      ],
    };
  }
}
