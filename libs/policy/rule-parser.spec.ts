import { describe, expect, it } from 'vitest';
import { checkToString } from './check-node.js';
import { analyzeRule, parseRule } from './rule-parser.js';

const str = (text: string): string => checkToString(parseRule(text));

describe('parseRule', () => {
  it('parses the special checks', () => {
    expect(parseRule('@')).toEqual({ type: 'true' });
    expect(parseRule('!')).toEqual({ type: 'false' });
    expect(parseRule('')).toEqual({ type: 'true' });
  });

  it('recognises the check kinds', () => {
    expect(parseRule('rule:admin_only')).toEqual({ type: 'rule', name: 'admin_only' });
    expect(parseRule('role:admin')).toEqual({ type: 'role', match: 'admin' });
    expect(parseRule('tenant_id:%(network:tenant_id)s')).toEqual({
      type: 'owner',
      targetField: 'network:tenant_id',
      match: '%(network:tenant_id)s',
    });
    expect(parseRule('field:networks:router:external=True')).toEqual({
      type: 'field',
      resource: 'networks',
      field: 'router:external',
      value: 'True',
    });
    expect(parseRule("'member':%(role.name)s")).toEqual({ type: 'generic', key: "'member'", match: '%(role.name)s' });
  });

  it('gives "and" precedence over "or"', () => {
    expect(str('rule:a or rule:b and rule:c')).toBe('(rule:a or (rule:b and rule:c))');
    expect(str('rule:a and rule:b or rule:c')).toBe('((rule:a and rule:b) or rule:c)');
    expect(str('rule:a or rule:b and rule:c and rule:d or rule:e')).toBe(
      '(rule:a or (rule:b and rule:c and rule:d) or rule:e)',
    );
  });

  it('binds "not" to the next check only', () => {
    expect(str('not rule:a and rule:b')).toBe('(not rule:a and rule:b)');
    expect(str('not rule:a or rule:b')).toBe('(not rule:a or rule:b)');
    expect(str('not not rule:a')).toBe('not not rule:a');
  });

  it('honours parentheses, also glued to the checks', () => {
    expect(str('(rule:a or rule:b) and rule:c')).toBe('((rule:a or rule:b) and rule:c)');
    expect(str('not (rule:a or rule:b)')).toBe('not (rule:a or rule:b)');
    expect(str('((rule:a))')).toBe('rule:a');
  });

  it('treats operators case-insensitively', () => {
    expect(str('rule:a AND rule:b Or rule:c')).toBe('((rule:a and rule:b) or rule:c)');
  });

  it('fails closed on rules it cannot parse, reporting why', () => {
    for (const bad of ['rule:a or', '(rule:a', 'rule:a rule:b', 'admin', "'quoted'", '   ', 'tenant_id:p1']) {
      const parsed = analyzeRule(bad);
      expect(parsed.check, bad).toEqual({ type: 'false' });
      expect(parsed.problems.length, bad).toBeGreaterThan(0);
    }
  });

  it('keeps an unparseable check inside an expression as "never"', () => {
    expect(str('rule:a or nonsense')).toBe('(rule:a or !)');
  });

  it('reports no problem for a valid rule', () => {
    expect(analyzeRule('rule:a or (role:b and not field:port:device_owner=~^network:)').problems).toEqual([]);
  });
});
