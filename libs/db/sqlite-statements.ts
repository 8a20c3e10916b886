import { QueryFailedError, QueryResult } from 'typeorm';

interface Statement {
  reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}

/** The parts of TypeORM's better-sqlite3 query runner this file relies on. */
export interface SqliteRunner {
  query: (query: string, parameters?: unknown[], useStructuredResult?: boolean) => Promise<unknown>;
  isReleased: boolean;
  stmtCache: Map<string, Statement>;
  cacheSize: number;
  driver: { databaseConnection?: { prepare(sql: string): Statement } };
}

/**
 * Runs the shared better-sqlite3 runner's statements as TypeORM does (its statement cache, booleans as 0/1, the same
 * results, errors as QueryFailedError) without what a query costs around it when nobody listens: the before/after
 * query broadcasts, the logger call, and four awaits. Used only when the data source has no subscribers, no query
 * logging and no slow-query threshold; anything unusual (a released runner, no connection yet) takes TypeORM's path.
 */
export function leanSqliteQueries(runner: SqliteRunner, count: () => void): void {
  const typeorm = runner.query.bind(runner);
  runner.query = (query, parameters = [], useStructuredResult = false) => {
    count();
    const db = runner.driver.databaseConnection;
    if (runner.isReleased || !db || !Array.isArray(parameters)) return typeorm(query, parameters, useStructuredResult);
    const params = parameters.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
    try {
      const stmt = statement(runner, db, query);
      const result = new QueryResult();
      if (stmt.reader) {
        const raw = stmt.all(...params);
        result.raw = raw;
        result.records = raw;
      } else {
        const raw = stmt.run(...params);
        result.affected = raw.changes;
        result.raw = raw.lastInsertRowid;
      }
      return Promise.resolve(useStructuredResult ? result : result.raw);
    } catch (err) {
      return Promise.reject(new QueryFailedError(query, params, err as Error));
    }
  };
}

/**
 * TypeORM's cache (cacheSize statements), kept least recently used first: TypeORM drops the oldest prepared, so the
 * hot statements of a create were prepared again after every hundred others (a mixed workload's list texts vary).
 */
function statement(runner: SqliteRunner, db: { prepare(sql: string): Statement }, query: string): Statement {
  const cache = runner.stmtCache;
  let stmt = cache.get(query);
  if (stmt) {
    cache.delete(query);
    cache.set(query, stmt);
    return stmt;
  }
  stmt = db.prepare(query);
  if (runner.cacheSize > 0) {
    runner.stmtCache.set(query, stmt);
    while (runner.stmtCache.size > runner.cacheSize) runner.stmtCache.delete(runner.stmtCache.keys().next().value!);
  }
  return stmt;
}
