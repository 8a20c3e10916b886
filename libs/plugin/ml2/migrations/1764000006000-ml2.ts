import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';

const portCascade = () =>
  new TableForeignKey({ columnNames: ['port_id'], referencedTableName: 'ports', referencedColumnNames: ['id'], onDelete: 'CASCADE' });

export class Ml21764000006000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'ml2_port_binding_levels',
        columns: [
          { name: 'port_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'host', type: 'varchar', length: '255', isPrimary: true },
          { name: 'level', type: 'integer', isPrimary: true },
          { name: 'driver', type: 'varchar', length: '64' },
          { name: 'segment_id', type: 'varchar', length: '36', isNullable: true },
        ],
        foreignKeys: [portCascade()],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'ml2_inactive_port_bindings',
        columns: [
          { name: 'port_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'host', type: 'varchar', length: '255', isPrimary: true },
          { name: 'vnic_type', type: 'varchar', length: '64' },
          { name: 'profile', type: 'text' },
          { name: 'vif_type', type: 'varchar', length: '64' },
          { name: 'vif_details', type: 'text' },
        ],
        foreignKeys: [portCascade()],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'provisioningblocks',
        columns: [
          { name: 'port_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'entity', type: 'varchar', length: '64', isPrimary: true },
        ],
        foreignKeys: [portCascade()],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('provisioningblocks', true);
    await q.dropTable('ml2_inactive_port_bindings', true);
    await q.dropTable('ml2_port_binding_levels', true);
  }
}
