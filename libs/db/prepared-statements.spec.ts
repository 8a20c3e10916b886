import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { PreparedStatements } from './prepared-statements.js';
import { PgTextArray } from './raw-sql.js';

/** pg's own encoding of a JS array parameter (pg/lib/utils has no types). */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (v: unknown) => unknown };
const pgArrayString = (values: string[]): string => prepareValue(values) as string;

describe('PreparedStatements', () => {
  it('names a parameterised text from its second use on, and always with the same name', () => {
    const statements = new PreparedStatements();
    expect(statements.nameFor('SELECT 1 WHERE $1')).toBeUndefined();
    const name = statements.nameFor('SELECT 1 WHERE $1');
    expect(name).toMatch(/^neutron_\d+$/);
    expect(statements.nameFor('SELECT 1 WHERE $1')).toBe(name);
    statements.nameFor('SELECT 2 WHERE $1');
    expect(statements.nameFor('SELECT 2 WHERE $1')).not.toBe(name);
  });

  it('stops naming new texts once 400 are named, so each connection keeps a bounded set', () => {
    const statements = new PreparedStatements();
    for (let i = 0; i < 400; i++) {
      statements.nameFor(`SELECT ${i}`);
      expect(statements.nameFor(`SELECT ${i}`)).toBeDefined();
    }
    statements.nameFor('SELECT late');
    expect(statements.nameFor('SELECT late')).toBeUndefined();
    expect(statements.nameFor('SELECT 7')).toBeDefined();
  });

  it('passes the named form to the client only for parameterised texts', () => {
    const statements = new PreparedStatements();
    const sent: unknown[][] = [];
    const client = { query: (...args: unknown[]) => sent.push(args) };
    statements.adopt(client);
    statements.adopt(client);
    client.query('COMMIT');
    client.query('SELECT $1', [1]);
    client.query('SELECT $1', [2]);
    expect(sent[0]).toEqual(['COMMIT', undefined, undefined]);
    expect(sent[1]).toEqual(['SELECT $1', [1]]);
    expect(sent[2]).toEqual([{ name: 'neutron_0', text: 'SELECT $1', values: [2] }]);
  });

  it('never names a statement bound to a list (= ANY($1)): each execution gets a plan for its own list', () => {
    const statements = new PreparedStatements();
    const sent: unknown[][] = [];
    const client = { query: (...args: unknown[]) => sent.push(args) };
    statements.adopt(client);
    for (let i = 0; i < 3; i++) client.query('SELECT * FROM t WHERE id = ANY($1)', [['a', 'b']]);
    expect(sent.every((args) => typeof args[0] === 'string')).toBe(true);
  });
});

describe('PgTextArray (sqlAnyOf on PostgreSQL)', () => {
  it('is a list: a statement bound to one is never named either', () => {
    const statements = new PreparedStatements();
    const sent: unknown[][] = [];
    const client = { query: (...args: unknown[]) => sent.push(args) };
    statements.adopt(client);
    for (let i = 0; i < 3; i++) client.query('SELECT * FROM t WHERE id = ANY($1)', [new PgTextArray(['a', 'b'])]);
    expect(sent.every((args) => typeof args[0] === 'string')).toBe(true);
  });

  it('sends the text[] literal pg would build for the same strings', () => {
    const ids = ['a', 'with "quote"', 'back\\slash', '', 'NULL', 'x,y'];
    expect(new PgTextArray(ids).toPostgres()).toBe(pgArrayString(ids));
    expect(new PgTextArray(['u1', 'u2']).toPostgres()).toBe('{"u1","u2"}');
    expect(new PgTextArray([]).toPostgres()).toBe('{}');
  });
});
