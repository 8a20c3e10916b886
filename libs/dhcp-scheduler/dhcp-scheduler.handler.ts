import { Inject, Injectable } from '@nestjs/common';
import { AgentSchedulingRoutes } from '../agents-api/agent-scheduler.routes.js';
import { AUTHORIZER, type Authorizer } from '../api/engine/ports.js';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { ResourceWriter } from '../api/engine/resource-writer.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { Database } from '../db/index.js';
import { hostingAgents, networksOfAgent } from './dhcp-bindings.store.js';
import { DhcpNetworks } from './dhcp-networks.service.js';
import { networkIdNotSpecified } from './dhcp-scheduler.errors.js';

/** The dhcpagentscheduler extension (§2.11): `/agents/{id}/dhcp-networks` and `/networks/{id}/dhcp-agents`. */
@Injectable()
export class DhcpSchedulerHandler extends AgentSchedulingRoutes {
  constructor(
    @Inject(Database) db: Database,
    @Inject(DhcpNetworks) dhcp: DhcpNetworks,
    @Inject(ResourceRegistry) registry: ResourceRegistry,
    @Inject(ResourceWriter) writer: ResourceWriter,
    @Inject(AUTHORIZER) authz: Authorizer,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(
      {
        resource: 'networks',
        idKey: 'network_id',
        rules: { list: 'get_dhcp-networks', add: 'create_dhcp-network', remove: 'delete_dhcp-network', agents: 'get_dhcp-agents' },
        missingId: networkIdNotSpecified,
        hostedBy: networksOfAgent,
        hostingAgents: async (em, networkId) => (await hostingAgents(em, [networkId])).map((h) => h.agent_id),
        add: (ctx, agentId, networkId) => dhcp.addNetworkToAgent(ctx, agentId, networkId),
        remove: (ctx, agentId, networkId) => dhcp.removeNetworkFromAgent(ctx, agentId, networkId),
      },
      { db, registry, writer, authz, config },
    );
  }
}
