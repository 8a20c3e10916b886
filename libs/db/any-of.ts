import { isPostgres } from './dialect.js';
import { type EntityManager, type FindOperator, Raw } from 'typeorm';

let seq = 0;

/**
 * `column IN (…ids)` as ONE bound parameter (a JSON array on SQLite, a text[] on PostgreSQL) instead of one per id:
 * the statement text is the same for any number of ids, so it is prepared once and cached, and a page of 1,000
 * rows does not cost 1,000 parameter bindings in TypeORM.
 */
export function anyOf(em: EntityManager, ids: readonly string[]): FindOperator<string> {
  const [sql, params] = anyOfSql(em, '__column__', ids);
  return Raw((alias) => sql.replace('__column__', alias), params);
}

/** The same for query builders: `qb.where(...anyOfSql(em, 'a.port_id', ids))`. */
export function anyOfSql(em: EntityManager, column: string, ids: readonly string[]): [string, Record<string, unknown>] {
  const key = `anyOf${(seq = (seq + 1) % 1_000_000)}`;
  if (isPostgres(em)) return [`${column} = ANY(:${key})`, { [key]: [...ids] }];
  return [`${column} IN (SELECT value FROM json_each(:${key}))`, { [key]: JSON.stringify(ids) }];
}
