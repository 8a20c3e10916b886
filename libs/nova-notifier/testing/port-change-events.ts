import { ResourceEvents } from '../../api/events/resource-events.js';
import type { EntityManager } from 'typeorm';
import { adminRequestContext } from '../../api/testing/admin-context.js';
import type { PortChange } from '../nova-events.js';

/** Publishes PortChanges as the port events they come from (a committed write: after-commit work runs at once). */
export class PortChangeEvents {
  constructor(readonly registry = new ResourceEvents()) {}

  publish(change: PortChange): void {
    const port = { id: change.port_id, device_id: change.device_id, device_owner: change.device_owner };
    const ctx = { ...adminRequestContext({} as EntityManager), afterCommit: (fn: () => void | Promise<void>) => void fn() };
    const latest = { ...port, status: change.status_after };
    if (change.deleted) void this.registry.publish('port', 'after_delete', { ctx, resourceId: port.id, original: { ...port, status: change.status_before } });
    else if (change.status_before === undefined) void this.registry.publish('port', 'after_create', { ctx, resourceId: port.id, latest });
    else {
      const metadata = change.data_changed ? {} : { statusOnly: true };
      void this.registry.publish('port', 'after_update', { ctx, resourceId: port.id, original: { ...port, status: change.status_before }, latest, metadata });
    }
  }
}
