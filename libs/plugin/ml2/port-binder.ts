import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AGENT_REGISTRY, type AgentRecord, type AgentRegistry } from '../agents/agents.contract.js';
import { NETWORK_SEGMENTS, type NetworkSegments } from '../segments/segments.contract.js';
import type { BindingLevelRow } from './ml2.entities.js';
import { MechanismManager } from './mechanism-manager.js';

export interface PortToBind {
  id: string;
  network_id: string;
  device_owner: string;
  status: string;
  binding_host_id: string;
  binding_vnic_type: string;
  binding_profile: Record<string, unknown>;
}

export interface Binding {
  host: string;
  vif_type: string;
  vif_details: Record<string, unknown>;
  levels: BindingLevelRow[];
  /** The host runs an agent of a binding driver's type (Neutron adds the L2 provisioning block only then). */
  hostHasAgents: boolean;
}

/** Binds a port on its host: loads the network's segments and the host's agents once, asks the drivers in order. */
@Injectable()
export class PortBinder {
  constructor(
    @Inject(MechanismManager) private readonly mechanisms: MechanismManager,
    @Inject(NETWORK_SEGMENTS) private readonly segments: NetworkSegments,
    @Inject(AGENT_REGISTRY) private readonly agents: AgentRegistry,
  ) {}

  async bind(em: EntityManager, port: PortToBind): Promise<Binding> {
    const host = port.binding_host_id;
    if (!host) return { host, vif_type: 'unbound', vif_details: {}, levels: [], hostHasAgents: false };
    const [segments, hostAgents] = await Promise.all([
      this.segments.forNetworks(em, [port.network_id]).then((m) => m.get(port.network_id) ?? []),
      this.hostAgents(em, host),
    ]);
    const bound = this.mechanisms.bind({
      port: {
        id: port.id,
        network_id: port.network_id,
        device_owner: port.device_owner,
        status: port.status,
        host,
        vnic_type: port.binding_vnic_type,
        profile: port.binding_profile,
      },
      segments,
      hostAgents,
    });
    const hostHasAgents = hostAgents.length > 0;
    if (!bound) return { host, vif_type: 'binding_failed', vif_details: {}, levels: [], hostHasAgents };
    const { driver, result } = bound;
    return {
      host,
      vif_type: result.vif_type,
      vif_details: { ...result.vif_details, bound_drivers: { '0': driver } },
      levels: [{ port_id: port.id, host, level: 0, driver, segment_id: result.segment.id }],
      hostHasAgents,
    };
  }

  private async hostAgents(em: EntityManager, host: string): Promise<AgentRecord[]> {
    const lists = await Promise.all(this.mechanisms.agentTypes.map((type) => this.agents.agentsOnHost(em, host, type)));
    return lists.flat();
  }
}
