import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { isPostgresConnection } from '../../../db/index.js';

/**
 * ipam_free_ranges.next_ip: a range hands out its addresses by moving next_ip, a column no index holds, instead of
 * rewriting first_ip, its primary key. On PostgreSQL that makes the hot update a HOT one: no new index entry per
 * allocation, so the index does not fill with dead entries that every later allocation would walk past.
 */
export class FreeRangeNextIp1764000001100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    const bytewise = isPostgresConnection(q.connection) ? { collation: 'C' } : {};
    await q.addColumn('ipam_free_ranges', new TableColumn({ name: 'next_ip', type: 'varchar', length: '32', isNullable: false, default: "''", ...bytewise }));
    await q.query('UPDATE ipam_free_ranges SET next_ip = first_ip');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('ipam_free_ranges', 'next_ip');
  }
}
