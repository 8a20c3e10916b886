import { EntitySchema } from 'typeorm';
import { BINDING_COLUMNS, type PortBindingRow } from './binding/port-binding.entity.js';

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
 * A port's INACTIVE bindings (binding-extended, used by live migration): the same columns as the ACTIVE one
 * (binding/port-binding.entity.ts), several per port, one per host.
 */
export type InactiveBindingRow = PortBindingRow;

export const InactiveBindingEntity = new EntitySchema<InactiveBindingRow>({
  name: 'InactiveBinding',
  tableName: 'ml2_inactive_port_bindings',
  columns: { ...BINDING_COLUMNS, host: { ...BINDING_COLUMNS.host, primary: true } },
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
