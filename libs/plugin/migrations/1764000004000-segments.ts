import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/** Network segments and the type drivers' allocation tables (only ids in use are rows; the primary key makes them unique). */
export class Segments1764000004000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'network_segments',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'network_id', type: 'varchar', length: '36' },
          { name: 'network_type', type: 'varchar', length: '32' },
          { name: 'physical_network', type: 'varchar', length: '64', isNullable: true },
          { name: 'segmentation_id', type: 'integer', isNullable: true },
          { name: 'segment_index', type: 'integer', default: 0 },
          { name: 'name', type: 'varchar', length: '255', isNullable: true },
          { name: 'description', type: 'varchar', length: '255', default: "''" },
          { name: 'created_at', type: 'varchar', length: '20' },
          { name: 'updated_at', type: 'varchar', length: '20' },
          { name: 'revision_number', type: 'integer', default: 1 },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['network_id'], referencedTableName: 'networks', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
      true,
    );
    await q.createIndex('network_segments', new TableIndex({ name: 'ix_network_segments_network_id', columnNames: ['network_id', 'segment_index'] }));
    await q.createTable(
      new Table({ name: 'ml2_flat_allocations', columns: [{ name: 'physical_network', type: 'varchar', length: '64', isPrimary: true }] }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'ml2_vlan_allocations',
        columns: [
          { name: 'physical_network', type: 'varchar', length: '64', isPrimary: true },
          { name: 'vlan_id', type: 'integer', isPrimary: true },
        ],
      }),
      true,
    );
    for (const [table, column] of [
      ['ml2_vxlan_allocations', 'vxlan_vni'],
      ['ml2_geneve_allocations', 'geneve_vni'],
    ]) {
      await q.createTable(new Table({ name: table, columns: [{ name: column, type: 'integer', isPrimary: true }] }), true);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['ml2_geneve_allocations', 'ml2_vxlan_allocations', 'ml2_vlan_allocations', 'ml2_flat_allocations', 'network_segments']) {
      await q.dropTable(table, true);
    }
  }
}
