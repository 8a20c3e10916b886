import type { MigrationInterface, QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlAnyOf, sqlArrays, sqlRows } from './raw-sql.js';
import { openScratchDatabase, type ScratchDatabase, SPEC_DIALECTS } from './testing/scratch-database.js';

class Things1700000000101 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE things (id varchar(64) PRIMARY KEY, n integer NOT NULL, on_ boolean NOT NULL, note varchar(64))');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE things');
  }
}

/** Ids a plain join would break in a PostgreSQL array literal: quotes, backslashes, commas, braces, NULL, empty. */
const ODD_IDS = ['plain', 'with "quote"', 'back\\slash', 'a,b', '{brace}', 'NULL', '', ' spaced '];

describe.each(SPEC_DIALECTS)('array rows and id lists on %s', (dialect) => {
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    scratch = await openScratchDatabase(dialect, { entities: [], migrations: [Things1700000000101], label: 'raw_sql_spec' });
    await scratch.db.transaction(async (em) => {
      for (const [i, id] of ODD_IDS.entries()) await em.query(dialect === 'postgres' ? 'INSERT INTO things VALUES ($1, $2, $3, $4)' : 'INSERT INTO things VALUES (?, ?, ?, ?)', [id, i, dialect === 'postgres' ? i % 2 === 0 : i % 2 === 0 ? 1 : 0, i === 3 ? null : `note ${i}`]);
    });
  });
  afterAll(async () => {
    await scratch?.close();
  });

  it('gives each row as an array of the same values an object row has, in the select order', async () => {
    const sql = 'SELECT note, id, n, on_ FROM things ORDER BY n';
    const [objects, arrays] = await scratch.db.read((em) => Promise.all([sqlRows<Record<string, unknown>>(em, sql), sqlArrays(em, sql)]));
    expect(arrays).toEqual(objects.map((o) => [o.note, o.id, o.n, o.on_]));
    expect(arrays[3][0]).toBeNull();
  });

  it('reads the same inside a transaction, bound parameters included, and counts as one statement', async () => {
    const before = scratch.db.queryCount;
    const rows = await scratch.db.transaction((em) => sqlArrays(em, 'SELECT id FROM things WHERE n >= ? AND n < ? ORDER BY n', [1, 3]));
    expect(rows).toEqual([[ODD_IDS[1]], [ODD_IDS[2]]]);
    // SQLite: the statement; PostgreSQL: the statement and the transaction's start and end.
    expect(scratch.db.queryCount - before).toBeGreaterThanOrEqual(1);
  });

  it('matches every id of a list exactly, whatever characters the ids hold', async () => {
    const rows = await scratch.db.read((em) => {
      const [cond, param] = sqlAnyOf(em, 'id', ODD_IDS);
      return sqlArrays(em, `SELECT id FROM things WHERE ${cond} ORDER BY n`, [param]);
    });
    expect(rows.map((r) => r[0])).toEqual(ODD_IDS);
    const none = await scratch.db.read((em) => {
      const [cond, param] = sqlAnyOf(em, 'id', ['"', 'plain "', 'a']);
      return sqlArrays(em, `SELECT id FROM things WHERE ${cond}`, [param]);
    });
    expect(none).toEqual([]);
    const empty = await scratch.db.read((em) => {
      const [cond, param] = sqlAnyOf(em, 'id', []);
      return sqlArrays(em, `SELECT id FROM things WHERE ${cond}`, [param]);
    });
    expect(empty).toEqual([]);
  });
});
