import { Inject, Injectable } from '@nestjs/common';
import { conflict, invalidInput } from '../../../api/errors/neutron-error.js';
import type { ApiObject, RequestContext, ResourceFragment } from '../../../api/resource/resource-definition.js';
import { pyJsonDumps, pyStr } from '../../../api/validators/index.js';
import { sqlRun } from '../../../db/index.js';
import { PORTS_TABLE } from '../../ports/ports.contract.js';
import { BindingLevelEntity } from '../ml2.entities.js';
import { type Binding, PortBinder } from '../port-binder.js';
import { portBindingAttributes } from '../port-binding.definition.js';
import { addBlock, L2_AGENT_ENTITY, takesProvisioningBlocks } from '../provisioning-blocks.js';
import { PORT_BINDINGS_TABLE, UNPLUGGED_VIF_TYPES } from './port-binding.entity.js';

export { UNPLUGGED_VIF_TYPES };
import { type BindingColumns, bindingFromColumns, bindingView, loadBindings, saveBinding, setBindingView, UNBOUND } from './port-binding.store.js';

const BINDING_PROFILE_LEN = 4095;
const ATTRS = Object.keys(portBindingAttributes);

/**
 * The `binding:*` attributes of ports (ML2's portbindings): stored in ml2_port_bindings, bound on `binding:host_id`
 * by the mechanism drivers inside the port's unit of work; a change of host, vnic_type or profile unbinds, rebinds
 * and sets the port DOWN (_process_port_binding).
 */
@Injectable()
export class PortBindingFragment {
  constructor(@Inject(PortBinder) private readonly binder: PortBinder) {}

  fragment(): ResourceFragment {
    return {
      name: 'binding',
      order: 20,
      attributes: portBindingAttributes,
      filters: {
        'binding:host_id': (alias, values, param) => {
          const hosts = values.map(String);
          const p = param();
          const bound = `EXISTS (SELECT 1 FROM ${PORT_BINDINGS_TABLE} pb WHERE pb.port_id = ${alias}.id AND pb.host IN (:...${p}))`;
          // A port without a row has host '': it matches a filter on ''.
          const unbound = hosts.includes('') ? ` OR NOT EXISTS (SELECT 1 FROM ${PORT_BINDINGS_TABLE} pb0 WHERE pb0.port_id = ${alias}.id)` : '';
          return [`(${bound}${unbound})`, { [p]: hosts }];
        },
      },
      join: {
        table: PORT_BINDINGS_TABLE,
        key: 'port_id',
        columns: ['host', 'vnic_type', 'profile', 'vif_type', 'vif_details'],
        read: (port, column) => setBindingView(port, bindingFromColumns(column)),
      },
      load: async (ctx, items, fields) => {
        if (fields.length && !ATTRS.some((a) => fields.includes(a))) return;
        const bindings = await loadBindings(ctx.em, items.map((p) => p.id as string));
        for (const port of items) Object.assign(port, bindingView(bindings.get(port.id as string) ?? UNBOUND));
      },
      create: (ctx, port, request) => this.create(ctx, port, request),
      update: (ctx, port, original, changes) => this.update(ctx, port, original, changes),
    };
  }

  /** ML2's before_update check (_check_mac_update_allowed): a bound port keeps its MAC. */
  checkMacUpdate(original: ApiObject, changes: ApiObject): void {
    if (!('mac_address' in changes) || changes.mac_address === original.mac_address) return;
    const vifType = original['binding:vif_type'] as string;
    if (UNPLUGGED_VIF_TYPES.includes(vifType)) return;
    const mac = changes.mac_address === null ? '<new>' : (changes.mac_address as string);
    throw conflict(
      'PortBound',
      `Unable to complete operation on port ${original.id as string}, port is already bound, port type: ${vifType}, ` +
        `old_mac ${original.mac_address as string}, new_mac ${mac}.`,
    );
  }

