import type { ResourcePayload } from '../api/events/resource-events.js';

/** A port change as the Nova notifier sees it (Neutron's nova notifier records status and data changes of ports). */
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

/** The port's after_create / after_update / after_delete payload as a PortChange. */
export function portChangeOf(op: 'create' | 'update' | 'delete', p: ResourcePayload): PortChange {
  const port = (p.latest ?? p.original)!;
  const change: PortChange = {
    port_id: port.id as string,
    device_id: port.device_id as string,
    device_owner: port.device_owner as string,
    status_after: port.status as string,
  };
  if (op === 'update') {
    change.status_before = p.original!.status as string;
    if (p.metadata?.statusOnly !== true) change.data_changed = true;
  } else if (op === 'delete') {
    change.status_before = port.status as string;
    change.deleted = true;
  }
  return change;
}

/** One entry of `POST /v2.1/os-server-external-events` (Nova's InstanceExternalEvent request). */
export interface NovaEvent {
  name: 'network-vif-plugged' | 'network-vif-unplugged' | 'network-vif-deleted' | 'network-changed';
  server_uuid: string;
  tag: string;
  /** Only for plugged/unplugged, as Neutron sends it. */
  status?: 'completed' | 'failed';
}

const COMPUTE_PREFIX = 'compute:';
const PLUGGABLE_FROM = new Set([undefined, 'DOWN', 'BUILD']);

/** oslo_utils.uuidutils.is_uuid_like: 32 hex digits once `urn:`, `uuid:`, outer braces and hyphens are removed. */
export function isUuidLike(value: string): boolean {
  const hex = value.replaceAll('urn:', '').replaceAll('uuid:', '').replace(/^[{}]+|[{}]+$/g, '').replaceAll('-', '');
  return /^[0-9a-fA-F]{32}$/.test(hex);
}

/** Neutron's Notifier._is_compute_port: Nova only hears about ports it owns. */
export function isComputePort(change: Pick<PortChange, 'device_id' | 'device_owner'>): boolean {
  return !!change.device_id && isUuidLike(change.device_id) && (change.device_owner ?? '').startsWith(COMPUTE_PREFIX);
}

/**
 * The events Nova gets for one port change (neutron/notifiers/nova.py): the status event first (Neutron queues it
 * at flush, before the response), then network-changed for an update through the API. A deleted port gets only
 * network-vif-deleted; a new port no network-changed (create_port is not one of Neutron's notified actions).
 */
export function novaEventsFor(change: PortChange): NovaEvent[] {
  if (!isComputePort(change)) return [];
  const base = { server_uuid: change.device_id, tag: change.port_id };
  if (change.deleted) return [{ name: 'network-vif-deleted', ...base }];
  const events: NovaEvent[] = [];
  const before = change.status_before;
  const after = change.status_after;
  if (before === 'ACTIVE' && after === 'DOWN') {
    events.push({ name: 'network-vif-unplugged', ...base, status: 'completed' });
  } else if (PLUGGABLE_FROM.has(before) && (after === 'ACTIVE' || after === 'ERROR')) {
    events.push({ name: 'network-vif-plugged', ...base, status: after === 'ACTIVE' ? 'completed' : 'failed' });
  }
  if (change.data_changed && before !== undefined) events.push({ name: 'network-changed', ...base });
  return events;
}
