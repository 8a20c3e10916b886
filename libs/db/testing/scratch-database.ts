/**
 * Throw-away storage for one spec or e2e suite: a temp data directory (SQLite) or a fresh database on the machine's
 * PostgreSQL server, removed again on close.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Database, type DatabaseOptions } from '../database.js';
import type { Dialect } from '../dialect.js';

/**
 * The dialects a `*.db.spec.ts` runs on: vitest's `unit` project sets SPEC_DIALECTS=sqlite (no external service),
 * its `integration` project SPEC_DIALECTS=postgres (vitest.config.ts); unset, both.
 */
export const SPEC_DIALECTS: Dialect[] = (process.env.SPEC_DIALECTS ?? 'sqlite,postgres')
  .split(',')
  .map((d) => d.trim())
  .filter((d): d is Dialect => d === 'sqlite' || d === 'postgres');

/** The machine's PostgreSQL (trust auth); override with E2E_POSTGRES_URL. */
export const POSTGRES_SERVER_URL = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface ScratchPostgres {
  name: string;
  url: string;
  /** Drops it even if connections are still open. */
  drop(): Promise<void>;
}

/** A fresh, empty database on the PostgreSQL server, named `<label>_<random hex>`. */
export async function createScratchPostgres(label: string, randomBytesCount = 5): Promise<ScratchPostgres> {
  const name = `${label}_${randomBytes(randomBytesCount).toString('hex')}`;
  await serverQuery(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_SERVER_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => serverQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Where a Database (or a whole server) keeps its data: `url` is '' for SQLite in `dataDir`. */
export interface ScratchStorage {
  dataDir: string;
  url: string;
  /** Removes the data directory and the PostgreSQL database. */
  remove(): Promise<void>;
}

export async function createScratchStorage(dialect: Dialect, label: string): Promise<ScratchStorage> {
  const dataDir = await mkdtemp(join(tmpdir(), `${label.replaceAll('_', '-')}-`));
  let postgres: ScratchPostgres | undefined;
  try {
    postgres = dialect === 'postgres' ? await createScratchPostgres(label.replaceAll('-', '_')) : undefined;
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    dataDir,
    url: postgres?.url ?? '',
    remove: async () => {
      await rm(dataDir, { recursive: true, force: true });
      await postgres?.drop();
    },
  };
}

export interface ScratchDatabase {
  db: Database;
  dataDir: string;
  url: string;
  /** Another Database on the same storage (a second server replica on PostgreSQL); closed by close(). */
  openAnother(): Promise<Database>;
  close(): Promise<void>;
}

/** A migrated Database on scratch storage; close() closes every Database opened on it and removes the storage. */
export async function openScratchDatabase(
  dialect: Dialect,
  opts: Pick<DatabaseOptions, 'entities' | 'migrations'> & { label?: string },
): Promise<ScratchDatabase> {
  const storage = await createScratchStorage(dialect, opts.label ?? 'scratch_db');
  const open = () => Database.open({ url: storage.url, dataDir: storage.dataDir, entities: opts.entities, migrations: opts.migrations });
  const opened: Database[] = [];
  const close = async () => {
    for (const db of opened.splice(0).reverse()) await db.close();
    await storage.remove();
  };
  try {
    opened.push(await open());
  } catch (e) {
    await close();
    throw e;
  }
  return {
    db: opened[0],
    dataDir: storage.dataDir,
    url: storage.url,
    openAnother: async () => {
      const db = await open();
      opened.push(db);
      return db;
    },
    close,
  };
}

async function serverQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
