import { EntitySchema } from 'typeorm';

export const METERING_LABELS_TABLE = 'meteringlabels';
export const METERING_LABEL_RULES_TABLE = 'meteringlabelrules';
export const METERING_LABEL_TOTALS_TABLE = 'meteringlabeltotals';

/** A metering label (neutron/db/models/metering.py): no standard attributes. */
export interface MeteringLabelRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  shared: boolean;
}

export interface MeteringLabelRuleRow {
  id: string;
  metering_label_id: string;
  direction: 'ingress' | 'egress';
  remote_ip_prefix: string | null;
  source_ip_prefix: string | null;
  destination_ip_prefix: string | null;
  excluded: boolean;
}

/**
 * The traffic counted for a label so far, as the metering agents' l3.meter reports added it up: one row per label
 * (router_id '') or, from agents in granular mode, per label and router. Goes with its label (ON DELETE CASCADE).
 */
export interface MeteringLabelTotalRow {
  label_id: string;
  router_id: string;
  project_id: string;
  pkts: string | number;
  bytes: string | number;
  first_update: number;
  last_update: number;
}

export const MeteringLabelEntity = new EntitySchema<MeteringLabelRow>({
  name: 'MeteringLabel',
  tableName: METERING_LABELS_TABLE,
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    project_id: { type: 'varchar', length: 255 },
    name: { type: 'varchar', length: 255 },
    description: { type: 'varchar', length: 1024 },
    shared: { type: 'boolean' },
  },
});

export const MeteringLabelRuleEntity = new EntitySchema<MeteringLabelRuleRow>({
  name: 'MeteringLabelRule',
  tableName: METERING_LABEL_RULES_TABLE,
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    metering_label_id: { type: 'varchar', length: 36 },
    direction: { type: 'varchar', length: 16 },
    remote_ip_prefix: { type: 'varchar', length: 64, nullable: true },
    source_ip_prefix: { type: 'varchar', length: 64, nullable: true },
    destination_ip_prefix: { type: 'varchar', length: 64, nullable: true },
    excluded: { type: 'boolean' },
  },
});

export const MeteringLabelTotalEntity = new EntitySchema<MeteringLabelTotalRow>({
  name: 'MeteringLabelTotal',
  tableName: METERING_LABEL_TOTALS_TABLE,
  columns: {
    label_id: { type: 'varchar', length: 36, primary: true },
    router_id: { type: 'varchar', length: 36, primary: true },
    project_id: { type: 'varchar', length: 255 },
    pkts: { type: 'bigint' },
    bytes: { type: 'bigint' },
    first_update: { type: 'bigint' },
    last_update: { type: 'bigint' },
  },
});
