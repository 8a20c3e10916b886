import { describe, expect, it } from 'vitest';
import type { AttributeMap } from '../resource/attribute.js';
import { renderItem } from './render.js';

const attributes: AttributeMap = {
  id: { allowPost: false, allowPut: false },
  name: { allowPost: true, allowPut: true },
  tenant_id: { allowPost: true, allowPut: false },
  project_id: { allowPost: true, allowPut: false },
  secret: { allowPost: true, allowPut: false, isVisible: false },
  'binding:host_id': { allowPost: true, allowPut: true },
  ...Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`extra_${i}`, { allowPost: false, allowPut: false }])),
};

/** What renderItem must give, written the plain way: the map's visible keys in order, present values only. */
function expected(item: Record<string, unknown>, fields: string[], hidden: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [attr, spec] of Object.entries(attributes)) {
    if (spec.isVisible === false || hidden.includes(attr) || (fields.length && !fields.includes(attr))) continue;
    const value = attr === 'tenant_id' ? item.project_id : item[attr];
    if (value !== undefined) out[attr] = value;
  }
  return out;
}

const item = (i: number): Record<string, unknown> => ({
  id: `id-${i}`,
  name: `n${i}`,
  project_id: 'p1',
  secret: 's',
  'binding:host_id': i % 3 ? 'h1' : undefined,
  'network:tenant_id': 'p2',
  ...Object.fromEntries(Array.from({ length: 24 }, (_, k) => [`extra_${k}`, (i + k) % 5 ? { k } : undefined])),
});

describe('renderItem', () => {
  it('shows the visible attributes in the map order, tenant_id from project_id, no policy-only keys', () => {
    const out = renderItem(attributes, item(1), [], []);
    expect(Object.keys(out)).toEqual(Object.keys(expected(item(1), [], [])));
    expect(out).toStrictEqual(expected(item(1), [], []));
    expect(out.tenant_id).toBe('p1');
    expect('secret' in out || 'network:tenant_id' in out).toBe(false);
  });

  it('gives the same keys, order and JSON as the plain way whatever mix of missing values, fields and hidden', () => {
    const cases: [string[], string[]][] = [
      [[], []],
      [['id', 'extra_3', 'tenant_id'], []],
      [[], ['binding:host_id', 'extra_0']],
      [['name', 'binding:host_id'], ['binding:host_id']],
    ];
    for (const [fields, hidden] of cases) {
      for (let i = 0; i < 12; i++) {
        const out = renderItem(attributes, item(i), fields, hidden);
        const want = expected(item(i), fields, hidden);
        expect(Object.keys(out)).toEqual(Object.keys(want));
        expect(JSON.stringify(out)).toBe(JSON.stringify(want));
      }
    }
  });

  it('does not share objects between items: each rendering is its own', () => {
    const a = renderItem(attributes, item(1), [], []);
    const b = renderItem(attributes, item(2), [], []);
    expect(a).not.toBe(b);
    a.name = 'changed';
    expect(b.name).toBe('n2');
    expect(renderItem(attributes, item(1), [], []).name).toBe('n1');
  });
});
