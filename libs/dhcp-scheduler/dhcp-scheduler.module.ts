import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { defineDomain } from '../db/index.js';
import { DhcpAgentNotifier } from './dhcp-agent-notifier.js';
import { DhcpNetworks } from './dhcp-networks.service.js';
import { DhcpSubscribers } from './dhcp-subscribers.js';
import { DhcpPorts } from './dhcp-ports.service.js';
import { networkAvailabilityZones } from './network-availability-zones.js';
import { DhcpRpcService } from './dhcp-rpc.service.js';
import { DhcpSchedulerHandler } from './dhcp-scheduler.handler.js';
import { DhcpScheduler } from './dhcp-scheduler.service.js';
import { DhcpAgentBindings1764000007000 } from './migrations/1764000007000-dhcp-agent-bindings.js';
import { NetworkDhcpAgentBindingEntity } from './network-dhcp-agent-binding.entity.js';

/**
 * DHCP on the server: networks scheduled to DHCP agents, the DHCP ports, the DHCP provisioning block, the agents'
 * RPC (its methods join the plug-in's PLUGIN_TOPIC endpoints, PluginRpcEndpoints) and notices, and the
 * dhcp_agent_scheduler API.
 */
@Global()
@Module({
  providers: [
    DhcpScheduler,
    DhcpPorts,
    DhcpAgentNotifier,
    DhcpNetworks,
    DhcpSubscribers,
    DhcpRpcService,
    DhcpSchedulerHandler,
  ],
  exports: [DhcpNetworks, DhcpAgentNotifier],
})
export class DhcpSchedulerModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(DhcpSchedulerHandler) private readonly handler: DhcpSchedulerHandler,
    @Inject(DhcpSubscribers) private readonly subscribers: DhcpSubscribers,
  ) {}

  onModuleInit(): void {
    this.registry.addSubResource('agents', 'dhcp-networks', (req, id, rest) => this.handler.agentResources(req, id, rest));
    this.registry.addSubResource('networks', 'dhcp-agents', (req, id, rest) => this.handler.resourceAgents(req, id, rest));
    this.registry.addExtensions('dhcp_agent_scheduler');
    this.registry.extend('networks', {
      name: 'availability-zones',
      attributes: {},
      load: networkAvailabilityZones,
      // A network created in this very transaction has no DHCP agent yet: nothing to read.
      create: async (_ctx, network) => {
        network.availability_zones = [];
      },
    });
    this.subscribers.subscribe();
  }
}

export const dhcpSchedulerDomain = defineDomain({
  module: DhcpSchedulerModule,
  entities: [NetworkDhcpAgentBindingEntity],
  migrations: [DhcpAgentBindings1764000007000],
});
