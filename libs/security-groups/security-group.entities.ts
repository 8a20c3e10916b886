import { standardEntityColumns } from '../api/resource/standard-row.js';
import { EntitySchema } from 'typeorm';
import type { StandardColumns } from '../api/resource/standard-row.js';
import { PORT_SECURITY_GROUP_BINDINGS_TABLE } from './security-groups.contract.js';

export const SECURITY_GROUPS_TABLE = 'securitygroups';
export const SECURITY_GROUP_RULES_TABLE = 'securitygrouprules';
export const DEFAULT_SECURITY_GROUP_TABLE = 'default_security_group';

export interface SecurityGroupRow extends StandardColumns {
  name: string;
  stateful: boolean;
}

export interface SecurityGroupRuleRow extends StandardColumns {
  security_group_id: string;
  remote_group_id: string | null;
  direction: string;
  ethertype: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  normalized_cidr: string | null;
  /** Neutron's duplicate-rule comparison key (_rule_to_key), unique: the index decides duplicates, also in races. */
  rule_key: string;
}

/** One row per project: its `default` group (the primary key makes concurrent first requests agree on one). */
export interface DefaultSecurityGroupRow {
  project_id: string;
  security_group_id: string;
}

export interface PortBindingRow {
  port_id: string;
  security_group_id: string;
}

export const SecurityGroupEntity = new EntitySchema<SecurityGroupRow>({
  name: 'SecurityGroup',
  tableName: SECURITY_GROUPS_TABLE,
  columns: {
    ...standardEntityColumns,
    name: { type: 'varchar', length: 255 },
    stateful: { type: 'boolean' },
  },
});

export const SecurityGroupRuleEntity = new EntitySchema<SecurityGroupRuleRow>({
  name: 'SecurityGroupRule',
  tableName: SECURITY_GROUP_RULES_TABLE,
  columns: {
    ...standardEntityColumns,
    security_group_id: { type: 'varchar', length: 36 },
    remote_group_id: { type: 'varchar', length: 36, nullable: true },
    direction: { type: 'varchar', length: 16 },
    ethertype: { type: 'varchar', length: 40 },
    protocol: { type: 'varchar', length: 40, nullable: true },
    port_range_min: { type: 'integer', nullable: true },
    port_range_max: { type: 'integer', nullable: true },
    remote_ip_prefix: { type: 'varchar', length: 255, nullable: true },
    normalized_cidr: { type: 'varchar', length: 255, nullable: true },
    rule_key: { type: 'varchar', length: 512 },
  },
});

export const DefaultSecurityGroupEntity = new EntitySchema<DefaultSecurityGroupRow>({
  name: 'DefaultSecurityGroup',
  tableName: DEFAULT_SECURITY_GROUP_TABLE,
  columns: {
    project_id: { type: 'varchar', length: 255, primary: true },
    security_group_id: { type: 'varchar', length: 36 },
  },
});

export const PortBindingEntity = new EntitySchema<PortBindingRow>({
  name: 'SecurityGroupPortBinding',
  tableName: PORT_SECURITY_GROUP_BINDINGS_TABLE,
  columns: {
    port_id: { type: 'varchar', length: 36, primary: true },
    security_group_id: { type: 'varchar', length: 36, primary: true },
  },
});
