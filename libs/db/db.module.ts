import { type DynamicModule, Global, Module, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { Database, type DatabaseOptions } from './database.js';
import { DbPoolMetrics } from './db-pool-metrics.js';

@Global()
@Module({})
export class DbModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly db: Database) {}

  static forRoot(opts: DatabaseOptions): DynamicModule {
    return {
      module: DbModule,
      providers: [{ provide: Database, useFactory: () => Database.open(opts) }, DbPoolMetrics],
      exports: [Database],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
