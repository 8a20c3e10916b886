import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { MechanismManager } from '../plugin/ml2/mechanism-manager.js';
import { DhcpAgentNotifier } from './dhcp-agent-notifier.js';
import { DhcpNetworks } from './dhcp-networks.service.js';
import { DhcpMechanismDriver } from './dhcp-mechanism-driver.js';
import { DhcpPorts } from './dhcp-ports.service.js';
import { networkAvailabilityZones } from './network-availability-zones.js';
import { DhcpRpcService } from './dhcp-rpc.service.js';
import { DhcpSchedulerHandler } from './dhcp-scheduler.handler.js';
import { DhcpScheduler } from './dhcp-scheduler.service.js';
import { DhcpAgentBindings1764000007000 } from './migrations/1764000007000-dhcp-agent-bindings.js';
import { NetworkDhcpAgentBindingEntity } from './network-dhcp-agent-binding.entity.js';

export const dhcpSchedulerEntities = [NetworkDhcpAgentBindingEntity];
export const dhcpSchedulerMigrations = [DhcpAgentBindings1764000007000];

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
    DhcpMechanismDriver,
    DhcpRpcService,
    DhcpSchedulerHandler,
  ],
  exports: [DhcpNetworks, DhcpAgentNotifier],
})
export class DhcpSchedulerModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(DhcpSchedulerHandler) private readonly handler: DhcpSchedulerHandler,
    @Inject(MechanismManager) private readonly mechanisms: MechanismManager,
    @Inject(DhcpMechanismDriver) private readonly mechanismDriver: DhcpMechanismDriver,
  ) {}

  onModuleInit(): void {
    this.registry.addSubResource('agents', 'dhcp-networks', (req, id, rest) => this.handler.agentNetworks(req, id, rest));
    this.registry.addSubResource('networks', 'dhcp-agents', (req, id, rest) => this.handler.networkAgents(req, id, rest));
    this.registry.addExtensions('dhcp_agent_scheduler');
    this.registry.extendItems('networks', networkAvailabilityZones);
    // Neutron runs _setup_dhcp_agent_provisioning_component right after the drivers' port pre-commit: last in line.
    if (!this.mechanisms.drivers.includes(this.mechanismDriver)) this.mechanisms.drivers.push(this.mechanismDriver);
  }
}
