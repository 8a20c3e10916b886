import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

export class Tags1764000000100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'tags',
        columns: [
          { name: 'resource_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tag', type: 'varchar', length: '255', isPrimary: true },
        ],
      }),
      true,
    );
    await q.createIndex('tags', new TableIndex({ name: 'ix_tags_tag', columnNames: ['tag'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('tags', true);
  }
}
