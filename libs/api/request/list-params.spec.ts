import { describe, expect, it } from 'vitest';
import { NeutronError } from '../errors/neutron-error.js';
import type { AttributeMap } from '../resource/attribute.js';
import { paginationLinks, parseFilters, parseLimit, parseListQuery, parseSorts } from './list-params.js';

const bool = (v: unknown) => v === 'true' || v === 'True' || v === '1';
const attrs: AttributeMap = {
  id: { allowPost: false, allowPut: false, isFilter: true, isSortKey: true },
  name: { allowPost: true, allowPut: true, isFilter: true, isSortKey: true },
  shared: { allowPost: true, allowPut: true, isFilter: true, convert: bool },
  tenant_id: { allowPost: true, allowPut: false, isFilter: true, isSortKey: true, column: 'project_id' },
  project_id: { allowPost: true, allowPut: false, isFilter: true, isSortKey: true, column: 'project_id' },
  subnets: { allowPost: false, allowPut: false },
};

function error(fn: () => unknown): NeutronError {
  try {
    fn();
  } catch (e) {
    if (e instanceof NeutronError) return e;
    throw e;
  }
  throw new Error('expected a NeutronError');
}

describe('filters', () => {
  it('turns a repeated key into one OR filter and converts values', () => {
    const { filters } = parseFilters({ name: ['a', 'b'], shared: 'True' }, attrs, false);
    expect(filters).toEqual([
      { attr: 'name', values: ['a', 'b'] },
      { attr: 'shared', values: [true] },
    ]);
  });

  it('keeps the empty string (empty-string-filtering)', () => {
    expect(parseFilters({ name: '' }, attrs, false).filters).toEqual([{ attr: 'name', values: [''] }]);
  });

  it('maps tenant_id onto project_id', () => {
    expect(parseFilters({ tenant_id: 'p1' }, attrs, false).filters).toEqual([{ attr: 'project_id', values: ['p1'] }]);
  });

  it('refuses attributes that are not filters, naming all of them as a Python list', () => {
    const e = error(() => parseFilters({ foo: '1', subnets: 'x', name: 'a' }, attrs, false));
    expect([e.status, e.type, e.message]).toEqual([400, 'HTTPBadRequest', "['foo', 'subnets'] is invalid attribute for filtering"]);
  });

  it('reads tag filters as comma lists or repeated keys on taggable resources only', () => {
    const { tagFilters } = parseFilters({ tags: ['a,b', 'c'], 'not-tags-any': 'x' }, attrs, true);
    expect(tagFilters).toEqual({ tags: ['a', 'b', 'c'], notTagsAny: ['x'] });
    expect(error(() => parseFilters({ tags: 'a' }, attrs, false)).message).toBe("['tags'] is invalid attribute for filtering");
  });

  it('ignores the paging and fields parameters', () => {
    expect(parseFilters({ fields: 'id', limit: '2', marker: 'x', sort_key: 'name', sort_dir: 'asc', page_reverse: 'True' }, attrs, false).filters).toEqual([]);
  });
});

describe('sorting', () => {
  it('pairs keys and directions by position and appends id as tie-breaker', () => {
    expect(parseSorts({ sort_key: ['name', 'tenant_id'], sort_dir: ['desc', 'asc'] }, attrs)).toEqual([
      { attr: 'name', dir: 'desc' },
      { attr: 'project_id', dir: 'asc' },
      { attr: 'id', dir: 'asc' },
    ]);
  });

  it('does not add id twice', () => {
    expect(parseSorts({ sort_key: 'id', sort_dir: 'desc' }, attrs)).toEqual([{ attr: 'id', dir: 'desc' }]);
  });

  it('has Neutron messages for every mistake', () => {
    expect(error(() => parseSorts({ sort_key: 'name' }, attrs)).message).toBe('The number of sort_keys and sort_dirs must be same');
    expect(error(() => parseSorts({ sort_key: 'shared', sort_dir: 'asc' }, attrs)).message).toBe("['shared'] is invalid attribute for sort_keys");
    expect(error(() => parseSorts({ sort_key: 'name', sort_dir: 'up' }, attrs)).message).toBe(
      "['up'] is invalid value for sort_dirs, valid value is 'asc' and 'desc'",
    );
  });
});

describe('limit', () => {
  it('accepts integers ≥ 0; 0 means no paging', () => {
    expect(parseLimit({ limit: '5' }, -1)).toBe(5);
    expect(parseLimit({ limit: '0' }, -1)).toBeUndefined();
    expect(parseLimit({}, -1)).toBeUndefined();
  });

  it('is capped by pagination_max_limit', () => {
    expect(parseLimit({ limit: '500' }, 100)).toBe(100);
    expect(parseLimit({}, 100)).toBe(100);
  });

  it('refuses anything else with BadRequest', () => {
    for (const bad of ['x', '-1', '1.5', '']) {
      const e = error(() => parseLimit({ limit: bad }, -1));
      expect([e.type, e.message]).toEqual(['BadRequest', `Bad limit request: Limit must be an integer 0 or greater and not '${bad}'.`]);
    }
  });

  it('refuses a limit past 2^53 - 1 unless a cap applies', () => {
    const e = error(() => parseLimit({ limit: '99999999999999999999' }, -1));
    expect([e.status, e.type, e.message]).toEqual([
      400,
      'BadRequest',
      "Bad limit request: Limit must be an integer between 0 and 9007199254740991 and not '99999999999999999999'.",
    ]);
    expect(parseLimit({ limit: '9007199254740991' }, -1)).toBe(9007199254740991);
    expect(parseLimit({ limit: '99999999999999999999' }, 100)).toBe(100);
  });

  it('ignores marker without a limit', () => {
    expect(parseListQuery({ marker: 'abc' }, attrs, { taggable: false, maxLimit: -1 }).marker).toBeUndefined();
  });
});

describe('pagination links', () => {
  const url = 'http://h:9696/v2.0/networks';
  const page = [{ id: 'a' }, { id: 'b' }];

  it('gives a full page next and previous links built from the same query', () => {
    const links = paginationLinks(url, { limit: '2', name: 'x' }, page, 2, false);
    expect(links).toEqual([
      { rel: 'next', href: `${url}?limit=2&name=x&marker=b` },
      { rel: 'previous', href: `${url}?limit=2&name=x&marker=a&page_reverse=True` },
    ]);
  });

  it('drops next on a short forward page and previous on a short reverse page', () => {
    expect(paginationLinks(url, { limit: '3' }, page, 3, false).map((l) => l.rel)).toEqual(['previous']);
    expect(paginationLinks(url, { limit: '3', page_reverse: 'True' }, page, 3, true).map((l) => l.rel)).toEqual(['next']);
  });

  it('omits the marker of an empty page', () => {
    expect(paginationLinks(url, { limit: '3', marker: 'z' }, [], 3, false)).toEqual([
      { rel: 'previous', href: `${url}?limit=3&page_reverse=True` },
    ]);
  });

  it('has no links without a limit', () => {
    expect(paginationLinks(url, {}, page, undefined, false)).toEqual([]);
  });
});
