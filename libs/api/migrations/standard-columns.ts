import type { TableColumnOptions } from 'typeorm';

/** Columns of every standard-attribute table, for migrations. */
export function standardColumns(): TableColumnOptions[] {
  return [
    { name: 'id', type: 'varchar', length: '36', isPrimary: true },
    { name: 'project_id', type: 'varchar', length: '255', default: "''" },
    { name: 'description', type: 'varchar', length: '255', default: "''" },
    { name: 'created_at', type: 'varchar', length: '20' },
    { name: 'updated_at', type: 'varchar', length: '20' },
    { name: 'revision_number', type: 'integer', default: 1 },
  ];
}
