import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';

/** dvr: each router's `distributed` flag in its own table (Neutron's router_extra_attributes); the existing routers are legacy ones. */
export class RouterExtraAttributes1764000010400 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'router_extra_attributes',
        columns: [
          { name: 'router_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'distributed', type: 'boolean', default: false },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['router_id'], referencedTableName: 'routers', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
      true,
    );
    await q.query('INSERT INTO router_extra_attributes (router_id, distributed) SELECT id, false FROM routers');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('router_extra_attributes', true);
  }
}
