import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/index.js';
import { Socket } from 'node:net';
import { Database } from './database.js';
import { writeBehind } from './pg-pipeline.js';
import { createScratchPostgres, SPEC_DIALECTS } from './testing/scratch-database.js';

/** A migration that fails when two processes run it at once (no IF NOT EXISTS), slow enough for them to overlap. */
class Widgets1700000000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE widgets (id integer PRIMARY KEY)');
    if (q.connection.options.type === 'postgres') await q.query('SELECT pg_sleep(0.2)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE widgets');
  }
}
class WidgetRows1700000000002 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query('INSERT INTO widgets (id) VALUES (1), (2), (3)');
  }
  async down(): Promise<void> {}
}
const migrations = [Widgets1700000000001, WidgetRows1700000000002];

/** Counts the packets sockets receive until stop(): each flush of PostgreSQL's answers arrives as one. */
function packetCounter(): { count: number; stop(): void } {
  const proto = Socket.prototype as unknown as { push: (...a: unknown[]) => unknown };
  const push = proto.push;
  const counter = { count: 0, stop: () => void (proto.push = push) };
  proto.push = function (this: unknown, ...a: unknown[]) {
    if (a[0] !== null) counter.count++;
    return push.apply(this, a);
  };
  return counter;
}

describe.runIf(SPEC_DIALECTS.includes('postgres'))('Database on PostgreSQL: replicas and shared clients', () => {
  let pg: Awaited<ReturnType<typeof createScratchPostgres>>;
  const opened: Database[] = [];
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);

  beforeAll(async () => {
    pg = await createScratchPostgres('database_spec');
    process.on('warning', onWarning);
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    for (const db of opened) await db.close();
    await pg?.drop();
  });

  it('three replicas opening one empty database at once all start; the migrations ran once', async () => {
    const open = () => Database.open({ url: pg.url, dataDir: tmpdir(), entities: [], migrations });
    const results = await Promise.allSettled([open(), open(), open()]);
    for (const r of results) if (r.status === 'fulfilled') opened.push(r.value);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'started'))).toEqual(['started', 'started', 'started']);
    const db = opened[0];
    expect(await db.read((em) => em.query('SELECT count(*)::int AS n FROM widgets'))).toEqual([{ n: 3 }]);
    expect(await db.read((em) => em.query('SELECT count(*)::int AS n FROM migrations'))).toEqual([{ n: 2 }]);
  });

  it('queries fanned out with Promise.all inside a transaction share no pg client (no pg deprecation warning)', async () => {
    const db = opened[0];
    const sums = await db.transaction((em) => Promise.all([1, 2, 3, 4].map((i) => em.query('SELECT $1::int + 1 AS n, pg_sleep(0.01)', [i]))));
    expect(sums.map((rows) => rows[0].n)).toEqual([2, 3, 4, 5]);
    await new Promise((r) => setImmediate(r)); // process warnings are emitted on the next tick
    expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
  });

  it('a transaction whose first statement fails leaves nothing behind, and the connection serves the next one', async () => {
    const db = opened[0];
    await expect(db.transaction((em) => em.query('INSERT INTO widgets (id) VALUES ($1), ($1)', [50]))).rejects.toThrow(/duplicate key/);
    await db.transaction(async (em) => {
      await em.query('INSERT INTO widgets (id) VALUES ($1)', [51]);
      await em.query('INSERT INTO widgets (id) VALUES ($1)', [52]);
    });
    await expect(
      db.transaction(async (em) => {
        await em.query('INSERT INTO widgets (id) VALUES ($1)', [53]);
        await em.query('INSERT INTO widgets (id) VALUES ($1)', [51]);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await db.read((em) => em.query('SELECT id FROM widgets WHERE id >= 50 ORDER BY id'))).toEqual([{ id: 51 }, { id: 52 }]);
  });

  it('the first statement of a transaction runs inside it (its row locks last until the commit)', async () => {
    const db = opened[0];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    const holder = db.transaction(async (em) => {
      await em.query('SELECT id FROM widgets WHERE id = $1 FOR UPDATE', [1]);
      locked();
      await held;
    });
    await lockTaken;
    const free = await db.transaction((em) => em.query('SELECT id FROM widgets WHERE id IN ($1, $2) FOR UPDATE SKIP LOCKED', [1, 2]));
    release();
    await holder;
    expect(free).toEqual([{ id: 2 }]);
  });

  it('a repeated statement is prepared once per connection and gives the same answers', async () => {
    const db = opened[0];
    // one transaction holds one connection: the statements PostgreSQL keeps are per connection
    const [answers, prepared] = await db.transaction(async (em) => {
      const out: unknown[] = [];
      for (let i = 0; i < 5; i++) out.push(...(await em.query('SELECT $1::int * 2 AS n', [i])));
      return [out, await em.query("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = 'SELECT $1::int * 2 AS n'")];
    });
    expect(answers).toEqual([0, 2, 4, 6, 8].map((n) => ({ n })));
    expect(prepared).toEqual([{ n: 1 }]);
  });
  it('a write-behind lands with the commit; one that fails undoes the whole transaction and raises its own error', async () => {
    const db = opened[0];
    await db.transaction(async (em) => {
      await writeBehind(em, 'INSERT INTO widgets (id) VALUES ($1)', [60]);
      await writeBehind(em, 'INSERT INTO widgets (id) VALUES ($1)', [61]);
    });
    const failing = db.transaction(async (em) => {
      await em.query('INSERT INTO widgets (id) VALUES ($1)', [62]);
      await writeBehind(em, 'INSERT INTO widgets (id) VALUES ($1)', [60]);
      // a statement after the failed write: PostgreSQL refuses it as "transaction aborted"; the cause is what is raised
      await em.query('SELECT 1');
    });
    await expect(failing).rejects.toThrow(/duplicate key/);
    const atCommit = db.transaction((em) => writeBehind(em, 'INSERT INTO widgets (id) VALUES ($1)', [61]));
    await expect(atCommit).rejects.toThrow(/duplicate key/);
    expect(await db.read((em) => em.query('SELECT id FROM widgets WHERE id >= 60 ORDER BY id'))).toEqual([{ id: 60 }, { id: 61 }]);
  });

  it('statements issued together leave in one write: four reads and two writes-behind in one round trip', async () => {
    const db = opened[0];
    const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (...a: unknown[]) => unknown>;
    const write = proto._write;
    const writev = proto._writev;
    let writes = 0;
    proto._write = function (this: unknown, ...a: unknown[]) {
      writes++;
      return write.apply(this, a);
    };
    proto._writev = function (this: unknown, ...a: unknown[]) {
      writes++;
      return writev.apply(this, a);
    };
    try {
      let before = 0;
      let together = 0;
      await db.transaction(async (em) => {
        await em.query('SELECT 1'); // the connection is taken and the transaction started
        before = writes;
        void writeBehind(em, 'INSERT INTO widgets (id) VALUES ($1)', [70]);
        void writeBehind(em, 'INSERT INTO widgets (id) VALUES ($1)', [71]);
        const rows = await Promise.all([1, 2, 3, 4].map((i) => em.query('SELECT $1::int AS n', [i])));
        together = writes - before;
        expect(rows.map((r) => r[0].n)).toEqual([1, 2, 3, 4]);
      });
      expect(together).toBe(1);
    } finally {
      proto._write = write;
      proto._writev = writev;
    }
    expect(await db.read((em) => em.query('SELECT count(*)::int AS n FROM widgets WHERE id IN (70, 71)'))).toEqual([{ n: 2 }]);
  });

  it('statements issued together in a transaction come back in one packet, each with its own answer', async () => {
    const db = opened[0];
    const packets = packetCounter();
    try {
      let answered = 0;
      const rows = await db.transaction(async (em) => {
        await em.query('SELECT 1');
        const before = packets.count;
        const out = await Promise.all([
          em.query('SELECT $1::int AS n', [1]),
          em.query('SELECT id FROM widgets WHERE id = ANY($1) ORDER BY id', [[1, 2, 99]]),
          em.query('SELECT $1::text AS s, $2::int[] AS a', ['x', [3, 4]]),
          em.query('SELECT id FROM widgets WHERE id < 0'),
        ]);
        answered = packets.count - before;
        return out;
      });
      expect(rows).toEqual([[{ n: 1 }], [{ id: 1 }, { id: 2 }], [{ s: 'x', a: [3, 4] }], []]);
      expect(answered).toBe(1);
    } finally {
      packets.stop();
    }
  });

  it('a transaction that reads, then writes behind and commits, is answered in two packets: its START and COMMIT ride along', async () => {
    const db = opened[0];
    const packets = packetCounter();
    let read: unknown;
    try {
      await db.transaction(async (em) => {
        read = await Promise.all([em.query('SELECT $1::int AS n', [7]), em.query('SELECT id FROM widgets WHERE id = $1', [1])]);
        void writeBehind(em, 'INSERT INTO widgets (id) VALUES ($1)', [95]);
        void writeBehind(em, 'INSERT INTO widgets (id) VALUES ($1)', [96]);
      });
    } finally {
      packets.stop();
    }
    expect(read).toEqual([[{ n: 7 }], [{ id: 1 }]]);
    expect(packets.count).toBe(2);
    expect(await db.read((em) => em.query('SELECT id FROM widgets WHERE id IN (95, 96) ORDER BY id'))).toEqual([{ id: 95 }, { id: 96 }]);
  });

  it('in a batch, a failed statement raises its own error, the ones after it "transaction aborted"; the connection goes on', async () => {
    const db = opened[0];
    const statement = 'INSERT INTO widgets (id) VALUES ($1) RETURNING id';
    const later = 'SELECT $1::int + 100 AS m';
    await db.read((em) => em.query(later, [0])); // its next use names it: its Parse goes out in the failing batch
    const outcomes: string[] = [];
    await expect(
      db.transaction(async (em) => {
        await em.query('SELECT 1');
        const settled = await Promise.allSettled([em.query(statement, [80]), em.query(statement, [1]), em.query(statement, [81]), em.query(later, [1])]);
        outcomes.push(...settled.map((r) => (r.status === 'fulfilled' ? JSON.stringify(r.value) : String((r.reason as { code?: string }).code))));
        throw (settled[1] as PromiseRejectedResult).reason;
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(outcomes).toEqual(['[{"id":80}]', '23505', '25P02', '25P02']);
    // nothing of it stayed, and the same (now named) statement runs again on the pooled connections
    for (let i = 0; i < 3; i++) {
      await db.transaction(async (em) => {
        await em.query('SELECT 1');
        await Promise.all([em.query(statement, [82 + 2 * i]), em.query(statement, [83 + 2 * i])]);
        expect(await Promise.all([em.query(later, [i]), em.query(later, [i + 1])])).toEqual([[{ m: 100 + i }], [{ m: 101 + i }]]);
      });
    }
    expect(await db.read((em) => em.query('SELECT id FROM widgets WHERE id BETWEEN 80 AND 90 ORDER BY id'))).toEqual(
      [82, 83, 84, 85, 86, 87].map((id) => ({ id })),
    );
  });
});

describe('Database on SQLite: a data directory it cannot use', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'database-spec-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stops the start naming the database file and why, not a bare SQLITE_CANTOPEN', async () => {
    await writeFile(join(dir, 'not-a-dir'), '');
    const dataDir = join(dir, 'not-a-dir', 'data');
    const opening = Database.open({ url: '', dataDir, entities: [], migrations });
    await expect(opening).rejects.toBeInstanceOf(ConfigError);
    await expect(opening).rejects.toThrow(`Cannot open the SQLite database ${join(dataDir, 'neutron.sqlite')}: ${join(dir, 'not-a-dir')} is not a directory`);
  });
});

describe('Database on SQLite: the page cache', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'database-spec-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const cacheSize = async (db: Database) => (await db.read((em) => em.query('PRAGMA cache_size')))[0].cache_size as number;

  it('holds sqliteCacheMb of pages (PRAGMA cache_size in KiB), and keeps better-sqlite3\'s default without it', async () => {
    const bounded = await Database.open({ url: '', dataDir: join(dir, 'a'), entities: [], migrations, sqliteCacheMb: 4 });
    const unbounded = await Database.open({ url: '', dataDir: join(dir, 'b'), entities: [], migrations });
    try {
      expect(await cacheSize(bounded)).toBe(-4096);
      expect(await cacheSize(unbounded)).toBe(-16000);
    } finally {
      await bounded.close();
      await unbounded.close();
    }
  });
});

