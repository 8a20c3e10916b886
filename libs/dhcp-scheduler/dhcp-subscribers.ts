import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { anyOfSql, sqlBool } from '../db/index.js';
import { ResourceEvents, type ResourceEvent, type ResourcePayload } from '../api/events/resource-events.js';
import { addBlock, DHCP_ENTITY, removeBlock, takesProvisioningBlocks } from '../plugin/ml2/provisioning-blocks.js';
import { SubnetEntity } from '../plugin/subnets/subnet.entity.js';
import type { DhcpPortInfo } from '../rpc/dhcp-agent.contract.js';
import { DhcpAgentNotifier } from './dhcp-agent-notifier.js';
import { hostingAgents } from './dhcp-bindings.store.js';
import { DhcpNetworks } from './dhcp-networks.service.js';
import { DHCP_OWNER } from './dhcp-ports.service.js';
import { DHCP_BINDINGS_TABLE } from './network-dhcp-agent-binding.entity.js';

type PortDict = { id: string; network_id: string; device_owner: string; mac_address: string; fixed_ips: { subnet_id: string }[] };

/** DHCP's reactions run after ML2's drivers (Neutron runs _setup_dhcp_agent_provisioning_component last in line). */
const DHCP_PRIORITY = 200;

/** An agent's status report on a port: nothing for the DHCP agents to serve anew. */
const statusOnly = (p: ResourcePayload) => p.metadata?.statusOnly === true;

/**
 * The DHCP scheduler as a subscriber of the core resources' events: subnet writes schedule the network and keep its
 * DHCP port; network updates and deletes reach the hosting agents; and for ports:
 * - precommit: Ml2Plugin._setup_dhcp_agent_provisioning_component: a port on a DHCP-enabled subnet of a network a
 *   DHCP agent hosts gets the DHCP provisioning block, so it goes ACTIVE only once the agent said dhcp_ready_on_ports;
 * - after commit: the hosting DHCP agents hear `port_update` / `port_delete` with the port as the request wrote it
 *   (no query: the agent changes that one lease), or `network_update` for a DHCP port (its addresses are the
 *   server's on every lease of the network).
 */
@Injectable()
export class DhcpSubscribers {
  constructor(
    @Inject(ResourceEvents) private readonly events: ResourceEvents,
    @Inject(DhcpAgentNotifier) private readonly notifier: DhcpAgentNotifier,
    @Inject(DhcpNetworks) private readonly networks: DhcpNetworks,
  ) {}

  subscribe(): void {
    const on = (resource: string, event: ResourceEvent, fn: (p: ResourcePayload) => unknown) =>
      this.events.subscribe(resource, event, async (p) => void (await fn(p)), { name: 'dhcp-scheduler', priority: DHCP_PRIORITY });
    // Subnets: every write re-checks the network's scheduling and its DHCP port in the same transaction.
    on('subnet', 'precommit_create', ({ ctx, latest }) => this.networks.reconcile(ctx, latest!.network_id as string, true));
    on('subnet', 'precommit_update', ({ ctx, latest }) => this.networks.reconcile(ctx, latest!.network_id as string, true));
    on('subnet', 'precommit_delete', ({ ctx, original }) => this.networks.reconcile(ctx, original!.network_id as string, false, original!.id as string));
    // Networks: hosting agents refetch an updated one; a deleted one's agents (bindings go with it) stop serving it.
    on('network', 'after_update', ({ latest }) => this.notifier.networkChanged(latest!.id as string));
    on('network', 'precommit_delete', async ({ ctx, original }) => {
      const hosts = (await hostingAgents(ctx.em, [original!.id as string])).filter((h) => h.admin_state_up).map((h) => h.host);
      this.networks.afterCommit(ctx, 'network_remove', hosts, original!.id as string);
    });
    // Ports.
    on('port', 'precommit_create', ({ ctx, latest }) => this.blockNewPort(ctx.em, latest as PortDict));
    on('port', 'precommit_update', ({ ctx, latest, original }) => this.reblock(ctx.em, latest as PortDict, original as PortDict));
    on('port', 'after_create', ({ latest }) => this.portWritten(latest!));
    on('port', 'after_update', (p) => statusOnly(p) || this.portWritten(p.latest!));
    on('port', 'after_delete', ({ original }) => {
      const port = original as PortDict;
      if (port.device_owner === DHCP_OWNER) this.notifier.networkChanged(port.network_id);
      else this.notifier.portChanged(port.network_id, port.id, null);
    });
  }

  private async blockNewPort(em: EntityManager, port: PortDict): Promise<void> {
    if (takesProvisioningBlocks(port.device_owner) && (await servedByDhcpAgent(em, port))) await addBlock(em, port.id, DHCP_ENTITY);
  }

  /** Only a change of addresses or MAC makes the agent serve the port anew. */
  private async reblock(em: EntityManager, port: PortDict, before: PortDict): Promise<void> {
    if (!takesProvisioningBlocks(port.device_owner)) return;
    if (JSON.stringify(port.fixed_ips) === JSON.stringify(before.fixed_ips) && port.mac_address === before.mac_address) return;
    if (await servedByDhcpAgent(em, port)) await addBlock(em, port.id, DHCP_ENTITY);
    else await removeBlock(em, port.id, DHCP_ENTITY);
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
