import { Inject, Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { AGENTS_TABLE } from '../../agents-api/agent.entity.js';
import { Database } from '../../db/index.js';
import { MetricsRegistry } from '../../metrics/index.js';
import { AGENT_TYPES } from '../../rpc/agent-state.contract.js';
import { FLOATING_IPS_TABLE } from '../l3.entities.js';
import { L3_BINDINGS_TABLE } from './router-l3-agent-binding.entity.js';

interface Hosted {
  host: string;
  routers: number;
  floatingips: number;
}

/**
 * `neutron_l3_agent_routers{host}` and `neutron_l3_agent_floatingips{host}`: what each L3 agent hosts, from one
 * grouped query over the scheduler's bindings per scrape (an agent hosting nothing shows 0).
 */
@Injectable()
export class L3AgentMetrics implements OnModuleInit {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Optional() @Inject(MetricsRegistry) private readonly metrics?: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    this.metrics?.scrapedGroup(
      () => this.hosted(),
      [
        {
          name: 'neutron_l3_agent_routers',
          help: 'Routers scheduled to each L3 agent',
          type: 'gauge',
          samples: (rows) => rows.map((r) => ({ labels: { host: r.host }, value: r.routers })),
        },
        {
          name: 'neutron_l3_agent_floatingips',
          help: 'Floating IPs on the routers of each L3 agent',
          type: 'gauge',
          samples: (rows) => rows.map((r) => ({ labels: { host: r.host }, value: r.floatingips })),
        },
      ],
    );
  }

  /** A router has one binding per agent hosting it, so each floating IP counts once per agent. */
  private async hosted(): Promise<Hosted[]> {
    const rows = await this.db.read((em) =>
      em
        .createQueryBuilder()
        .select('a.host', 'host')
        .addSelect('COUNT(DISTINCT b.router_id)', 'routers')
        .addSelect('COUNT(f.id)', 'floatingips')
        .from(AGENTS_TABLE, 'a')
        .leftJoin(L3_BINDINGS_TABLE, 'b', 'b.l3_agent_id = a.id')
        .leftJoin(FLOATING_IPS_TABLE, 'f', 'f.router_id = b.router_id')
        .where('a.agent_type = :type', { type: AGENT_TYPES.l3.agent_type })
        .groupBy('a.id')
        .addGroupBy('a.host')
        .getRawMany<{ host: string; routers: string | number; floatingips: string | number }>(),
    );
    return rows.map((r) => ({ host: r.host, routers: Number(r.routers), floatingips: Number(r.floatingips) }));
  }
}
