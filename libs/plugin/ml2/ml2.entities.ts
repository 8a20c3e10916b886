import { EntitySchema } from 'typeorm';

/** Which driver bound a port on a host, and to which segment (ML2's ml2_port_binding_levels; we bind one level). */
export interface BindingLevelRow {
  port_id: string;
  host: string;
  level: number;
  driver: string;
  segment_id: string | null;
}

export const BindingLevelEntity = new EntitySchema<BindingLevelRow>({
  name: 'BindingLevel',
  tableName: 'ml2_port_binding_levels',
  columns: {
    port_id: { type: 'varchar', length: 36, primary: true },
    host: { type: 'varchar', length: 255, primary: true },
    level: { type: 'integer', primary: true },
    driver: { type: 'varchar', length: 64 },
    segment_id: { type: 'varchar', length: 36, nullable: true },
  },
});

/**
 * A port's INACTIVE bindings (binding-extended, used by live migration). The ACTIVE binding lives on the port row
 * (`binding_*` columns), so reads of ports never join this table.
 */
export interface InactiveBindingRow {
  port_id: string;
  host: string;
  vnic_type: string;
  profile: Record<string, unknown>;
  vif_type: string;
  vif_details: Record<string, unknown>;
}

export const InactiveBindingEntity = new EntitySchema<InactiveBindingRow>({
  name: 'InactiveBinding',
  tableName: 'ml2_inactive_port_bindings',
  columns: {
    port_id: { type: 'varchar', length: 36, primary: true },
    host: { type: 'varchar', length: 255, primary: true },
    vnic_type: { type: 'varchar', length: 64 },
    profile: { type: 'simple-json' },
    vif_type: { type: 'varchar', length: 64 },
    vif_details: { type: 'simple-json' },
  },
});

/** Neutron's provisioning blocks: a port goes ACTIVE only once every entity (L2, DHCP) has cleared its block. */
export interface ProvisioningBlockRow {
  port_id: string;
  entity: string;
}

export const ProvisioningBlockEntity = new EntitySchema<ProvisioningBlockRow>({
  name: 'ProvisioningBlock',
  tableName: 'provisioningblocks',
  columns: {
    port_id: { type: 'varchar', length: 36, primary: true },
    entity: { type: 'varchar', length: 64, primary: true },
  },
});

export const ml2Entities = [BindingLevelEntity, InactiveBindingEntity, ProvisioningBlockEntity];
