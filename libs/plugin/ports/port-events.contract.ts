/**
 * Port changes as the server publishes them after commit, in this process. The Nova notifier listens here; so can
 * anything else that reacts to port life (DHCP scheduling, L3). Each server replica publishes its own changes.
 */
export interface PortChange {
  port_id: string;
  device_id: string;
  device_owner: string;
  /** Status before and after this change; equal when only data changed. Undefined before = a new port. */
  status_before?: string;
  status_after: string;
  /** The port was deleted. */
  deleted?: boolean;
  /** Attributes other than status changed (Neutron's notify_nova_on_port_data_changes → network-changed). */
  data_changed?: boolean;
}

export const PORT_EVENTS = Symbol('PORT_EVENTS');

export interface PortEvents {
  publish(change: PortChange): void;
  subscribe(listener: (change: PortChange) => void): void;
}
