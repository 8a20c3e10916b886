import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { anyOfSql, sqlBool } from '../db/index.js';
import type { CommittedContext, MechanismDriver, ResourceContext } from '../plugin/ml2/mechanism-driver.js';
import { addBlock, DHCP_ENTITY, removeBlock, takesProvisioningBlocks } from '../plugin/ml2/provisioning-blocks.js';
import { SubnetEntity } from '../plugin/subnets/subnet.entity.js';
import type { DhcpPortInfo } from '../rpc/dhcp-agent.contract.js';
import { DhcpAgentNotifier } from './dhcp-agent-notifier.js';
import { hostingAgents } from './dhcp-bindings.store.js';
import { DhcpNetworks } from './dhcp-networks.service.js';
import { DHCP_OWNER } from './dhcp-ports.service.js';
import { DHCP_BINDINGS_TABLE } from './network-dhcp-agent-binding.entity.js';

type PortDict = { id: string; network_id: string; device_owner: string; mac_address: string; fixed_ips: { subnet_id: string }[] };

/**
 * Rides ML2's mechanism hooks (appended to the manager's drivers by DhcpSchedulerModule; it binds nothing): subnet
 * writes schedule the network and keep its DHCP port; network updates and deletes reach the hosting agents; and for ports:
 * - pre-commit: Ml2Plugin._setup_dhcp_agent_provisioning_component: a port on a DHCP-enabled subnet of a network a
 *   DHCP agent hosts gets the DHCP provisioning block, so it goes ACTIVE only once the agent said dhcp_ready_on_ports;
 * - post-commit: the hosting DHCP agents hear `port_update` / `port_delete` with the port as the request wrote it
 *   (no query: the agent changes that one lease), or `network_update` for a DHCP port (its addresses are the
 *   server's on every lease of the network).
 */
@Injectable()
export class DhcpMechanismDriver implements MechanismDriver {
  readonly name = 'dhcp_agent_scheduler';

  constructor(
    @Inject(DhcpAgentNotifier) private readonly notifier: DhcpAgentNotifier,
    @Inject(DhcpNetworks) private readonly networks: DhcpNetworks,
  ) {}

  // Subnets: every write re-checks the network's scheduling and its DHCP port in the same transaction.
  async createSubnetPrecommit({ ctx, current }: ResourceContext): Promise<void> {
    await this.networks.reconcile(ctx, current.network_id as string, true);
  }

  async updateSubnetPrecommit({ ctx, current }: ResourceContext): Promise<void> {
    await this.networks.reconcile(ctx, current.network_id as string, true);
  }

  async deleteSubnetPrecommit({ ctx, current }: ResourceContext): Promise<void> {
    await this.networks.reconcile(ctx, current.network_id as string, false, current.id as string);
  }

  // Networks: hosting agents refetch an updated one; a deleted one's agents (bindings go with it) stop serving it.
  updateNetworkPostcommit({ current }: CommittedContext): void {
    this.notifier.networkChanged(current.id as string);
  }

  async deleteNetworkPrecommit({ ctx, current }: ResourceContext): Promise<void> {
    const hosts = (await hostingAgents(ctx.em, [current.id as string])).filter((h) => h.admin_state_up).map((h) => h.host);
    this.networks.afterCommit(ctx, 'network_remove', hosts, current.id as string);
  }

  async createPortPrecommit({ em, current }: ResourceContext): Promise<void> {
    const port = current as PortDict;
    if (takesProvisioningBlocks(port.device_owner) && (await servedByDhcpAgent(em, port))) await addBlock(em, port.id, DHCP_ENTITY);
  }

  async updatePortPrecommit({ em, current, original }: ResourceContext): Promise<void> {
    const port = current as PortDict;
    const before = original as PortDict | undefined;
    // Only a change of addresses or MAC makes the agent serve the port anew.
    if (!takesProvisioningBlocks(port.device_owner) || !before) return;
    if (JSON.stringify(port.fixed_ips) === JSON.stringify(before.fixed_ips) && port.mac_address === before.mac_address) return;
    if (await servedByDhcpAgent(em, port)) await addBlock(em, port.id, DHCP_ENTITY);
    else await removeBlock(em, port.id, DHCP_ENTITY);
  }

  createPortPostcommit(ctx: CommittedContext): void {
    this.portWritten(ctx.current);
  }

  updatePortPostcommit(ctx: CommittedContext): void {
    this.portWritten(ctx.current);
  }

  deletePortPostcommit(ctx: CommittedContext): void {
    const port = ctx.current as PortDict;
    if (port.device_owner === DHCP_OWNER) this.notifier.networkChanged(port.network_id);
    else this.notifier.portChanged(port.network_id, port.id, null);
  }

  private portWritten(current: Record<string, unknown>): void {
    const port = current as PortDict;
    const info = port.device_owner === DHCP_OWNER ? undefined : dhcpPortInfo(current);
    if (info) this.notifier.portChanged(port.network_id, port.id, info);
    else this.notifier.networkChanged(port.network_id);
  }
}

/** The port dict of the API as get_network_info describes a port; undefined when it lacks a field the agent needs. */
export function dhcpPortInfo(port: Record<string, unknown>): DhcpPortInfo | undefined {
  const { id, mac_address, device_owner, device_id, admin_state_up, fixed_ips, extra_dhcp_opts } = port;
  if (typeof id !== 'string' || typeof mac_address !== 'string' || typeof device_owner !== 'string' || typeof device_id !== 'string') return undefined;
  if (typeof admin_state_up !== 'boolean' || !Array.isArray(fixed_ips) || !(extra_dhcp_opts === null || Array.isArray(extra_dhcp_opts))) return undefined;
  return {
    id,
    mac_address,
    device_owner,
    device_id,
    admin_state_up,
    fixed_ips: (fixed_ips as DhcpPortInfo['fixed_ips']).map(({ subnet_id, ip_address }) => ({ subnet_id, ip_address })),
    extra_dhcp_opts: ((extra_dhcp_opts ?? []) as DhcpPortInfo['extra_dhcp_opts']).map(({ opt_name, opt_value, ip_version }) => ({ opt_name, opt_value, ip_version })),
  };
}

/** is_dhcp_active_on_any_subnet and a DHCP agent hosting the network, in one query. */
async function servedByDhcpAgent(em: EntityManager, port: PortDict): Promise<boolean> {
  const subnetIds = port.fixed_ips.map((ip) => ip.subnet_id);
  if (!subnetIds.length) return false;
  const row = await em
    .getRepository(SubnetEntity)
    .createQueryBuilder('s')
    .select('1', 'x')
    .where(...anyOfSql(em, 's.id', subnetIds))
    .andWhere('s.enable_dhcp = :yes', { yes: sqlBool(em, true) })
    .andWhere(`EXISTS (SELECT 1 FROM ${DHCP_BINDINGS_TABLE} b WHERE b.network_id = :networkId)`, { networkId: port.network_id })
    .limit(1)
    .getRawOne();
  return row !== undefined && row !== null;
}
