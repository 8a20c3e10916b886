import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';

/** Port forwardings of floating IPs; the unique keys decide duplicates, also in races. */
export class PortForwardings1764000010100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'portforwardings',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'floatingip_id', type: 'varchar', length: '36' },
          { name: 'external_port', type: 'integer' },
          { name: 'internal_port', type: 'integer' },
          { name: 'internal_ip_address', type: 'varchar', length: '64' },
          { name: 'internal_port_id', type: 'varchar', length: '36' },
          { name: 'protocol', type: 'varchar', length: '40' },
          { name: 'description', type: 'varchar', length: '1024', default: "''" },
        ],
        uniques: [
          { name: 'uniq_port_forwardings0floatingip_id0external_port0protocol', columnNames: ['floatingip_id', 'external_port', 'protocol'] },
          {
            name: 'uniq_port_forwardings0internal_neutron_port_id0socket0protocol',
            columnNames: ['internal_port_id', 'internal_ip_address', 'internal_port', 'protocol'],
          },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['floatingip_id'], referencedTableName: 'floatingips', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['internal_port_id'], referencedTableName: 'ports', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('portforwardings', true);
  }
}