describe('Database on SQLite: statements', () => {
  let dir: string;
  let db: Database;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'database-spec-'));
    db = await Database.open({ url: '', dataDir: dir, entities: [], migrations });
  });
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives rows, change counts and booleans as 0/1, and counts each statement', async () => {
    const before = db.queryCount;
    await db.transaction(async (em) => {
      await em.query('CREATE TABLE flags (id integer PRIMARY KEY, up boolean NOT NULL)');
      const runner = em.queryRunner!;
      const inserted = await runner.query('INSERT INTO flags (id, up) VALUES (?, ?), (?, ?)', [1, true, 2, false], true);
      expect(inserted.affected).toBe(2);
      expect(await em.query('SELECT id, up FROM flags ORDER BY id')).toEqual([
        { id: 1, up: 1 },
        { id: 2, up: 0 },
      ]);
    });
    // BEGIN, CREATE, INSERT, SELECT, COMMIT
    expect(db.queryCount - before).toBe(5);
  });

  it('keeps a statement in use prepared while a hundred others pass through the cache', async () => {
    const connection = (db.ds.driver as unknown as { databaseConnection: { prepare(sql: string): unknown } }).databaseConnection;
    const prepared: string[] = [];
    const original = connection.prepare;
    connection.prepare = (sql: string) => {
      prepared.push(sql);
      return original.call(connection, sql);
    };
    const hot = 'SELECT id FROM widgets WHERE id = ?';
    try {
      await db.read(async (em) => {
        for (let i = 0; i < 250; i++) {
          await em.query(hot, [1]);
          await em.query(`SELECT ${i} AS n FROM widgets WHERE id = ?`, [2]);
        }
      });
    } finally {
      connection.prepare = original;
    }
    expect(prepared.filter((sql) => sql === hot)).toHaveLength(1);
    expect(prepared).toHaveLength(251);
  });

  it('a failed statement rejects with the driver error inside, and its transaction leaves nothing behind', async () => {
    const failing = db.transaction(async (em) => {
      await em.query('INSERT INTO widgets (id) VALUES (?)', [10]);
      await em.query('INSERT INTO widgets (id) VALUES (?)', [1]);
    });
    await expect(failing).rejects.toMatchObject({ name: 'QueryFailedError', driverError: { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' } });
    await expect(db.read((em) => em.query('SELECT id FROM widgets WHERE id = 10'))).resolves.toEqual([]);
    await expect(db.read((em) => em.query('SELEC nonsense'))).rejects.toMatchObject({ name: 'QueryFailedError' });
  });
});

describe('Database on SQLite: units of work queued together commit together', () => {
  let dir: string;
  let db: Database;
  /** A second connection to the same file: it sees only what was committed. */
  let outside: { prepare(sql: string): { all(...p: unknown[]): { id: number }[] }; close(): void };
  const committed = () => outside.prepare('SELECT id FROM widgets WHERE id >= 100 ORDER BY id').all().map((r) => r.id);
  const statements: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'database-spec-'));
    db = await Database.open({ url: '', dataDir: dir, entities: [], migrations });
    const Sqlite = (await import('better-sqlite3' as string)).default as new (file: string, options: object) => typeof outside;
    outside = new Sqlite(join(dir, 'neutron.sqlite'), { readonly: true });
    const runner = db.ds.createQueryRunner();
    const query = runner.query.bind(runner);
    runner.query = ((sql: string, ...rest: unknown[]) => {
      statements.push(sql);
      return (query as (...a: unknown[]) => Promise<unknown>)(sql, ...rest);
    }) as typeof runner.query;
  });
  afterAll(async () => {
    outside?.close();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const insert = (id: number) => db.transaction((em) => em.query('INSERT INTO widgets (id) VALUES (?) RETURNING id', [id]));

  it('eight units at once: one BEGIN and one COMMIT, and each answers only once its row is committed', async () => {
    statements.length = 0;
    const seenWhenAnswered: number[][] = [];
    await Promise.all([100, 101, 102, 103, 104, 105, 106, 107].map((id) => insert(id).then(() => seenWhenAnswered.push(committed()))));
    expect(statements.filter((s) => /^(BEGIN|COMMIT)/.test(s))).toEqual(['BEGIN TRANSACTION', 'COMMIT']);
    for (const seen of seenWhenAnswered) expect(seen).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
  });

  it('a failed unit among them leaves nothing behind and raises its own error; the others commit', async () => {
    const results = await Promise.allSettled([insert(110), insert(1), insert(111), db.transaction(async (em) => {
      await em.query('INSERT INTO widgets (id) VALUES (?)', [112]);
      throw new Error('changed my mind');
    }), insert(113)]);
    expect(results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).message))).toEqual([
      'ok',
      expect.stringContaining('UNIQUE constraint failed'),
      'ok',
      'changed my mind',
      'ok',
    ]);
    expect(committed().filter((id) => id >= 110)).toEqual([110, 111, 113]);
  });

  it('a read queued between units sees none of their rows before they are committed', async () => {
    let release!: () => void;
    const slow = db.transaction(async (em) => {
      await em.query('INSERT INTO widgets (id) VALUES (?)', [120]);
      await new Promise<void>((r) => (release = r));
    });
    await new Promise((r) => setImmediate(r));
    const read = db.read((em) => em.query('SELECT id FROM widgets WHERE id >= 120 ORDER BY id'));
    const later = insert(121);
    let readDone = false;
    void read.then(() => (readDone = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(readDone).toBe(false);
    release();
    await Promise.all([slow, later]);
    expect(await read).toEqual([{ id: 120 }, { id: 121 }]);
    expect(committed().filter((id) => id >= 120)).toEqual([120, 121]);
  });

  it('when SQLite rolls the whole transaction back, every unit of it fails; the next ones start afresh', async () => {
    await db.transaction((em) => em.query("CREATE TRIGGER no_130 BEFORE INSERT ON widgets WHEN NEW.id = 130 BEGIN SELECT RAISE(ROLLBACK, 'no 130'); END"));
    const results = await Promise.allSettled([insert(131), insert(130), insert(132)]);
    expect(results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).message))).toEqual([
      expect.stringContaining('no 130'),
      expect.stringContaining('no 130'),
      'ok',
    ]);
    expect(committed().filter((id) => id >= 130)).toEqual([132]);
    await expect(insert(133)).resolves.toBeDefined();
    expect(committed().filter((id) => id >= 130)).toEqual([132, 133]);
  });
});
