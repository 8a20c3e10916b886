import { mkdirSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import { DataSource, type EntityManager, type EntitySchema, type MixedList } from 'typeorm';

import type { Dialect } from './dialect.js';
import { batchPerTurn, pipelineRunner } from './pg-pipeline.js';
import { PreparedStatements } from './prepared-statements.js';
import { arrayQueryHooks } from './raw-sql.js';
import { SqliteQueue } from './sqlite-queue.js';
import { explainSqliteOpenError } from './sqlite-open-error.js';
import { leanSqliteQueries, type SqliteRunner } from './sqlite-statements.js';

const batched = new WeakSet<object>();
function batchOnce(client: Parameters<typeof batchPerTurn>[0]): void {
  if (batched.has(client)) return;
  batched.add(client);
  batchPerTurn(client);
}

/** The advisory lock key replicas take around migrations (any constant; this one spells "neutron-migrations"). */
const MIGRATION_LOCK_KEY = 7_395_662_310_044;

/** Queues work to run after the current transaction committed. */
export type AfterCommit = (work: () => void | Promise<void>) => void;

export interface DatabaseOptions {
  url: string; // '' = SQLite file in dataDir
  dataDir: string;
  entities: EntitySchema[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  logQueries?: boolean;
  /** SQLite's page cache; absent = better-sqlite3's default (16 MB), which is a tenth of the appliance's RSS. */
  sqliteCacheMb?: number;
}

/**
 * The data source plus the one way to run a unit of work on it.
 *
 * better-sqlite3 has a single connection: two interleaved async transactions would share it and see (or roll back)
 * each other's writes, so on SQLite units of work and reads take it in turn, and units queued together commit together
 * (sqlite-queue.ts). PostgreSQL uses its pool and relies on constraints and row locks.
 */
/** The connections as /metrics shows them (see Database.poolUse). */
export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
}

export class Database {
  /** SQLite: its one connection, taken in turn (sqlite-queue.ts). */
  private readonly sqlite: SqliteQueue | undefined;
  private readonly logger = new Logger('Database');
  /** Counts statements; tests use it to prove a list is O(1) queries. */
  queryCount = 0;

  constructor(
    readonly ds: DataSource,
    readonly dialect: Dialect,
  ) {
    if (dialect === 'sqlite') this.sqlite = new SqliteQueue(ds);
  }

  static async open(opts: DatabaseOptions): Promise<Database> {
    const dialect: Dialect = opts.url ? 'postgres' : 'sqlite';
    const common = {
      entities: opts.entities,
      migrations: opts.migrations,
      migrationsRun: false,
      synchronize: false,
      logging: opts.logQueries ? ('all' as const) : false,
    };
    let ds: DataSource;
    if (dialect === 'sqlite') {
      try {
        mkdirSync(opts.dataDir, { recursive: true });
      } catch (error) {
        throw explainSqliteOpenError(error, resolve(opts.dataDir, 'neutron.sqlite'));
      }
      ds = new DataSource({
        ...common,
        type: 'better-sqlite3',
        database: resolve(opts.dataDir, 'neutron.sqlite'),
        enableWAL: true,
        prepareDatabase: (db: { pragma(s: string): unknown }) => {
          db.pragma('synchronous = NORMAL');
          db.pragma('busy_timeout = 5000');
          db.pragma('foreign_keys = ON');
          if (opts.sqliteCacheMb) db.pragma(`cache_size = -${opts.sqliteCacheMb * 1024}`);
        },
      });
    } else {
      ds = new DataSource({ ...common, type: 'postgres', url: opts.url, extra: { max: 10, pipeline: true } });
    }
    try {
      await ds.initialize();
    } catch (error) {
      throw dialect === 'sqlite' ? explainSqliteOpenError(error, resolve(opts.dataDir, 'neutron.sqlite')) : error;
    }
    const database = new Database(ds, dialect);
    database.instrument();
    await database.migrate();
    return database;
  }

  /**
   * Brings the schema up to date. On PostgreSQL any number of replicas may start at once on one database: a
   * session-level advisory lock, held on its own connection, lets one run the migrations while the others wait and
   * then find nothing left to do.
   */
  private async migrate(): Promise<void> {
    if (this.dialect === 'sqlite') {
      await this.ds.runMigrations({ transaction: 'each' });
      return;
    }
    const lock = this.ds.createQueryRunner();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        await this.ds.runMigrations({ transaction: 'each' });
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    } finally {
      await lock.release();
    }
  }

  /** One transaction; every repository call inside must use the given manager. */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.sqlite ? this.sqlite.transaction(work) : this.ds.transaction(work);
  }

  /**
   * A transaction whose work may queue side effects (bus notices, events) with `afterCommit`: they run in order once
   * it committed, and never if it rolled back.
   */
  async unitOfWork<T>(work: (em: EntityManager, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
    const after: (() => void | Promise<void>)[] = [];
    const result = await this.transaction((em) => work(em, (fn) => after.push(fn)));
    // The write committed: a failing side effect is logged, it never turns the request into an error.
    for (const fn of after) {
      try {
        await fn();
      } catch (err) {
        this.logger.error(`after-commit work failed: ${(err as Error).message}`);
      }
    }
    return result;
  }

  /** A read outside a transaction (on SQLite still serialized, so it never sees another unit's uncommitted rows). */
  read<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.sqlite ? this.sqlite.read(() => work(this.ds.manager)) : work(this.ds.manager);
  }

  async close(): Promise<void> {
    await this.sqlite?.idle();
    if (this.ds.isInitialized) await this.ds.destroy();
  }

  /**
   * PostgreSQL: pg's pool (connections open, idle, and requests waiting for one). SQLite has no pool but one
   * connection behind the process-wide lock: total 1, idle when no unit of work holds it, waiting = those queued.
   */
  poolUse(): PoolUse {
    if (this.dialect === 'postgres') {
      const pool = (this.ds.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
      return { total: pool?.totalCount ?? 0, idle: pool?.idleCount ?? 0, waiting: pool?.waitingCount ?? 0 };
    }
    const pending = this.sqlite?.pending ?? 0;
    return { total: 1, idle: pending === 0 ? 1 : 0, waiting: Math.max(0, pending - 1) };
  }

  /** Counts statements; on PostgreSQL each runner's statements go through its pipeline (pg-pipeline.ts). */
  private instrument(): void {
    const driver = this.ds.driver as unknown as { createQueryRunner: (m: string) => Parameters<typeof pipelineRunner>[0] };
    const create = driver.createQueryRunner.bind(driver);
    const counted = new WeakSet<object>();
    const count = () => void this.queryCount++;
    if (this.dialect === 'postgres') this.nameRecurringStatements();
    else arrayQueryHooks.set(this.ds, count);
    driver.createQueryRunner = (mode: string) => {
      const runner = create(mode);
      // better-sqlite3 hands out one shared runner: wrap it once.
      if (counted.has(runner)) return runner;
      counted.add(runner);
      if (this.dialect === 'postgres') {
        pipelineRunner(runner, count);
        return runner;
      }
      if (this.quietDataSource()) {
        leanSqliteQueries(runner as unknown as SqliteRunner, count);
        return runner;
      }
      const query = runner.query.bind(runner);
      runner.query = (...args: unknown[]) => {
        count();
        return query(...args);
      };
      return runner;
    };
  }

  /** No subscribers, query logging or slow-query threshold: nothing TypeORM does around a statement is needed. */
  private quietDataSource(): boolean {
    const options = this.ds.options as { logging?: unknown; maxQueryExecutionTime?: number };
    return this.ds.subscribers.length === 0 && !options.logging && !options.maxQueryExecutionTime;
  }

  /** PostgreSQL: every pooled client this data source hands out names the statements it repeats (prepared-statements.ts). */
  private nameRecurringStatements(): void {
    const statements = new PreparedStatements();
    type Obtain = () => Promise<[{ query: (...a: unknown[]) => unknown }, unknown]>;
    const driver = this.ds.driver as unknown as { obtainMasterConnection: Obtain };
    const obtain = driver.obtainMasterConnection.bind(driver);
    driver.obtainMasterConnection = async () => {
      const [client, release] = await obtain();
      // the batching sees the statements' names: it goes under the naming
      batchOnce(client as Parameters<typeof batchOnce>[0]);
      statements.adopt(client);
      return [client, release];
    };
  }
}
