import type { EntityManager } from 'typeorm';

/**
 * A boolean as a bound parameter: better-sqlite3 binds only numbers, strings and blobs (booleans are stored as 0/1),
 * PostgreSQL takes a real boolean.
 */
export function sqlBool(em: EntityManager, value: boolean): boolean | number {
  return em.connection.options.type === 'better-sqlite3' ? (value ? 1 : 0) : value;
}
