import { badRequest, NeutronError, pyList } from '../errors/neutron-error.js';
import type { AttributeMap } from '../resource/attribute.js';
import type { Filter, ListQuery, SortKey, TagFilters } from '../resource/resource-definition.js';

export type QueryParams = Record<string, string | string[] | undefined>;

const CONTROL_PARAMS = new Set(['fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse']);
const TAG_PARAMS: Record<string, keyof TagFilters> = {
  tags: 'tags',
  'tags-any': 'tagsAny',
  'not-tags': 'notTags',
  'not-tags-any': 'notTagsAny',
};

export function all(params: QueryParams, key: string): string[] {
  const v = params[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** `?fields=a&fields=b`: empty values ignored, as webob's getall + filter. */
export function parseFields(params: QueryParams): string[] {
  return all(params, 'fields').filter((f) => f !== '');
}

/** Neutron's get_filters with filter-validation and empty-string-filtering on. */
export function parseFilters(params: QueryParams, attributes: AttributeMap, taggable: boolean): { filters: Filter[]; tagFilters: TagFilters } {
  const filters: Filter[] = [];
  const tagFilters: TagFilters = {};
  const invalid: string[] = [];
  for (const key of Object.keys(params)) {
    if (CONTROL_PARAMS.has(key)) continue;
    const values = all(params, key);
    if (taggable && key in TAG_PARAMS) {
      const tags = values.flatMap((v) => v.split(',')).filter((t) => t !== '');
      if (tags.length) tagFilters[TAG_PARAMS[key]] = tags;
      continue;
    }
    const spec = attributes[key];
    if (!spec?.isFilter) {
      invalid.push(key);
      continue;
    }
    const convert = spec.convertFilter ?? spec.convert;
    const converted = convert ? values.map((v) => convert(v)) : values;
    if (converted.length) filters.push({ attr: key === 'tenant_id' ? 'project_id' : key, values: converted });
  }
  if (invalid.length) throw badRequest(`${pyList(invalid)} is invalid attribute for filtering`);
  return { filters, tagFilters };
}

export function parseSorts(params: QueryParams, attributes: AttributeMap): SortKey[] {
  const keys = all(params, 'sort_key').filter(Boolean);
  const dirs = all(params, 'sort_dir').filter(Boolean);
  if (keys.length !== dirs.length) throw badRequest('The number of sort_keys and sort_dirs must be same');
  const absent = keys.filter((k) => !attributes[k]?.isSortKey);
  if (absent.length) throw badRequest(`${pyList(absent)} is invalid attribute for sort_keys`);
  const badDirs = dirs.filter((d) => d !== 'asc' && d !== 'desc');
  if (badDirs.length) {
    throw badRequest(`${pyList(badDirs)} is invalid value for sort_dirs, valid value is 'asc' and 'desc'`);
  }
  const sorts: SortKey[] = keys.map((k, i) => ({
    attr: k === 'tenant_id' ? 'project_id' : k,
    dir: dirs[i] as 'asc' | 'desc',
  }));
  if (!sorts.some((s) => s.attr === 'id')) sorts.push({ attr: 'id', dir: 'asc' });
  return sorts;
}

export function parseLimit(params: QueryParams, maxLimit: number): number | undefined {
  const raw = all(params, 'limit')[0];
  let limit = 0;
  if (raw !== undefined) {
    if (!/^\s*[+-]?\d+\s*$/.test(raw) || Number(raw) < 0) {
      throw new NeutronError('BadRequest', `Bad limit request: Limit must be an integer 0 or greater and not '${raw}'.`, 400);
    }
    limit = Number(raw);
    // Python's int has no bound, but no database takes a LIMIT past 64 bits: without a cap, refuse what JS cannot
    // count exactly (Neutron's database would fail with a 500).
    if (limit > Number.MAX_SAFE_INTEGER && maxLimit <= 0) {
      throw new NeutronError('BadRequest', `Bad limit request: Limit must be an integer between 0 and ${Number.MAX_SAFE_INTEGER} and not '${raw}'.`, 400);
    }
  }
  if (maxLimit > 0) limit = limit > 0 ? Math.min(limit, maxLimit) : maxLimit;
  return limit > 0 ? limit : undefined;
}

export function parseListQuery(
  params: QueryParams,
  attributes: AttributeMap,
  opts: { taggable: boolean; maxLimit: number },
): ListQuery {
  const limit = parseLimit(params, opts.maxLimit);
  const { filters, tagFilters } = parseFilters(params, attributes, opts.taggable);
  return {
    filters,
    tagFilters,
    sorts: parseSorts(params, attributes),
    limit,
    marker: limit ? all(params, 'marker')[0] || undefined : undefined,
    pageReverse: (all(params, 'page_reverse')[0] ?? 'False').toLowerCase() === 'true',
    fields: parseFields(params),
  };
}

/** `<collection>_links` exactly as api_common.get_pagination_links builds them. */
export function paginationLinks(
  pathUrl: string,
  params: QueryParams,
  items: { id?: unknown }[],
  limit: number | undefined,
  pageReverse: boolean,
): { rel: string; href: string }[] {
  if (!limit) return [];
  const links: { rel: string; href: string }[] = [];
  if (!(items.length < limit && !pageReverse)) {
    const q = toSearchParams(params, ['marker', 'page_reverse']);
    if (items.length) q.append('marker', String(items[items.length - 1].id));
    links.push({ rel: 'next', href: `${pathUrl}?${q}` });
  }
  if (!(items.length < limit && pageReverse)) {
    const q = toSearchParams(params, ['marker', 'page_reverse']);
    if (items.length) q.append('marker', String(items[0].id));
    q.append('page_reverse', 'True');
    links.push({ rel: 'previous', href: `${pathUrl}?${q}` });
  }
  return links;
}

function toSearchParams(params: QueryParams, drop: string[]): URLSearchParams {
  const q = new URLSearchParams();
  for (const key of Object.keys(params)) {
    if (drop.includes(key)) continue;
    for (const v of all(params, key)) q.append(key, v);
  }
  return q;
}
