import { EntitySchema } from 'typeorm';
import { STANDARD_COLUMN_NAMES, type StandardColumns, standardEntityColumns } from '../../api/resource/standard-row.js';
import { sqlFlag, sqlJson } from '../../db/index.js';

export interface NetworkRow extends StandardColumns {
  name: string;
  admin_state_up: boolean;
  status: string;
  shared: boolean;
  router_external: boolean;
  mtu: number;
  port_security_enabled: boolean;
  availability_zone_hints: string[];
}

export const NetworkEntity = new EntitySchema<NetworkRow>({
  name: 'Network',
  tableName: 'networks',
  columns: {
    ...standardEntityColumns,
    name: { type: 'varchar', length: 255 },
    admin_state_up: { type: 'boolean' },
    status: { type: 'varchar', length: 16 },
    shared: { type: 'boolean' },
    router_external: { type: 'boolean' },
    mtu: { type: 'integer' },
    port_security_enabled: { type: 'boolean' },
    availability_zone_hints: { type: 'simple-json' },
  },
});

/** The columns a list reads (runArrayListQuery), in networkFromArray's order. */
export const NETWORK_COLUMNS = [
  ...STANDARD_COLUMN_NAMES,
  'name',
  'admin_state_up',
  'status',
  'shared',
  'router_external',
  'mtu',
  'port_security_enabled',
  'availability_zone_hints',
] as const satisfies readonly (keyof NetworkRow)[];

const at = Object.fromEntries(NETWORK_COLUMNS.map((column, i) => [column, i])) as Record<(typeof NETWORK_COLUMNS)[number], number>;

/** A list's row as either driver returns it (SQLite booleans 0/1, the JSON column as text) → NetworkRow. */
export function networkFromArray(row: unknown[]): NetworkRow {
  return {
    id: row[at.id] as string,
    project_id: row[at.project_id] as string,
    description: row[at.description] as string,
    created_at: row[at.created_at] as string,
    updated_at: row[at.updated_at] as string,
    revision_number: Number(row[at.revision_number]),
    name: row[at.name] as string,
    admin_state_up: sqlFlag(row[at.admin_state_up]),
    status: row[at.status] as string,
    shared: sqlFlag(row[at.shared]),
    router_external: sqlFlag(row[at.router_external]),
    mtu: Number(row[at.mtu]),
    port_security_enabled: sqlFlag(row[at.port_security_enabled]),
    availability_zone_hints: sqlJson<string[]>(row[at.availability_zone_hints], []),
  };
}
