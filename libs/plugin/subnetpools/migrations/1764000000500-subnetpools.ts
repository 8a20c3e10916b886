import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { standardColumns } from '../../../api/migrations/standard-columns.js';

export class SubnetPools1764000000500 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'subnetpools',
        columns: [
          ...standardColumns(),
          { name: 'name', type: 'varchar', length: '255' },
          { name: 'ip_version', type: 'integer' },
          { name: 'prefixes', type: 'text' },
          { name: 'min_prefixlen', type: 'integer' },
          { name: 'max_prefixlen', type: 'integer' },
          { name: 'default_prefixlen', type: 'integer' },
          { name: 'default_quota', type: 'integer', isNullable: true },
          { name: 'shared', type: 'boolean', default: false },
          { name: 'is_default', type: 'boolean', default: false },
          { name: 'default_for_version', type: 'integer', isNullable: true },
          { name: 'address_scope_id', type: 'varchar', length: '36', isNullable: true },
        ],
      }),
      true,
    );
    await q.createIndex('subnetpools', new TableIndex({ name: 'ix_subnetpools_project_id', columnNames: ['project_id'] }));
    await q.createIndex('subnetpools', new TableIndex({ name: 'ix_subnetpools_name', columnNames: ['name'] }));
    await q.createIndex(
      'subnetpools',
      new TableIndex({ name: 'uniq_subnetpools_default_for_version', columnNames: ['default_for_version'], isUnique: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('subnetpools', true);
  }
}
