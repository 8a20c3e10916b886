import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApiRequest, ApiResponse } from '../../api/engine/ports.js';
import { renderItem } from '../../api/engine/render.js';
import { conflict, methodNotAllowed, NeutronError, notFound, policyNotAuthorized } from '../../api/errors/neutron-error.js';
import { parseJsonBody, prepareRequestBody } from '../../api/request/body-parser.js';
import { parseFields, parseFilters, type QueryParams } from '../../api/request/list-params.js';
import type { ApiObject } from '../../api/resource/resource-definition.js';
import { neutronTimestamp, Database, sqlRun } from '../../db/index.js';
import { portNotFound } from '../ports/port.definition.js';
import { PORTS_TABLE } from '../ports/ports.contract.js';
import { type BindingColumns, type BoundPort, boundPort, saveBinding } from './binding/port-binding.store.js';
import { L2AgentNotifier } from './l2-agent-notifier.js';
import { BindingLevelEntity, InactiveBindingEntity, type InactiveBindingRow } from './ml2.entities.js';
import { bindingAttributes } from './port-binding.definition.js';
import { PortBinder } from './port-binder.js';
import { type AfterCommit, PortStatusService } from './port-status.service.js';

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
 * `binding-extended` (§2.5): a port's bindings, one ACTIVE (the port's own `binding:*`) and any INACTIVE ones Nova
 * creates on a live-migration target, then activates. Admin only.
 */
