import type { EntityManager } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { PgTextArray, sqlAnyOf } from './raw-sql.js';

const manager = (type: 'sqlite' | 'postgres') => ({ connection: { options: { type } } }) as unknown as EntityManager;

describe('sqlAnyOf', () => {
  it('binds the ids as one JSON text on SQLite and one text[] on PostgreSQL', () => {
    expect(sqlAnyOf(manager('sqlite'), 'p.id', ['a', 'b'])).toEqual(['p.id IN (SELECT value FROM json_each(?))', '["a","b"]']);
    const [sql, param] = sqlAnyOf(manager('postgres'), 'p.id', ['a', 'b']);
    expect(sql).toBe('p.id = ANY(?)');
    expect((param as PgTextArray).toPostgres()).toBe('{"a","b"}');
  });

  it('a page bound again by the next fragment reuses the parameter; other ids, or ids changed since, get their own', () => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const em = manager(dialect);
      const ids = ['p1', 'p2', 'p3'];
      const first = sqlAnyOf(em, 'port_id', ids)[1];
      expect(sqlAnyOf(em, 'resource_id', [...ids])[1]).toBe(first);
      ids[2] = 'p4';
      const changed = sqlAnyOf(em, 'port_id', ids)[1];
      expect(changed).not.toBe(first);
      expect(JSON.stringify(dialect === 'sqlite' ? changed : (changed as PgTextArray).toPostgres())).toContain('p4');
      expect(sqlAnyOf(em, 'port_id', ['p1', 'p2'])[1]).not.toBe(changed);
    }
  });
});
