import { isPostgres } from './dialect.js';
import type { EntityManager } from 'typeorm';

/**
 * A boolean as a bound parameter: better-sqlite3 binds only numbers, strings and blobs (booleans are stored as 0/1),
 * PostgreSQL takes a real boolean.
 */
export function sqlBool(em: EntityManager, value: boolean): boolean | number {
  return !isPostgres(em) ? (value ? 1 : 0) : value;
}