@Injectable()
export class PortBindingsHandler {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(PortBinder) private readonly binder: PortBinder,
    @Inject(PortStatusService) private readonly status: PortStatusService,
    @Inject(L2AgentNotifier) private readonly agents: L2AgentNotifier,
  ) {}

  async handle(req: ApiRequest, portId: string, rest: string[]): Promise<ApiResponse> {
    const [host, action, ...extra] = rest;
    if (extra.length || (action !== undefined && action !== 'activate')) throw notFound('HTTPNotFound', 'The resource could not be found.');
    const verb = `${req.method} ${host === undefined ? 'collection' : action ? 'activate' : 'item'}`;
    const policy: Record<string, string> = {
      'GET collection': 'get_port_binding',
      'GET item': 'get_port_binding',
      'POST collection': 'create_port_binding',
      'PUT item': 'update_port_binding',
      'DELETE item': 'delete_port_binding',
      'PUT activate': 'activate',
    };
    const rule = policy[verb];
    if (!rule) throw methodNotAllowed(req.method);
    if (!req.auth.is_admin) throw policyNotAuthorized(`(rule:${rule}) is disallowed by policy`);
    switch (verb) {
      case 'GET collection':
        return { status: 200, body: { bindings: await this.db.read((em) => this.list(em, portId, req.query)) } };
      case 'GET item':
        return { status: 200, body: { binding: await this.db.read((em) => this.show(em, portId, host, req.query)) } };
      case 'POST collection':
        return { status: 201, body: { binding: await this.db.unitOfWork((em, after) => this.create(em, portId, req, after)) } };
      case 'PUT item':
        return { status: 200, body: { binding: await this.db.unitOfWork((em, after) => this.update(em, portId, host, req, after)) } };
      case 'PUT activate':
        return { status: 200, body: { binding: await this.db.unitOfWork((em, after) => this.activate(em, portId, host, after)) } };
      default:
        await this.db.unitOfWork((em, after) => this.remove(em, portId, host, after));
        return { status: 204 };
    }
  }

  private async list(em: EntityManager, portId: string, query: QueryParams): Promise<ApiObject[]> {
    const { filters } = parseFilters(query, bindingAttributes, false);
    const port = await this.port(em, portId);
    requireCompute(port);
    const inactive = await em.getRepository(InactiveBindingEntity).findBy({ port_id: portId });
    const views = [...(port.binding_host_id ? [activeView(port)] : []), ...inactive.map(inactiveView)];
    const fields = parseFields(query);
    const matching = views.filter((v) => filters.every((f) => f.values.includes(v[f.attr as keyof BindingView])));
    return matching.map((v) => render(v, fields));
  }

  private async show(em: EntityManager, portId: string, host: string, query: QueryParams): Promise<ApiObject> {
    const port = await this.port(em, portId);
    requireCompute(port);
    if (port.binding_host_id === host) return render(activeView(port), parseFields(query));
    const row = await em.getRepository(InactiveBindingEntity).findOneBy({ port_id: portId, host });
    if (!row) throw bindingNotFound(portId, host);
    return render(inactiveView(row), parseFields(query));
  }

  private async create(em: EntityManager, portId: string, req: ApiRequest, after: AfterCommit): Promise<BindingView> {
    const port = await this.port(em, portId);
    requireCompute(port);
    const attrs = bindingBody(req, true);
    const host = attrs.host as string;
    const exists = port.binding_host_id === host || (await em.getRepository(InactiveBindingEntity).existsBy({ port_id: portId, host }));
    if (exists) throw conflict('PortBindingAlreadyExists', `Binding for port ${portId} on host ${host} already exists.`);
    const row: InactiveBindingRow = {
      port_id: portId,
      host,
      vnic_type: (attrs.vnic_type as string | undefined) ?? 'normal',
      profile: (attrs.profile as Record<string, unknown> | undefined) ?? {},
      vif_type: 'unbound',
      vif_details: {},
    };
    if (!port.binding_host_id) {
      // No active binding yet: this one becomes the port's own (Neutron's is_active_binding).
      await this.rebindActive(em, port, { binding_host_id: host, binding_vnic_type: row.vnic_type, binding_profile: row.profile }, after);
      return activeView(port);
    }
    await this.bindInactive(em, port, row);
    return inactiveView(row);
  }

  private async update(em: EntityManager, portId: string, host: string, req: ApiRequest, after: AfterCommit): Promise<BindingView> {
    const port = await this.port(em, portId);
    requireCompute(port);
    const attrs = bindingBody(req, false);
    if (port.binding_host_id === host) {
      await this.rebindActive(
        em,
        port,
        {
          binding_vnic_type: (attrs.vnic_type as string | undefined) ?? port.binding_vnic_type,
          binding_profile: (attrs.profile as Record<string, unknown> | undefined) ?? port.binding_profile,
        },
        after,
      );
      return activeView(port);
    }
    const row = await em.getRepository(InactiveBindingEntity).findOneBy({ port_id: portId, host });
    if (!row) throw bindingNotFound(portId, host);
    if (attrs.vnic_type !== undefined) row.vnic_type = attrs.vnic_type as string;
    if (attrs.profile !== undefined) row.profile = attrs.profile as Record<string, unknown>;
    await em.getRepository(BindingLevelEntity).delete({ port_id: portId, host });
    await this.bindInactive(em, port, row);
    return inactiveView(row);
  }

  /** The INACTIVE binding on `host` becomes the port's; the old active one is kept INACTIVE (Nova deletes it). */
  private async activate(em: EntityManager, portId: string, host: string, after: AfterCommit): Promise<BindingView> {
    const port = await this.port(em, portId);
    requireCompute(port);
    if (port.binding_host_id === host) throw conflict('PortBindingAlreadyActive', `Binding for port ${portId} on host ${host} is already active.`);
    const repo = em.getRepository(InactiveBindingEntity);
    const target = await repo.findOneBy({ port_id: portId, host });
    if (!target) throw bindingNotFound(portId, host);
    await repo.delete({ port_id: portId, host });
    if (port.binding_host_id) {
      await repo.save({
        port_id: portId,
        host: port.binding_host_id,
        vnic_type: port.binding_vnic_type,
        profile: port.binding_profile,
        vif_type: port.binding_vif_type,
        vif_details: port.binding_vif_details,
      });
    }
    await em.getRepository(BindingLevelEntity).delete({ port_id: portId, host });
    await this.rebindActive(em, port, { binding_host_id: host, binding_vnic_type: target.vnic_type, binding_profile: target.profile }, after, true);
    return activeView(port);
  }

  private async remove(em: EntityManager, portId: string, host: string, after: AfterCommit): Promise<void> {
    const port = await this.port(em, portId);
    if (port.binding_host_id === host) {
      await this.rebindActive(em, port, { binding_host_id: '', binding_profile: {} }, after);
      return;
    }
    const result = await em.getRepository(InactiveBindingEntity).delete({ port_id: portId, host });
    if (!result.affected) throw bindingNotFound(portId, host);
    await em.getRepository(BindingLevelEntity).delete({ port_id: portId, host });
  }

  /** Rebinds the port's active binding with `changes` (the port goes DOWN) and tells the agents after commit. */
  private async rebindActive(
    em: EntityManager,
    port: BoundPort,
    changes: Partial<BindingColumns>,
    after: AfterCommit,
    keepOldLevels = false,
  ): Promise<void> {
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
    await this.status.setStatus(em, port, 'DOWN', after);
    after(() => this.agents.portUpdate(port));
  }

  private async bindInactive(em: EntityManager, port: BoundPort, row: InactiveBindingRow): Promise<void> {
    const binding = await this.binder.bind(em, { ...port, binding_host_id: row.host, binding_vnic_type: row.vnic_type, binding_profile: row.profile });
    if (binding.vif_type === 'binding_failed') throw bindingError(port.id, row.host);
    row.vif_type = binding.vif_type;
    row.vif_details = binding.vif_details;
    await em.getRepository(InactiveBindingEntity).save(row);
    await em.getRepository(BindingLevelEntity).save(binding.levels);
  }

  private async port(em: EntityManager, portId: string): Promise<BoundPort> {
    const port = await boundPort(em, portId);
    if (!port) throw portNotFound(portId);
    return port;
  }

}

const render = (view: BindingView, fields: string[]) => renderItem(bindingAttributes, view as unknown as ApiObject, fields, []);

function requireCompute(port: BoundPort): void {
  if (!port.device_owner.startsWith('compute:')) {
    throw new NeutronError('BadRequest', `Bad port request: Invalid port ${port.id}. Operation only valid on compute ports.`, 400);
  }
}

/** The `binding` body through the engine's parser and the sub-resource's attribute map; a null profile is {}. */
function bindingBody(req: ApiRequest, create: boolean): ApiObject {
  const caller = { projectId: req.auth.project_id, isAdmin: req.auth.is_admin };
  const opts = { resource: 'binding', collection: 'bindings', attributes: bindingAttributes, isCreate: create, allowBulk: false, caller };
  const [attrs] = prepareRequestBody(parseJsonBody(req.rawBody), opts);
  if (attrs.profile === null) attrs.profile = {};
  return attrs;
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

