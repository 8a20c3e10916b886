import { Inject, Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { Database } from '../db/index.js';
import { MetricsRegistry } from '../metrics/index.js';
import { AGENTS_TABLE } from './agent.entity.js';
import { aliveSince } from './agent-time.js';

/**
 * `neutron_agents{agent_type, host, alive}`: the agents as `openstack network agent list` shows them, read with one
 * query at each scrape (alive as the API computes it: a heartbeat within agent_down_time).
 */
@Injectable()
export class AgentMetrics implements OnModuleInit {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(MetricsRegistry) private readonly metrics?: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    this.metrics?.scraped('neutron_agents', 'Agents by type, host and alive (1 per agent)', 'gauge', async () => {
      const since = aliveSince(new Date(), this.config.agents.agent_down_time);
      const rows = await this.db.read((em) =>
        em
          .createQueryBuilder()
          .select(['a.agent_type AS agent_type', 'a.host AS host', 'a.heartbeat_timestamp AS heartbeat'])
          .from(AGENTS_TABLE, 'a')
          .getRawMany<{ agent_type: string; host: string; heartbeat: string }>(),
      );
      return rows.map((r) => ({ labels: { agent_type: r.agent_type, host: r.host, alive: String(r.heartbeat >= since) }, value: 1 }));
    });
  }
}
