import { Logger } from '@nestjs/common';
import type { AgentRecord } from '../../agents/agents.contract.js';
import { AGENT_TYPES } from '../../../rpc/agent-state.contract.js';
import type { Segment } from '../../segments/segments.contract.js';
import type { BindingRequest, BindingResult, MechanismDriver } from '../mechanism-driver.js';

const SUPPORTED_VNIC_TYPES = ['normal'];
const PHYSNET_TYPES = ['flat', 'vlan'];

/**
 * Binds a port when an alive Linux bridge agent on the port's host can reach one of the network's segments: flat and
 * VLAN through the agent's physnet mappings, overlays through its tunnel types (neutron's LinuxbridgeMechanismDriver).
 */
export class LinuxbridgeMechanismDriver implements MechanismDriver {
  readonly name = 'linuxbridge';
  readonly agentType = AGENT_TYPES.l2.agent_type;
  private readonly logger = new Logger('ML2.linuxbridge');

  bindPort({ port, segments, hostAgents }: BindingRequest): BindingResult | undefined {
    if (!SUPPORTED_VNIC_TYPES.includes(port.vnic_type)) return undefined;
    for (const agent of hostAgents) {
      if (agent.agent_type !== this.agentType) continue;
      if (!agent.alive) {
        this.logger.warn(`Refusing to bind port ${port.id} to dead agent ${agent.id} on ${agent.host}`);
        continue;
      }
      const segment = segments.find((s) => canReach(agent, s));
      if (segment) return { segment, vif_type: 'bridge', vif_details: { connectivity: 'l2', port_filter: true } };
    }
    return undefined;
  }
}

function canReach(agent: AgentRecord, segment: Segment): boolean {
  const config = agent.configurations as { tunnel_types?: string[]; interface_mappings?: object; bridge_mappings?: object };
  const allowed = [...(config.tunnel_types ?? []), 'local', ...PHYSNET_TYPES];
  if (!allowed.includes(segment.network_type)) return false;
  if (!PHYSNET_TYPES.includes(segment.network_type)) return true;
  const mappings = { ...config.interface_mappings, ...config.bridge_mappings };
  return segment.physical_network !== null && segment.physical_network in mappings;
}
