import { Inject, Injectable } from '@nestjs/common';
import type { ApiObject, RequestContext } from '../api/resource/resource-definition.js';
import type { NetworkRow } from '../plugin/networks/network.entity.js';
import { type FixedIp, IPAM, type Ipam } from '../plugin/ipam/ipam.contract.js';
import { PortEntity } from '../plugin/ports/port.entity.js';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { ResourceWriter } from '../api/engine/resource-writer.js';
import { dhcpDeviceId } from './dhcp-device-id.js';

export const DHCP_OWNER = 'network:dhcp';

/**
 * The DHCP ports of a network, owned by the server (Neutron's DHCP agent creates them by RPC; the API shows the
 * same): one per hosting agent while the network has a DHCP-enabled subnet, with one address on each such subnet
 * (IPAM hands out the lowest free pool address), bound to the agent's host. Written through the ResourceWriter, so
 * IPAM, fragments (binding), events and notifications run as for any port.
 */
@Injectable()
export class DhcpPorts {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(ResourceWriter) private readonly writer: ResourceWriter,
    @Inject(IPAM) private readonly ipam: Ipam,
  ) {}

  async sync(ctx: RequestContext, network: NetworkRow, subnetIds: string[], hosts: string[]): Promise<void> {
    const existing = await ctx.em
      .getRepository(PortEntity)
      .createQueryBuilder('p')
      .select(['p.id', 'p.device_id'])
      .where('p.network_id = :id AND p.device_owner = :owner', { id: network.id, owner: DHCP_OWNER })
      .getMany();
    const wanted = new Map(subnetIds.length ? hosts.map((h) => [dhcpDeviceId(network.id, h), h]) : []);
    const ours = existing.filter((p) => p.device_id.startsWith('dhcp') && p.device_id.endsWith(`-${network.id}`));
    const fixedIps = await this.ipam.loadForPorts(ctx, ours.map((p) => p.id));
    for (const port of ours) {
      if (!wanted.has(port.device_id)) {
        await this.writer.delete(this.ports, ctx, await this.current(ctx, port.id));
        continue;
      }
      wanted.delete(port.device_id);
      const ips = fixedIps.get(port.id) ?? [];
      const keep = ips.filter((ip) => subnetIds.includes(ip.subnet_id));
      const missing = subnetIds.filter((s) => !ips.some((ip) => ip.subnet_id === s));
      if (keep.length === ips.length && !missing.length) continue;
      const requests = [...keep, ...missing.map((subnet_id) => ({ subnet_id }))];
      await this.writer.update(this.ports, ctx, await this.current(ctx, port.id), { fixed_ips: requests });
    }
    for (const [deviceId, host] of wanted) await this.create(ctx, network, deviceId, host, subnetIds);
  }

  private async create(ctx: RequestContext, network: NetworkRow, deviceId: string, host: string, subnetIds: string[]): Promise<void> {
    const fixed_ips: Partial<FixedIp>[] = subnetIds.map((subnet_id) => ({ subnet_id }));
    await this.writer.create(this.ports, ctx, {
      network_id: network.id,
      project_id: network.project_id,
      tenant_id: network.project_id,
      name: '',
      description: '',
      admin_state_up: true,
      device_id: deviceId,
      device_owner: DHCP_OWNER,
      fixed_ips,
      'binding:host_id': host,
      'binding:vnic_type': 'normal',
      extra_dhcp_opts: null,
      tags: [],
    });
  }

  private async current(ctx: RequestContext, id: string): Promise<ApiObject> {
    const port = await this.ports.service.get(ctx, id);
    if (!port) throw new Error(`DHCP port ${id} vanished`);
    return (await this.writer.load(this.ports, ctx, [port]))[0];
  }

  private get ports() {
    return this.registry.definition('ports');
  }
}
