import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { standardColumns } from '../../api/migrations/standard-columns.js';

export class Networks1764000000200 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'networks',
        columns: [
          ...standardColumns(),
          { name: 'name', type: 'varchar', length: '255', default: "''" },
          { name: 'admin_state_up', type: 'boolean', default: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'shared', type: 'boolean', default: false },
          { name: 'router_external', type: 'boolean', default: false },
          { name: 'mtu', type: 'integer' },
          { name: 'port_security_enabled', type: 'boolean', default: true },
          { name: 'availability_zone_hints', type: 'text' },
        ],
      }),
      true,
    );
    await q.createIndex('networks', new TableIndex({ name: 'ix_networks_project_id', columnNames: ['project_id'] }));
    await q.createIndex('networks', new TableIndex({ name: 'ix_networks_name', columnNames: ['name'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('networks', true);
  }
}
