import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AfterCommit, neutronTimestamp } from '../../db/index.js';
import { PortEntity, type PortRow } from '../ports/port.entity.js';
import { PORT_EVENTS, type PortEvents } from '../ports/port-events.contract.js';
import { isBlocked, removeBlock } from './provisioning-blocks.js';

export type { AfterCommit };

export const UNPLUGGED_VIF_TYPES = ['unbound', 'binding_failed'];

/**
 * Port status transitions driven by agents (§2.20): BUILD while an agent fetches details, ACTIVE once every
 * provisioning block is cleared, DOWN when a device goes away. Each change bumps the revision and is published.
 */
@Injectable()
export class PortStatusService {
  constructor(@Inject(PORT_EVENTS) private readonly events: PortEvents) {}

  /** Sets the status if it differs; false when the port is gone or already had it. */
  async setStatus(em: EntityManager, port: PortRow, status: string, afterCommit: AfterCommit): Promise<boolean> {
    if (port.status === status) return false;
    const result = await em
      .createQueryBuilder()
      .update(PortEntity)
      .set({ status, revision_number: () => 'revision_number + 1', updated_at: neutronTimestamp() })
      .where('id = :id', { id: port.id })
      .execute();
    if (!result.affected) return false;
    const change = {
      port_id: port.id,
      device_id: port.device_id,
      device_owner: port.device_owner,
      status_before: port.status,
      status_after: status,
    };
    port.status = status;
    afterCommit(() => this.events.publish(change));
    return true;
  }

  /** neutron's provisioning_complete: clear `entity`'s block; with none left a bound, enabled port goes ACTIVE. */
  async provisioningComplete(em: EntityManager, port: PortRow, entity: string, afterCommit: AfterCommit): Promise<void> {
    await removeBlock(em, port.id, entity);
    if (await isBlocked(em, port.id)) return;
    if (UNPLUGGED_VIF_TYPES.includes(port.binding_vif_type) || !port.admin_state_up) return;
    await this.setStatus(em, port, 'ACTIVE', afterCommit);
  }
}
