import type { EntityManager } from 'typeorm';
import { loadInChunks, sqlAnyOf, sqlJson, sqlRows, sqlRun } from '../../../db/index.js';
import type { PortRow } from '../../ports/port.entity.js';
import { PORT_COLUMNS, portFromSql } from '../../ports/port-sql.js';
import { PORTS_TABLE } from '../../ports/ports.contract.js';
import { PORT_BINDINGS_TABLE } from './port-binding.entity.js';

/** The ACTIVE binding as ML2 code reads it beside a port's own columns. */
export interface BindingColumns {
  binding_host_id: string;
  binding_vnic_type: string;
  binding_profile: Record<string, unknown>;
  binding_vif_type: string;
  binding_vif_details: Record<string, unknown>;
}

/** A port with its ACTIVE binding: what binding, agents' RPC and port status work on. */
export type BoundPort = PortRow & BindingColumns;

export const UNBOUND: Readonly<BindingColumns> = Object.freeze({
  binding_host_id: '',
  binding_vnic_type: 'normal',
  binding_profile: {},
  binding_vif_type: 'unbound',
  binding_vif_details: {},
});

const isDefault = (b: BindingColumns) =>
  b.binding_host_id === '' &&
  b.binding_vnic_type === 'normal' &&
  b.binding_vif_type === 'unbound' &&
  !Object.keys(b.binding_profile).length &&
  !Object.keys(b.binding_vif_details).length;

/** A binding row's columns as read by name (null when the port has no row: the defaults). */
export function bindingFromColumns(column: (name: string) => unknown): BindingColumns {
  const host = column('host');
  if (host === null || host === undefined) {
    return { binding_host_id: '', binding_vnic_type: 'normal', binding_profile: {}, binding_vif_type: 'unbound', binding_vif_details: {} };
  }
  return {
    binding_host_id: host as string,
    binding_vnic_type: column('vnic_type') as string,
    binding_profile: sqlJson(column('profile'), {}),
    binding_vif_type: column('vif_type') as string,
    binding_vif_details: sqlJson(column('vif_details'), {}),
  };
}

const bindingFromSql = (raw: Record<string, unknown>) => bindingFromColumns((name) => raw[`b_${name}`]);

const BINDING_SELECT = 'b.host AS b_host, b.vnic_type AS b_vnic_type, b.profile AS b_profile, b.vif_type AS b_vif_type, b.vif_details AS b_vif_details';
const BOUND_PORTS = `SELECT ${PORT_COLUMNS.map((c) => `p.${c}`).join(', ')}, ${BINDING_SELECT} FROM ${PORTS_TABLE} p LEFT JOIN ${PORT_BINDINGS_TABLE} b ON b.port_id = p.id`;

/** Ports with their bindings: one query; `where` is on `p` (ports) and `b` (bindings), with `?` parameters. */
export async function selectBoundPorts(em: EntityManager, where: string, params: unknown[]): Promise<BoundPort[]> {
  const rows = await sqlRows<Record<string, unknown>>(em, `${BOUND_PORTS} WHERE ${where}`, params);
  return rows.map((raw) => ({ ...portFromSql(raw), ...bindingFromSql(raw) }));
}

export function boundPortsById(em: EntityManager, ids: readonly string[]): Promise<BoundPort[]> {
  if (!ids.length) return Promise.resolve([]);
  const [cond, param] = sqlAnyOf(em, 'p.id', ids);
  return selectBoundPorts(em, cond, [param]);
}

export async function boundPort(em: EntityManager, id: string): Promise<BoundPort | undefined> {
  return (await selectBoundPorts(em, 'p.id = ?', [id]))[0];
}

/** The bindings of a page of ports: one `IN (…)` query; ports without a row get the defaults. */
export function loadBindings(em: EntityManager, portIds: string[]): Promise<Map<string, BindingColumns>> {
  return loadInChunks(portIds, async (ids) => {
    const [cond, param] = sqlAnyOf(em, 'b.port_id', ids);
    const rows = await sqlRows<Record<string, unknown>>(em, `SELECT b.port_id AS port_id, ${BINDING_SELECT} FROM ${PORT_BINDINGS_TABLE} b WHERE ${cond}`, [param]);
    return new Map(rows.map((raw) => [raw.port_id as string, bindingFromSql(raw)]));
  });
}

/** Writes a port's ACTIVE binding (`existed`: it may have a row already); an all-default binding on a new port writes nothing. */
export async function saveBinding(em: EntityManager, portId: string, b: BindingColumns, existed: boolean): Promise<void> {
  if (!existed && isDefault(b)) return;
  const values = [portId, b.binding_host_id, b.binding_vnic_type, JSON.stringify(b.binding_profile), b.binding_vif_type, JSON.stringify(b.binding_vif_details)];
  await sqlRun(
    em,
    `INSERT INTO ${PORT_BINDINGS_TABLE} (port_id, host, vnic_type, profile, vif_type, vif_details) VALUES (?, ?, ?, ?, ?, ?) ` +
      'ON CONFLICT (port_id) DO UPDATE SET host = excluded.host, vnic_type = excluded.vnic_type, profile = excluded.profile, ' +
      'vif_type = excluded.vif_type, vif_details = excluded.vif_details',
    values,
  );
}

/** The ids of the ports bound to `host` with their vif_type (an agent's inventory). */
export function bindingsOnHost(em: EntityManager, host: string): Promise<{ port_id: string; vif_type: string }[]> {
  return sqlRows(em, `SELECT port_id, vif_type FROM ${PORT_BINDINGS_TABLE} WHERE host = ?`, [host]);
}

/** The binding as the API shows it on a port. */
/** The same attributes set on the port itself: a list's ports get them without an object between. */
export function setBindingView(port: Record<string, unknown>, b: BindingColumns): void {
  port['binding:host_id'] = b.binding_host_id;
  port['binding:vnic_type'] = b.binding_vnic_type;
  port['binding:profile'] = b.binding_profile;
  port['binding:vif_type'] = b.binding_vif_type;
  port['binding:vif_details'] = b.binding_vif_details;
}

export function bindingView(b: BindingColumns): Record<string, unknown> {
  return {
    'binding:host_id': b.binding_host_id,
    'binding:vnic_type': b.binding_vnic_type,
    'binding:profile': b.binding_profile,
    'binding:vif_type': b.binding_vif_type,
    'binding:vif_details': b.binding_vif_details,
  };
}
