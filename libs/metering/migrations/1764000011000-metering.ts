import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';

const label = () =>
  new TableForeignKey({ columnNames: ['metering_label_id'], referencedTableName: 'meteringlabels', referencedColumnNames: ['id'], onDelete: 'CASCADE' });

export class Metering1764000011000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'meteringlabels',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'project_id', type: 'varchar', length: '255' },
          { name: 'name', type: 'varchar', length: '255', default: "''" },
          { name: 'description', type: 'varchar', length: '1024', default: "''" },
          { name: 'shared', type: 'boolean', default: false },
        ],
        indices: [{ name: 'ix_meteringlabels_project_id', columnNames: ['project_id'] }],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'meteringlabelrules',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'metering_label_id', type: 'varchar', length: '36' },
          { name: 'direction', type: 'varchar', length: '16' },
          { name: 'remote_ip_prefix', type: 'varchar', length: '64', isNullable: true },
          { name: 'source_ip_prefix', type: 'varchar', length: '64', isNullable: true },
          { name: 'destination_ip_prefix', type: 'varchar', length: '64', isNullable: true },
          { name: 'excluded', type: 'boolean', default: false },
        ],
        // A label's rules go with it (Neutron's cascade).
        foreignKeys: [label()],
        indices: [{ name: 'ix_meteringlabelrules_metering_label_id', columnNames: ['metering_label_id'] }],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'meteringlabeltotals',
        columns: [
          { name: 'label_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'router_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'project_id', type: 'varchar', length: '255' },
          { name: 'pkts', type: 'bigint', default: 0 },
          { name: 'bytes', type: 'bigint', default: 0 },
          { name: 'first_update', type: 'bigint' },
          { name: 'last_update', type: 'bigint' },
        ],
        // A deleted label's totals go with it: what /metrics exports never names a label that is gone.
        foreignKeys: [
          new TableForeignKey({ columnNames: ['label_id'], referencedTableName: 'meteringlabels', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('meteringlabeltotals', true);
    await q.dropTable('meteringlabelrules', true);
    await q.dropTable('meteringlabels', true);
  }
}
