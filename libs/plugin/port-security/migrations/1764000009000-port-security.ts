import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableForeignKey } from 'typeorm';

/** port_security_enabled moves from the ports row to its domain's table, which keeps only the ports that have it off. */
export class PortSecurity1764000009000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'portsecuritybindings',
        columns: [
          { name: 'port_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'port_security_enabled', type: 'boolean' },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['port_id'], referencedTableName: 'ports', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
      true,
    );
    await q.query('INSERT INTO portsecuritybindings (port_id, port_security_enabled) SELECT id, port_security_enabled FROM ports WHERE port_security_enabled = false');
    await q.query('ALTER TABLE ports DROP COLUMN port_security_enabled');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.addColumn('ports', new TableColumn({ name: 'port_security_enabled', type: 'boolean', default: true }));
    await q.query('UPDATE ports SET port_security_enabled = false WHERE id IN (SELECT port_id FROM portsecuritybindings)');
    await q.dropTable('portsecuritybindings', true);
  }
}
