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
  if (isPostgres(em)) return [`${column} = ANY(?)`, [...ids]];
  return [`${column} IN (SELECT value FROM json_each(?))`, JSON.stringify(ids)];
}

/** ` FOR UPDATE` / ` FOR SHARE` on PostgreSQL inside a transaction; '' elsewhere (SQLite serializes writers). */
export function sqlLock(em: EntityManager, mode: 'UPDATE' | 'SHARE'): string {
  return isPostgres(em) && em.queryRunner?.isTransactionActive ? ` FOR ${mode}` : '';
}
