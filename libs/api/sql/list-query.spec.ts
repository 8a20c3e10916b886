import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, EntitySchema } from 'typeorm';
import { NeutronError } from '../errors/neutron-error.js';
import type { AttributeMap } from '../resource/attribute.js';
import type { ListQuery, SortKey } from '../resource/resource-definition.js';
import { TagEntity } from '../tags/tag.entity.js';
import { runListQuery } from './list-query.js';

interface Row {
  id: string;
  name: string;
  size: number;
  up: boolean;
}
const Thing = new EntitySchema<Row>({
  name: 'Thing',
  tableName: 'things',
  columns: {
    id: { type: 'varchar', primary: true },
    name: { type: 'varchar' },
    size: { type: 'integer' },
    up: { type: 'boolean' },
  },
});
const attributes: AttributeMap = {
  id: { allowPost: false, allowPut: false, isFilter: true, isSortKey: true },
  name: { allowPost: true, allowPut: true, isFilter: true, isSortKey: true },
  size: { allowPost: true, allowPut: true, isFilter: true, isSortKey: true },
  up: { allowPost: true, allowPut: true, isFilter: true, isSortKey: true },
};

let ds: DataSource;
const rows: Row[] = [];

beforeAll(async () => {
  ds = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Thing, TagEntity], synchronize: true });
  await ds.initialize();
  for (let i = 0; i < 40; i++) {
    rows.push({ id: `id-${String(i).padStart(2, '0')}`, name: ['a', 'b', 'c'][i % 3], size: i % 5, up: i % 2 === 0 });
  }
  await ds.getRepository(Thing).insert(rows);
  await ds.getRepository(TagEntity).insert([
    { resource_id: 'id-00', tag: 'red' },
    { resource_id: 'id-00', tag: 'blue' },
    { resource_id: 'id-01', tag: 'red' },
    { resource_id: 'id-02', tag: 'blue' },
  ]);
});
afterAll(() => ds.destroy());

const query = (over: Partial<ListQuery>): ListQuery => ({
  filters: [],
  tagFilters: {},
  sorts: [{ attr: 'id', dir: 'asc' }],
  pageReverse: false,
  fields: [],
  ...over,
});
const list = (q: ListQuery) =>
  runListQuery(ds.manager, ds.getRepository(Thing).createQueryBuilder('r'), q, {
    alias: 'r',
    attributes,
    taggable: true,
    notFound: (id) => new NeutronError('ThingNotFound', `Thing ${id} could not be found.`, 404),
  });

function expected(sorts: SortKey[]): Row[] {
  return [...rows].sort((x, y) => {
    for (const s of sorts) {
      const a = x[s.attr as keyof Row];
      const b = y[s.attr as keyof Row];
      if (a < b) return s.dir === 'asc' ? -1 : 1;
      if (a > b) return s.dir === 'asc' ? 1 : -1;
    }
    return 0;
  });
}

describe('runListQuery', () => {
  it('filters with OR inside a key and AND across keys, booleans included', async () => {
    const got = await list(query({ filters: [{ attr: 'name', values: ['a', 'b'] }, { attr: 'up', values: [true] }] }));
    expect(got.map((r) => r.id)).toEqual(rows.filter((r) => ['a', 'b'].includes(r.name) && r.up).map((r) => r.id));
  });

  it('walks every page forward and backward with duplicate sort values, never skipping or repeating', async () => {
    const sorts: SortKey[] = [
      { attr: 'size', dir: 'desc' },
      { attr: 'name', dir: 'asc' },
      { attr: 'id', dir: 'asc' },
    ];
    const all = expected(sorts).map((r) => r.id);
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await list(query({ sorts, limit: 7, marker }));
      seen.push(...page.map((r) => r.id));
      if (page.length < 7) break;
      marker = page[page.length - 1].id;
    }
    expect(seen).toEqual(all);

    const back: string[] = [];
    marker = all[all.length - 1];
    back.unshift(marker);
    for (;;) {
      const page = await list(query({ sorts, limit: 7, marker, pageReverse: true }));
      back.unshift(...page.map((r) => r.id));
      if (page.length < 7) break;
      marker = page[0].id;
    }
    expect(back).toEqual(all);
  });

  it('returns the last page in ascending order when reversing without a marker', async () => {
    const got = await list(query({ limit: 3, pageReverse: true }));
    expect(got.map((r) => r.id)).toEqual(['id-37', 'id-38', 'id-39']);
  });

  it('answers an unknown marker with the resource NotFound', async () => {
    await expect(list(query({ limit: 3, marker: 'nope' }))).rejects.toThrow('Thing nope could not be found.');
  });

  it('applies the four tag filters', async () => {
    const ids = async (tagFilters: ListQuery['tagFilters']) => (await list(query({ tagFilters }))).map((r) => r.id).slice(0, 4);
    expect(await ids({ tags: ['red', 'blue'] })).toEqual(['id-00']);
    expect(await ids({ tagsAny: ['red', 'blue'] })).toEqual(['id-00', 'id-01', 'id-02']);
    expect(await ids({ notTags: ['red', 'blue'] })).toEqual(['id-01', 'id-02', 'id-03', 'id-04']);
    expect(await ids({ notTagsAny: ['red', 'blue'] })).toEqual(['id-03', 'id-04', 'id-05', 'id-06']);
  });

  it('treats values as data, not SQL', async () => {
    expect(await list(query({ filters: [{ attr: 'name', values: ["'; DROP TABLE things; --"] }] }))).toEqual([]);
    expect((await list(query({}))).length).toBe(40);
  });
});
