import type { EntityManager } from 'typeorm';
import { sqlFlag, sqlRows, sqlRun } from '../../db/index.js';
import type { PortRow } from './port.entity.js';
import { PORTS_TABLE } from './ports.contract.js';
import { STANDARD_COLUMN_NAMES, standardColumnsFromSql } from '../../api/resource/standard-row.js';

/** The ports table read and written as plain SQL: port creates and lists are the appliance's hottest paths. */
export const PORT_COLUMNS = [
  ...STANDARD_COLUMN_NAMES,
  'name',
  'network_id',
  'mac_address',
  'admin_state_up',
  'status',
  'device_id',
  'device_owner',
] as const satisfies readonly (keyof PortRow)[];

const INSERT_SQL =
  `INSERT INTO ${PORTS_TABLE} (${PORT_COLUMNS.join(', ')}) VALUES (${PORT_COLUMNS.map(() => '?').join(', ')}) ` + 'ON CONFLICT DO NOTHING';

const SELECT_BY_ID = `SELECT ${PORT_COLUMNS.join(', ')} FROM ${PORTS_TABLE} WHERE id = ?`;

/** A row as either driver returns it → PortRow (booleans from 0/1). */
export function portFromSql(raw: Record<string, unknown>): PortRow {
  return {
    ...standardColumnsFromSql(raw),
    name: raw.name as string,
    network_id: raw.network_id as string,
    mac_address: raw.mac_address as string,
    admin_state_up: sqlFlag(raw.admin_state_up),
    status: raw.status as string,
    device_id: raw.device_id as string,
    device_owner: raw.device_owner as string,
  };
}

/** Inserts the port unless a unique constraint (MAC per network) refuses it: true when inserted. */
export async function insertPortRow(em: EntityManager, row: PortRow): Promise<boolean> {
  return (await sqlRun(em, INSERT_SQL, PORT_COLUMNS.map((c) => row[c]))) === 1;
}

/** One port by id; `lock` appends the row lock the caller needs ('' for none). */
export async function selectPortRow(em: EntityManager, id: string, lock = ''): Promise<PortRow | null> {
  const [raw] = await sqlRows<Record<string, unknown>>(em, SELECT_BY_ID + lock, [id]);
  return raw ? portFromSql(raw) : null;
}
