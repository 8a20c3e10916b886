import { EntitySchema } from 'typeorm';
import { type StandardColumns, standardEntityColumns } from '../../api/resource/standard-row.js';

export interface SubnetPoolRow extends StandardColumns {
  name: string;
  ip_version: number;
  /** Compacted CIDRs, ascending. */
  prefixes: string[];
  min_prefixlen: number;
  max_prefixlen: number;
  default_prefixlen: number;
  default_quota: number | null;
  shared: boolean;
  is_default: boolean;
  /** ip_version while is_default, else null: a unique index then allows one default pool per IP version. */
  default_for_version: number | null;
  address_scope_id: string | null;
}

export const SubnetPoolEntity = new EntitySchema<SubnetPoolRow>({
  name: 'SubnetPool',
  tableName: 'subnetpools',
  columns: {
    ...standardEntityColumns,
    name: { type: 'varchar', length: 255 },
    ip_version: { type: 'integer' },
    prefixes: { type: 'simple-json' },
    min_prefixlen: { type: 'integer' },
    max_prefixlen: { type: 'integer' },
    default_prefixlen: { type: 'integer' },
    default_quota: { type: 'integer', nullable: true },
    shared: { type: 'boolean' },
    is_default: { type: 'boolean' },
    default_for_version: { type: 'integer', nullable: true },
    address_scope_id: { type: 'varchar', length: 36, nullable: true },
  },
});
