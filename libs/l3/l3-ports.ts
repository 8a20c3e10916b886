import { Inject, Injectable } from '@nestjs/common';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { ResourceWriter } from '../api/engine/resource-writer.js';
import { internalContext } from '../api/resource/internal-context.js';
import type { ApiObject, RequestContext } from '../api/resource/resource-definition.js';
import type { FixedIp, FixedIpRequest } from '../plugin/ipam/ipam.contract.js';

/**
 * The L3 plug-in's own ports (router interfaces and gateways, floating IP ports), written through the ResourceWriter
 * as the server itself (no quota, no policy), so IPAM, fragments and every subscriber run as for any port. While the
 * plug-in writes one of them, the port guard (l3-subscribers.ts) lets the write through: Neutron's `l3_port_check=False`.
 */
@Injectable()
export class L3Ports {
  private readonly ownWrites = new Set<string>();

  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(ResourceWriter) private readonly writer: ResourceWriter,
  ) {}

  /** True while the plug-in itself deletes or updates the port. */
  isOwnWrite(portId: string): boolean {
    return this.ownWrites.has(portId);
  }

  async create(
    ctx: RequestContext,
    port: { networkId: string; projectId: string; deviceId: string; deviceOwner: string; fixedIps?: FixedIpRequest[]; host?: string },
  ): Promise<ApiObject> {
    return this.writer.create(this.ports, this.asServer(ctx), {
      network_id: port.networkId,
      project_id: port.projectId,
      tenant_id: port.projectId,
      name: '',
      description: '',
      admin_state_up: true,
      device_id: port.deviceId,
      device_owner: port.deviceOwner,
      ...(port.fixedIps ? { fixed_ips: port.fixedIps } : {}),
      'binding:vnic_type': 'normal',
      ...(port.host ? { 'binding:host_id': port.host } : {}),
      extra_dhcp_opts: null,
      tags: [],
    });
  }

  /** The port as the server sees it (undefined when it is gone). */
  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const server = this.asServer(ctx);
    const port = await this.ports.service.get(server, id);
    return port ? (await this.writer.load(this.ports, server, [port]))[0] : undefined;
  }

  async update(ctx: RequestContext, id: string, changes: ApiObject): Promise<ApiObject> {
    const current = await this.get(ctx, id);
    if (!current) throw new Error(`L3 port ${id} vanished`);
    return this.own(id, () => this.writer.update(this.ports, this.asServer(ctx), current, changes));
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const current = await this.get(ctx, id);
    if (!current) return;
    await this.own(id, () => this.writer.delete(this.ports, this.asServer(ctx), current));
  }

  fixedIps(port: ApiObject): FixedIp[] {
    return (port.fixed_ips as FixedIp[] | undefined) ?? [];
  }

  private async own<T>(id: string, work: () => Promise<T>): Promise<T> {
    this.ownWrites.add(id);
    try {
      return await work();
    } finally {
      this.ownWrites.delete(id);
    }
  }

  private asServer(ctx: RequestContext): RequestContext {
    return ctx.internal ? ctx : internalContext(ctx.em, ctx.afterCommit);
  }

  private get ports() {
    return this.registry.definition('ports');
  }
}