  private async create(ctx: RequestContext, port: ApiObject, request: ApiObject): Promise<void> {
    const wanted: BindingColumns = {
      ...UNBOUND,
      binding_host_id: hostOf(request['binding:host_id']) ?? '',
      binding_vnic_type: (request['binding:vnic_type'] as string | undefined) ?? 'normal',
      binding_profile: profileOf(request['binding:profile']) ?? {},
    };
    const binding = await this.binder.bind(ctx.em, toBind(port, wanted));
    const columns = { ...wanted, binding_vif_type: binding.vif_type, binding_vif_details: binding.vif_details };
    await saveBinding(ctx.em, port.id as string, columns, false);
    await this.storeLevels(ctx, port, binding, true);
    Object.assign(port, bindingView(columns));
  }

  private async update(ctx: RequestContext, port: ApiObject, original: ApiObject, changes: ApiObject): Promise<void> {
    const before = columnsOf(original);
    const next = { ...before };
    const host = hostOf(changes['binding:host_id']);
    if (host !== undefined) next.binding_host_id = host;
    if (changes['binding:vnic_type'] !== undefined) next.binding_vnic_type = changes['binding:vnic_type'] as string;
    const profile = profileOf(changes['binding:profile']);
    if (profile !== undefined) next.binding_profile = profile;
    const changed =
      next.binding_host_id !== before.binding_host_id ||
      next.binding_vnic_type !== before.binding_vnic_type ||
      pyJsonDumps(next.binding_profile) !== pyJsonDumps(before.binding_profile);
    if (!changed) return;
    // _process_port_binding: any change of host, vnic_type or profile clears the binding and sets the port DOWN.
    await ctx.em.getRepository(BindingLevelEntity).delete({ port_id: port.id as string, host: before.binding_host_id });
    port.status = 'DOWN';
    const binding = await this.binder.bind(ctx.em, toBind(port, next));
    const columns = { ...next, binding_vif_type: binding.vif_type, binding_vif_details: binding.vif_details };
    await saveBinding(ctx.em, port.id as string, columns, true);
    if (original.status !== 'DOWN') await sqlRun(ctx.em, `UPDATE ${PORTS_TABLE} SET status = ? WHERE id = ?`, ['DOWN', port.id]);
    await this.storeLevels(ctx, port, binding, binding.host !== before.binding_host_id);
    Object.assign(port, bindingView(columns));
  }

  /** The binding level, and the L2 block while an agent on a new host has not wired the port (mech_agent). */
  private async storeLevels(ctx: RequestContext, port: ApiObject, binding: Binding, newHost: boolean): Promise<void> {
    if (binding.levels.length) await ctx.em.getRepository(BindingLevelEntity).insert(binding.levels);
    if (newHost && binding.host && binding.hostHasAgents && port.status !== 'ACTIVE' && takesProvisioningBlocks(port.device_owner as string)) {
      await addBlock(ctx.em, port.id as string, L2_AGENT_ENTITY);
    }
  }
}

export function columnsOf(port: ApiObject): BindingColumns {
  return {
    binding_host_id: port['binding:host_id'] as string,
    binding_vnic_type: port['binding:vnic_type'] as string,
    binding_profile: port['binding:profile'] as Record<string, unknown>,
    binding_vif_type: port['binding:vif_type'] as string,
    binding_vif_details: port['binding:vif_details'] as Record<string, unknown>,
  };
}

function toBind(port: ApiObject, b: BindingColumns) {
  return {
    id: port.id as string,
    network_id: port.network_id as string,
    device_owner: port.device_owner as string,
    status: port.status as string,
    binding_host_id: b.binding_host_id,
    binding_vnic_type: b.binding_vnic_type,
    binding_profile: b.binding_profile,
  };
}

/** `binding:host_id`: absent → undefined (keep), falsy → '' (Neutron's `or ''`). */
function hostOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return value ? pyStr(value) : '';
}

/** `binding:profile`: absent → undefined (keep), null → {}; stored as JSON of at most 4,095 characters. */
function profileOf(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const profile = (value ?? {}) as Record<string, unknown>;
  if (pyJsonDumps(profile).length > BINDING_PROFILE_LEN) throw invalidInput('binding:profile value too large');
  return profile;
}
