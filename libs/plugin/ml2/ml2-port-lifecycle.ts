import { Inject, Injectable } from '@nestjs/common';
import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';
import { pyJsonDumps } from '../../api/validators/index.js';
import type { PortRow } from '../ports/port.entity.js';
import { PORT_EVENTS, type PortEvents } from '../ports/port-events.contract.js';
import type { PendingBinding, PortLifecycle } from '../ports/port-lifecycle.contract.js';
import { L2AgentNotifier } from './l2-agent-notifier.js';
import { BindingLevelEntity } from './ml2.entities.js';
import { MechanismManager } from './mechanism-manager.js';
import { type Binding, PortBinder } from './port-binder.js';
import { addBlock, L2_AGENT_ENTITY, takesProvisioningBlocks } from './provisioning-blocks.js';

const BINDING_COLUMNS = ['binding_host_id', 'binding_vnic_type', 'binding_profile'] as const;

/** ML2 around a port write: bind, store the binding level, block until the agent is done, notify after commit. */
@Injectable()
export class Ml2PortLifecycle implements PortLifecycle {
  constructor(
    @Inject(PortBinder) private readonly binder: PortBinder,
    @Inject(MechanismManager) private readonly mechanisms: MechanismManager,
    @Inject(L2AgentNotifier) private readonly agents: L2AgentNotifier,
    @Inject(PORT_EVENTS) private readonly events: PortEvents,
  ) {}

  async beforeCreate(ctx: RequestContext, row: PortRow): Promise<PendingBinding> {
    const binding = await this.binder.bind(ctx.em, row);
    row.binding_vif_type = binding.vif_type;
    row.binding_vif_details = binding.vif_details;
    return binding;
  }

  async afterCreate(ctx: RequestContext, row: PortRow, port: ApiObject, pending: PendingBinding): Promise<void> {
    await this.storeBinding(ctx, row, pending as Binding, true);
    await this.mechanisms.run(ctx, 'create', 'Port', port);
    ctx.afterCommit(async () => {
      this.events.publish({ port_id: row.id, device_id: row.device_id, device_owner: row.device_owner, status_after: row.status });
      if (row.binding_host_id) await this.agents.portUpdate(row);
    });
  }

  async beforeUpdate(ctx: RequestContext, row: PortRow, next: Partial<PortRow>): Promise<PendingBinding | undefined> {
    if (!BINDING_COLUMNS.some((c) => c in next && pyJsonDumps(next[c]) !== pyJsonDumps(row[c]))) return undefined;
    // _process_port_binding: any change of host, vnic_type or profile clears the binding and sets the port DOWN.
    await ctx.em.getRepository(BindingLevelEntity).delete({ port_id: row.id, host: row.binding_host_id });
    const binding = await this.binder.bind(ctx.em, { ...row, ...next, status: 'DOWN' });
    next.binding_vif_type = binding.vif_type;
    next.binding_vif_details = binding.vif_details;
    next.status = 'DOWN';
    return binding;
  }

  async afterUpdate(
    ctx: RequestContext,
    before: PortRow,
    after: PortRow,
    port: ApiObject,
    original: ApiObject,
    pending?: PendingBinding,
  ): Promise<void> {
    if (pending) await this.storeBinding(ctx, after, pending as Binding, pending.host !== before.binding_host_id);
    await this.mechanisms.run(ctx, 'update', 'Port', port, original);
    ctx.afterCommit(async () => {
      this.events.publish({
        port_id: after.id,
        device_id: after.device_id,
        device_owner: after.device_owner,
        status_before: before.status,
        status_after: after.status,
        data_changed: true,
      });
      // The old host's agent unwires a port that moved away; the new host's agent wires it.
      if (before.binding_host_id || after.binding_host_id) await this.agents.portUpdate(after);
    });
  }

  async beforeDelete(ctx: RequestContext, row: PortRow, port: ApiObject): Promise<void> {
    await this.mechanisms.run(ctx, 'delete', 'Port', port);
    ctx.afterCommit(async () => {
      this.events.publish({
        port_id: row.id,
        device_id: row.device_id,
        device_owner: row.device_owner,
        status_before: row.status,
        status_after: row.status,
        deleted: true,
      });
      await this.agents.portDelete(row.id);
    });
  }

  /** The binding level, and the L2 block while an agent on a new host has not wired the port (mech_agent). */
  private async storeBinding(ctx: RequestContext, row: PortRow, binding: Binding, newHost: boolean): Promise<void> {
    if (binding.levels.length) await ctx.em.getRepository(BindingLevelEntity).insert(binding.levels);
    if (newHost && binding.host && binding.hostHasAgents && row.status !== 'ACTIVE' && takesProvisioningBlocks(row.device_owner)) {
      await addBlock(ctx.em, row.id, L2_AGENT_ENTITY);
    }
  }
}
