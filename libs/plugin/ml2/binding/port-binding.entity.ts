import { EntitySchema } from 'typeorm';

export const PORT_BINDINGS_TABLE = 'ml2_port_bindings';

/** vif_types of a port no driver has plugged (unbound, or no driver could bind it). */
export const UNPLUGGED_VIF_TYPES = ['unbound', 'binding_failed'];

/**
 * A port's ACTIVE binding (ML2's ml2_port_bindings). A port whose binding is all defaults (no host, vnic normal, no
 * profile, unbound) has no row: the common port costs none. Rows go with their port (ON DELETE CASCADE).
 */
export interface PortBindingRow {
  port_id: string;
  host: string;
  vnic_type: string;
  profile: Record<string, unknown>;
  vif_type: string;
  vif_details: Record<string, unknown>;
}

/** The columns of a binding, ACTIVE or INACTIVE (ml2.entities.ts keys the INACTIVE ones by port and host). */
export const BINDING_COLUMNS = {
  port_id: { type: 'varchar', length: 36, primary: true },
  host: { type: 'varchar', length: 255 },
  vnic_type: { type: 'varchar', length: 64 },
  profile: { type: 'simple-json' },
  vif_type: { type: 'varchar', length: 64 },
  vif_details: { type: 'simple-json' },
} as const;

export const PortBindingEntity = new EntitySchema<PortBindingRow>({
  name: 'Ml2PortBinding',
  tableName: PORT_BINDINGS_TABLE,
  columns: BINDING_COLUMNS,
});
