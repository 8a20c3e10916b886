import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { BusModule } from '../../libs/bus/bus.module.js';
import { type AppConfig, ConfigModule } from '../../libs/config/index.js';
import { DbModule, entitiesOf, migrationsOf } from '../../libs/db/index.js';
import { MetricsModule } from '../../libs/metrics/index.js';
import { SERVER_DOMAINS } from '../../libs/server/server-domains.js';

export { SERVER_DOMAINS };

/** The server: identity, the Networking API, the plug-in and its service plug-ins, on one database and the bus. */
@Module({})
export class ServerModule {
  static forRoot(config: AppConfig, log?: Logger): DynamicModule {
    return {
      module: ServerModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule.forRoot(config),
        BusModule.forRoot(config, log),
        DbModule.forRoot({
          url: config.database.url,
          dataDir: config.data_dir,
          logQueries: config.database.log_queries,
          sqliteCacheMb: config.database.sqlite_cache_mb,
          entities: entitiesOf(SERVER_DOMAINS),
          migrations: migrationsOf(SERVER_DOMAINS),
        }),
        ...SERVER_DOMAINS.map((d) => d.module),
      ],
    };
  }
}
