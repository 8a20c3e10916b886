import { Inject, Injectable } from '@nestjs/common';
import { conflict, NeutronError, notFound, policyNotAuthorized } from '../../../api/errors/neutron-error.js';
import type { ApiObject, ListQuery, RequestContext, ResourceDefinition, ResourceService } from '../../../api/resource/resource-definition.js';
import { neutronTimestamp, sqlRun } from '../../../db/index.js';
import { PORTS_TABLE } from '../../ports/ports.contract.js';
import { L2AgentNotifier } from '../l2-agent-notifier.js';
import { BindingLevelEntity, InactiveBindingEntity, type InactiveBindingRow } from '../ml2.entities.js';
import { bindingAttributes } from '../port-binding.definition.js';
import { PortBinder } from '../port-binder.js';
import { PortStatusService } from '../port-status.service.js';
import { type BindingColumns, type BoundPort, boundPort, saveBinding } from './port-binding.store.js';

interface BindingView {
  host: string;
  vif_type: string;
  vif_details: Record<string, unknown>;
  vnic_type: string;
  profile: Record<string, unknown>;
  status: 'ACTIVE' | 'INACTIVE';
}

const bindingNotFound = (portId: string, host: string) =>
  notFound('PortBindingNotFound', `Binding for port ${portId} for host ${host} could not be found.`);
const bindingError = (portId: string, host: string) =>
  // Neutron answers 500 here; a host nobody can bind on is the caller's problem, so 409 with Neutron's type and text.
  conflict('PortBindingError', `Binding for port ${portId} on host ${host} could not be created or updated.`);

/**
 * `binding-extended` (§2.5), a sub-resource of ports served by the engine (`/ports/{id}/bindings[/{host}[/activate]]`):
 * a port's bindings, one ACTIVE (the port's own `binding:*`) and any INACTIVE ones Nova creates on a live-migration
 * target, then activates. Admin only (the port_binding policies). An item's id is its host.
 */
@Injectable()
export class PortBindingsService implements ResourceService {
  constructor(
    @Inject(PortBinder) private readonly binder: PortBinder,
    @Inject(PortStatusService) private readonly status: PortStatusService,
    @Inject(L2AgentNotifier) private readonly agents: L2AgentNotifier,
  ) {}

  definition(): ResourceDefinition {
    return {
      name: 'binding',
      collection: 'bindings',
      path: 'bindings',
      parent: 'ports',
      policyName: 'port_binding',
      attributes: bindingAttributes,
      service: this,
      allowBulk: false,
      notFound: (host, ctx) => bindingNotFound(ctx?.parent?.id as string, host),
      memberActions: { activate: (ctx, current) => this.activate(ctx, current) },
    };
  }

