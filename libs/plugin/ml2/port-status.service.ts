import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ResourceEvents } from '../../api/events/resource-events.js';
import { internalContext } from '../../api/resource/internal-context.js';
import { type AfterCommit, neutronTimestamp, sqlRun } from '../../db/index.js';
import type { PortRow } from '../ports/port.entity.js';
import { PORTS_TABLE } from '../ports/ports.contract.js';
import { UNPLUGGED_VIF_TYPES } from './binding/port-binding.fragment.js';
import type { BoundPort } from './binding/port-binding.store.js';
import { isBlocked, removeBlock } from './provisioning-blocks.js';

export type { AfterCommit };
export { UNPLUGGED_VIF_TYPES };

/**
 * Port status transitions driven by agents (§2.20): BUILD while an agent fetches details, ACTIVE once every
 * provisioning block is cleared, DOWN when a device goes away. Each change bumps the revision and is published as the
 * port's after_update with `statusOnly` (the Nova notifier listens; drivers and agents need not hear it again).
 */
@Injectable()
export class PortStatusService {
  constructor(@Inject(ResourceEvents) private readonly events: ResourceEvents) {}

  /** Sets the status if it differs; false when the port is gone or already had it. */
  async setStatus(em: EntityManager, port: PortRow, status: string, afterCommit: AfterCommit): Promise<boolean> {
    if (port.status === status) return false;
    const changed = await sqlRun(em, `UPDATE ${PORTS_TABLE} SET status = ?, revision_number = revision_number + 1, updated_at = ? WHERE id = ?`, [
      status,
      neutronTimestamp(),
      port.id,
    ]);
    if (!changed) return false;
    const original = { id: port.id, device_id: port.device_id, device_owner: port.device_owner, status: port.status };
    port.status = status;
    await this.events.publish('port', 'after_update', {
      ctx: internalContext(em, afterCommit),
      resourceId: port.id,
      original,
      latest: { ...original, status },
      metadata: { statusOnly: true },
    });
    return true;
  }

  /** neutron's provisioning_complete: clear `entity`'s block; with none left a bound, enabled port goes ACTIVE. */
  async provisioningComplete(em: EntityManager, port: BoundPort, entity: string, afterCommit: AfterCommit): Promise<void> {
    await removeBlock(em, port.id, entity);
    if (await isBlocked(em, port.id)) return;
    if (UNPLUGGED_VIF_TYPES.includes(port.binding_vif_type) || !port.admin_state_up) return;
    await this.setStatus(em, port, 'ACTIVE', afterCommit);
  }
}
