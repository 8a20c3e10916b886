import { Inject, Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { MetricsRegistry } from '../metrics/index.js';
import { Database } from './database.js';

/** `neutron_db_pool_connections{state}`: total, idle and waiting, read from the pool at each scrape (Database.poolUse). */
@Injectable()
export class DbPoolMetrics implements OnModuleInit {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Optional() @Inject(MetricsRegistry) private readonly metrics?: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    this.metrics?.scraped(
      'neutron_db_pool_connections',
      'Database connections by state: total, idle, waiting (requests queued for one; SQLite: its one connection)',
      'gauge',
      async () => {
        const use = this.db.poolUse();
        return (['total', 'idle', 'waiting'] as const).map((state) => ({ labels: { state }, value: use[state] }));
      },
    );
  }
}
