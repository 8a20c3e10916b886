import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

export class Quotas1764000000300 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'quotas',
        columns: [
          { name: 'project_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'resource', type: 'varchar', length: '255', isPrimary: true },
          { name: 'hard_limit', type: 'integer' },
        ],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('quotas', true);
  }
}
