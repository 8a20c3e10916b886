import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AGENT_REGISTRY, type AgentRecord, type AgentRegistry } from '../plugin/agents/agents.contract.js';
import { AGENT_TYPES } from '../rpc/agent-state.contract.js';
import type {
  DhcpActiveNetworksRequest,
  DhcpNetworkInfo,
  DhcpNetworkInfoRequest,
  DhcpReadyRequest,
} from '../rpc/dhcp-agent.contract.js';
import type { BusHandler } from '../bus/bus.contract.js';
import { anyOf, Database, sqlAnyOf, sqlWriteBehind } from '../db/index.js';
import { IPAM, type Ipam } from '../plugin/ipam/ipam.contract.js';
import { completionChangesNothing, DHCP_ENTITY } from '../plugin/ml2/provisioning-blocks.js';
import { ProvisioningBlockEntity } from '../plugin/ml2/ml2.entities.js';
import { PortStatusService, UNPLUGGED_VIF_TYPES } from '../plugin/ml2/port-status.service.js';
import { PluginRpcEndpoints } from '../plugin/ml2/rpc/plugin-rpc-endpoints.js';
import { NetworkEntity } from '../plugin/networks/network.entity.js';
import { boundPortsById } from '../plugin/ml2/binding/port-binding.store.js';
import { networksOfAgent } from './dhcp-bindings.store.js';
import { dhcpNetworkInfos } from './dhcp-network-info.js';
import { DhcpNetworks } from './dhcp-networks.service.js';

/**
 * The server half of the DHCP agent conversation (neutron/api/rpc/handlers/dhcp_rpc.py) on PLUGIN_TOPIC: its
 * handlers join the plug-in's endpoints (PluginRpcEndpoints), beside the L2 agent's.
 *
 * Version and history: DHCP_AGENT_RPC_VERSION in libs/rpc/dhcp-agent.contract.ts.
 */
@Injectable()
export class DhcpRpcService implements OnModuleInit {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(DhcpNetworks) private readonly networks: DhcpNetworks,
    @Inject(AGENT_REGISTRY) private readonly agents: AgentRegistry,
    @Inject(IPAM) private readonly ipam: Ipam,
    @Inject(PortStatusService) private readonly status: PortStatusService,
    @Inject(PluginRpcEndpoints) private readonly endpoints: PluginRpcEndpoints,
  ) {}

  onModuleInit(): void {
    this.endpoints.add(this.handlers());
  }

  handlers(): Record<string, BusHandler> {
    return {
      get_active_networks_info: (p) => this.getActiveNetworksInfo(p as DhcpActiveNetworksRequest),
      get_network_info: (p) => this.getNetworkInfo(p as DhcpNetworkInfoRequest),
      dhcp_ready_on_ports: (p) => this.dhcpReadyOnPorts(p as DhcpReadyRequest),
    };
  }

  /** Schedules unhosted networks to the agent first (network_auto_schedule), then its enabled networks, in full. */
  async getActiveNetworksInfo(req: DhcpActiveNetworksRequest): Promise<DhcpNetworkInfo[]> {
    const host = requireString(req, 'host');
    await this.networks.autoSchedule(host);
    return this.db.read(async (em) => {
      const agent = await this.enabledAgent(em, host);
      if (!agent) return [];
      const ids = await networksOfAgent(em, agent.id);
      if (!ids.length) return [];
      const rows = await em.getRepository(NetworkEntity).find({ where: { id: anyOf(em, ids), admin_state_up: true }, order: { id: 'ASC' } });
      return dhcpNetworkInfos(em, this.ipam, rows, host);
    });
  }

  /** One network as the agent on `host` serves it; null when it is gone or not (any more) hosted by that agent. */
  async getNetworkInfo(req: DhcpNetworkInfoRequest): Promise<DhcpNetworkInfo | null> {
    const host = requireString(req, 'host');
    const networkId = requireString(req, 'network_id');
    return this.db.read(async (em) => {
      const agent = await this.enabledAgent(em, host);
      if (!agent || !(await networksOfAgent(em, agent.id)).includes(networkId)) return null;
      const network = await em.getRepository(NetworkEntity).findOneBy({ id: networkId });
      if (!network) return null;
      return (await dhcpNetworkInfos(em, this.ipam, [network], host))[0];
    });
  }

  /**
   * The agent serves these ports: clear their DHCP block; a port with nothing else pending goes ACTIVE. One read
   * first: a batch where that changes nothing (no DHCP block, no port that could go ACTIVE: router, DHCP and unbound
   * ports) ends there. Else one transaction; the blocks of the whole batch go in one statement, and only ports that
   * can go ACTIVE (bound, enabled, not ACTIVE yet) take the per-port status step.
   */
  async dhcpReadyOnPorts(req: DhcpReadyRequest): Promise<void> {
    const ids = (req as Partial<DhcpReadyRequest> | undefined)?.port_ids;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw new TypeError('dhcp_ready_on_ports: port_ids must be a list of strings');
    if (!ids.length) return;
    if (await this.db.read((em) => completionChangesNothing(em, ids, DHCP_ENTITY))) return;
    await this.db.unitOfWork(async (em, afterCommit) => {
      // The blocks go first, without waiting: the ports' read travels with them in one round trip.
      const [cond, param] = sqlAnyOf(em, 'port_id', ids);
      const blocks = em.getRepository(ProvisioningBlockEntity).metadata.tableName;
      await sqlWriteBehind(em, `DELETE FROM ${blocks} WHERE ${cond} AND entity = ?`, [param, DHCP_ENTITY]);
      const ports = await boundPortsById(em, ids);
      const waiting = ports.filter((p) => p.status !== 'ACTIVE' && p.admin_state_up && !UNPLUGGED_VIF_TYPES.includes(p.binding_vif_type));
      for (const port of waiting) await this.status.provisioningComplete(em, port, DHCP_ENTITY, afterCommit);
    });
  }

  private async enabledAgent(em: EntityManager, host: string): Promise<AgentRecord | undefined> {
    const [agent] = await this.agents.agentsOnHost(em, host, AGENT_TYPES.dhcp.agent_type);
    return agent?.admin_state_up ? agent : undefined;
  }
}

/** Payloads crossed a transport as JSON: check what the queries rely on (the agent gets the error back). */
function requireString(payload: unknown, key: string): string {
  const value = (payload as Record<string, unknown> | undefined)?.[key];
  if (typeof value !== 'string' || !value) throw new TypeError(`${key} must be a non-empty string`);
  return value;
}
