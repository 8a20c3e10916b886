import type { EntityManager } from 'typeorm';

/**
 * Hand-written SQL for hot paths (port create, port lists): the query builder costs more per statement (SQL
 * generation, alias rewriting, entity hydration) than SQLite takes to run it. Statements use `?` placeholders;
 * PostgreSQL gets `$1…$n`. Keep the text fixed per call site so both drivers reuse their prepared statements.
 */
const pgText = new Map<string, string>();
const PG_TEXT_CACHE = 500;

import { isPostgres } from './dialect.js';
import { writeBehind } from './pg-pipeline.js';

function dialectSql(em: EntityManager, sql: string): string {
  if (!isPostgres(em)) return sql;
  let text = pgText.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    if (pgText.size >= PG_TEXT_CACHE) pgText.clear();
    pgText.set(sql, text);
  }
  return text;
}

/** The rows of a SELECT (or a statement with RETURNING). SQLite gives booleans as 0/1: read them with sqlFlag. */
export function sqlRows<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return em.query(dialectSql(em, sql), params) as Promise<T[]>;
}

/**
 * The rows of a SELECT as arrays, in the statement's column order (`?` placeholders): one array per row instead of an
 * object keyed by column name, for lists of thousands of rows. Booleans come as the driver gives them (SQLite: 0/1).
 */
export function sqlArrays(em: EntityManager, sql: string, params: unknown[] = []): Promise<unknown[][]> {
  return nativeSqlArrays(em, dialectSql(em, sql), params);
}

/**
 * The same for a statement already in the driver's placeholders (a query builder's getQueryAndParameters): SQLite
 * runs it as a raw better-sqlite3 statement, PostgreSQL with pg's array row mode.
 */
export async function nativeSqlArrays(em: EntityManager, sql: string, params: unknown[]): Promise<unknown[][]> {
  if (isPostgres(em)) return (await em.query({ text: sql, rowMode: 'array' } as unknown as string, params)) as unknown[][];
  arrayQueryHooks.get(em.connection)?.();
  const values = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
  return rawStatement(em, sql).all(...values) as unknown[][];
}

interface RawStatement {
  all(...params: unknown[]): unknown[];
  raw(on: boolean): RawStatement;
}
interface SqliteHandle {
  prepare(sql: string): RawStatement;
}

/** Statements kept in raw mode, per connection: not TypeORM's cached ones, whose mode its own queries rely on. */
const rawStatements = new WeakMap<object, Map<string, RawStatement>>();
const RAW_STATEMENT_CACHE = 200;

function rawStatement(em: EntityManager, sql: string): RawStatement {
  const handle = (em.connection.driver as unknown as { databaseConnection: SqliteHandle }).databaseConnection;
  let cache = rawStatements.get(handle);
  if (!cache) rawStatements.set(handle, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size >= RAW_STATEMENT_CACHE) cache.clear();
    stmt = handle.prepare(sql).raw(true);
    cache.set(sql, stmt);
  }
  return stmt;
}

/** Database counts statements through its query runners; the raw SQLite reads above tell it here. */
export const arrayQueryHooks = new WeakMap<object, () => void>();

/** Runs an INSERT, UPDATE or DELETE; resolves to the number of rows it changed (0 for an ignored conflicting insert). */
export async function sqlRun(em: EntityManager, sql: string, params: unknown[] = []): Promise<number> {
  const runner = em.queryRunner ?? em.connection.createQueryRunner();
  try {
    const result = await runner.query(dialectSql(em, sql), params, true);
    return result.affected ?? 0;
  } finally {
    if (!em.queryRunner) await runner.release();
  }
}

/**
 * An INSERT, UPDATE or DELETE whose count nobody reads and that cannot fail but by a bug (rows this transaction
 * locked or created): on PostgreSQL it goes out without waiting and is checked with the COMMIT (pg-pipeline.ts).
 */
export function sqlWriteBehind(em: EntityManager, sql: string, params: unknown[] = []): Promise<void> {
  return writeBehind(em, dialectSql(em, sql), params);
}

/** A boolean column as either driver returns it (SQLite: 0/1). */
export const sqlFlag = (value: unknown): boolean => value === true || value === 1;

/** A JSON text column (TypeORM's simple-json); PostgreSQL json/jsonb columns come parsed already. */
export function sqlJson<T>(value: unknown, empty: T): T {
  if (typeof value === 'string') return value ? (JSON.parse(value) as T) : empty;
  return (value ?? empty) as T;
}

/**
 * `column IN (…ids)` as one bound parameter (a JSON array on SQLite, a text[] on PostgreSQL): the statement text does
 * not depend on the number of ids. Returns the condition and its parameter.
 */
export function sqlAnyOf(em: EntityManager, column: string, ids: readonly string[]): [string, unknown] {
  const postgres = isPostgres(em);
  return [postgres ? `${column} = ANY(?)` : `${column} IN (SELECT value FROM json_each(?))`, idListParam(postgres, ids)];
}

/** The last id list bound, per dialect: a page's fragments each bind the same ids (the page's), one after another. */
const lastIdLists = { postgres: { ids: [] as readonly string[], param: undefined as unknown }, sqlite: { ids: [] as readonly string[], param: undefined as unknown } };

function idListParam(postgres: boolean, ids: readonly string[]): unknown {
  const last = postgres ? lastIdLists.postgres : lastIdLists.sqlite;
  let same = last.param !== undefined && last.ids.length === ids.length;
  for (let i = 0; same && i < ids.length; i++) same = last.ids[i] === ids[i];
  if (!same) {
    last.ids = [...ids];
    last.param = postgres ? new PgTextArray(last.ids) : JSON.stringify(ids);
  }
  return last.param;
}

/** ` FOR UPDATE` / ` FOR SHARE` on PostgreSQL inside a transaction; '' elsewhere (SQLite serializes writers). */
export function sqlLock(em: EntityManager, mode: 'UPDATE' | 'SHARE'): string {
  return isPostgres(em) && em.queryRunner?.isTransactionActive ? ` FOR ${mode}` : '';
}

/**
 * A list of strings bound as one PostgreSQL text[] parameter: pg sends what toPostgres returns. The literal is built
 * with one join, where pg's own array encoding (escaping each element, concatenating piece by piece) allocated about
 * 40 times the literal's size for a page of 1,000 ids. Statements bound to one are never named (prepared-statements.ts).
 */
export class PgTextArray {
  constructor(readonly values: readonly string[]) {}

  toPostgres(): string {
    const v = this.values;
    if (v.some((s) => s.includes('"') || s.includes('\\'))) return `{${v.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
    return v.length ? `{"${v.join('","')}"}` : '{}';
  }
}