  /** Filters the (at most a few) bindings of one port in memory; sorting and paging have nothing to order. */
  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    const port = await this.port(ctx);
    const inactive = await ctx.em.getRepository(InactiveBindingEntity).findBy({ port_id: port.id });
    const views = [...(port.binding_host_id ? [activeView(port)] : []), ...inactive.map(inactiveView)];
    return views.filter((v) => query.filters.every((f) => f.values.includes(v[f.attr as keyof BindingView]))) as unknown as ApiObject[];
  }

  async get(ctx: RequestContext, host: string): Promise<ApiObject | undefined> {
    const port = await this.port(ctx);
    if (port.binding_host_id === host) return activeView(port) as unknown as ApiObject;
    const row = await ctx.em.getRepository(InactiveBindingEntity).findOneBy({ port_id: port.id, host });
    return row ? (inactiveView(row) as unknown as ApiObject) : undefined;
  }

  async create(ctx: RequestContext, attrs: ApiObject): Promise<ApiObject> {
    const port = await this.port(ctx);
    const host = attrs.host as string;
    const exists = port.binding_host_id === host || (await ctx.em.getRepository(InactiveBindingEntity).existsBy({ port_id: port.id, host }));
    if (exists) throw conflict('PortBindingAlreadyExists', `Binding for port ${port.id} on host ${host} already exists.`);
    const row: InactiveBindingRow = {
      port_id: port.id,
      host,
      vnic_type: (attrs.vnic_type as string | undefined) ?? 'normal',
      profile: (attrs.profile as Record<string, unknown> | null | undefined) ?? {},
      vif_type: 'unbound',
      vif_details: {},
    };
    if (!port.binding_host_id) {
      // No active binding yet: this one becomes the port's own (Neutron's is_active_binding).
      await this.rebindActive(ctx, port, { binding_host_id: host, binding_vnic_type: row.vnic_type, binding_profile: row.profile });
      return activeView(port) as unknown as ApiObject;
    }
    await this.bindInactive(ctx, port, row);
    return inactiveView(row) as unknown as ApiObject;
  }

  async update(ctx: RequestContext, current: ApiObject, attrs: ApiObject): Promise<ApiObject> {
    const port = await this.port(ctx);
    const host = current.host as string;
    const profile = attrs.profile === null ? {} : (attrs.profile as Record<string, unknown> | undefined);
    if (port.binding_host_id === host) {
      await this.rebindActive(ctx, port, {
        binding_vnic_type: (attrs.vnic_type as string | undefined) ?? port.binding_vnic_type,
        binding_profile: profile ?? port.binding_profile,
      });
      return activeView(port) as unknown as ApiObject;
    }
    const row = (await ctx.em.getRepository(InactiveBindingEntity).findOneBy({ port_id: port.id, host }))!;
    if (attrs.vnic_type !== undefined) row.vnic_type = attrs.vnic_type as string;
    if (profile !== undefined) row.profile = profile;
    await ctx.em.getRepository(BindingLevelEntity).delete({ port_id: port.id, host });
    await this.bindInactive(ctx, port, row);
    return inactiveView(row) as unknown as ApiObject;
  }

  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    const port = await this.port(ctx);
    const host = current.host as string;
    if (port.binding_host_id === host) {
      await this.rebindActive(ctx, port, { binding_host_id: '', binding_profile: {} });
      return;
    }
    await ctx.em.getRepository(InactiveBindingEntity).delete({ port_id: port.id, host });
    await ctx.em.getRepository(BindingLevelEntity).delete({ port_id: port.id, host });
  }

  /** The INACTIVE binding on `host` becomes the port's; the old active one is kept INACTIVE (Nova deletes it). */
  private async activate(ctx: RequestContext, current: ApiObject): Promise<ApiObject> {
    // A member action: Neutron's pecan skips the policy hook; its `activate` rule is the plug-in's to check.
    if (!ctx.isAdmin) throw policyNotAuthorized('(rule:activate) is disallowed by policy');
    const port = await this.port(ctx);
    const host = current.host as string;
    if (port.binding_host_id === host) throw conflict('PortBindingAlreadyActive', `Binding for port ${port.id} on host ${host} is already active.`);
    const repo = ctx.em.getRepository(InactiveBindingEntity);
    const target = (await repo.findOneBy({ port_id: port.id, host }))!;
    await repo.delete({ port_id: port.id, host });
    if (port.binding_host_id) {
      await repo.save({
        port_id: port.id,
        host: port.binding_host_id,
        vnic_type: port.binding_vnic_type,
        profile: port.binding_profile,
        vif_type: port.binding_vif_type,
        vif_details: port.binding_vif_details,
      });
    }
    await ctx.em.getRepository(BindingLevelEntity).delete({ port_id: port.id, host });
    await this.rebindActive(ctx, port, { binding_host_id: host, binding_vnic_type: target.vnic_type, binding_profile: target.profile }, true);
    return { binding: activeView(port) };
  }

  /** Rebinds the port's active binding with `changes` (the port goes DOWN) and tells the agents after commit. */
  private async rebindActive(ctx: RequestContext, port: BoundPort, changes: Partial<BindingColumns>, keepOldLevels = false): Promise<void> {
    const { em } = ctx;
    if (!keepOldLevels && port.binding_host_id) await em.getRepository(BindingLevelEntity).delete({ port_id: port.id, host: port.binding_host_id });
    const next = { ...port, ...changes };
    const binding = await this.binder.bind(em, next);
    if (next.binding_host_id && binding.vif_type === 'binding_failed') throw bindingError(port.id, next.binding_host_id);
    const columns: BindingColumns = { ...next, binding_vif_type: binding.vif_type, binding_vif_details: binding.vif_details };
    await saveBinding(em, port.id, columns, true);
    const updatedAt = neutronTimestamp();
    await sqlRun(em, `UPDATE ${PORTS_TABLE} SET revision_number = ?, updated_at = ? WHERE id = ?`, [port.revision_number + 1, updatedAt, port.id]);
    Object.assign(port, columns, { revision_number: port.revision_number + 1, updated_at: updatedAt });
    if (binding.levels.length) await em.getRepository(BindingLevelEntity).save(binding.levels);
    await this.status.setStatus(em, port, 'DOWN', ctx.afterCommit);
    ctx.afterCommit(() => this.agents.portUpdate(port));
  }

  private async bindInactive(ctx: RequestContext, port: BoundPort, row: InactiveBindingRow): Promise<void> {
    const binding = await this.binder.bind(ctx.em, { ...port, binding_host_id: row.host, binding_vnic_type: row.vnic_type, binding_profile: row.profile });
    if (binding.vif_type === 'binding_failed') throw bindingError(port.id, row.host);
    row.vif_type = binding.vif_type;
    row.vif_details = binding.vif_details;
    await ctx.em.getRepository(InactiveBindingEntity).save(row);
    await ctx.em.getRepository(BindingLevelEntity).save(binding.levels);
  }

  /** The parent port (the engine found it visible) with its binding; only compute ports have bindings to manage. */
  private async port(ctx: RequestContext): Promise<BoundPort> {
    const port = (await boundPort(ctx.em, ctx.parent!.id as string))!;
    if (!port.device_owner.startsWith('compute:')) {
      throw new NeutronError('BadRequest', `Bad port request: Invalid port ${port.id}. Operation only valid on compute ports.`, 400);
    }
    return port;
  }
}

const activeView = (port: BoundPort): BindingView => ({
  host: port.binding_host_id,
  vif_type: port.binding_vif_type,
  vif_details: port.binding_vif_details,
  vnic_type: port.binding_vnic_type,
  profile: port.binding_profile,
  status: 'ACTIVE',
});

const inactiveView = (row: InactiveBindingRow): BindingView => ({
  host: row.host,
  vif_type: row.vif_type,
  vif_details: row.vif_details,
  vnic_type: row.vnic_type,
  profile: row.profile,
  status: 'INACTIVE',
});
