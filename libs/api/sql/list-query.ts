import { isPostgres, nativeSqlArrays } from '../../db/index.js';
import type { EntityManager, ObjectLiteral, SelectQueryBuilder, WhereExpressionBuilder } from 'typeorm';
import { Brackets } from 'typeorm';
import type { NeutronError } from '../errors/neutron-error.js';
import type { AttributeMap } from '../resource/attribute.js';
import type { ListQuery, TagFilters } from '../resource/resource-definition.js';
import { TAGS_TABLE } from '../tags/tag.entity.js';

/** Builds a filter condition for an attribute that is not a plain column (e.g. ports' fixed_ips). */
export type CustomFilter<T extends ObjectLiteral> = (qb: SelectQueryBuilder<T>, values: unknown[], param: () => string) => void;

export interface SqlListOptions<T extends ObjectLiteral> {
  alias: string;
  attributes: AttributeMap;
  customFilters?: Record<string, CustomFilter<T>>;
  taggable?: boolean;
  notFound(id: string): NeutronError;
}

/**
 * Applies Neutron's filters, tag filters, sorting and marker/limit pagination to one SELECT, so a list is a single
 * indexed query whatever the table size. Returns the rows in the order the API shows them.
 */
export async function runListQuery<T extends ObjectLiteral>(
  em: EntityManager,
  qb: SelectQueryBuilder<T>,
  query: ListQuery,
  opts: SqlListOptions<T>,
): Promise<T[]> {
  applyListQuery(em, qb, query, opts);
  const rows = await qb.getMany();
  if (rows.length === 0) await requireMarker(em, qb, query, opts);
  return query.pageReverse ? rows.reverse() : rows;
}

/**
 * The same list as arrays of `columns` (then each of `query.joins`' columns, in order), as the driver returns them
 * (SQLite booleans are 0/1, JSON columns text): for big lists, where an object per row costs more than the query.
 */
export async function runArrayListQuery<T extends ObjectLiteral>(
  em: EntityManager,
  qb: SelectQueryBuilder<T>,
  query: ListQuery,
  opts: SqlListOptions<T> & { columns: readonly string[] },
): Promise<unknown[][]> {
  applyListQuery(em, qb, query, opts);
  const [first, ...rest] = opts.columns;
  qb.select(`${opts.alias}.${first}`, first);
  for (const column of rest) qb.addSelect(`${opts.alias}.${column}`, column);
  for (const { alias, join } of query.joins ?? []) {
    qb.leftJoin(join.table, alias, `${alias}.${join.key} = ${opts.alias}.id`);
    for (const column of join.columns) qb.addSelect(`${alias}.${column}`, `${alias}_${column}`);
  }
  const [sql, params] = qb.getQueryAndParameters();
  const rows = await nativeSqlArrays(em, sql, params);
  if (rows.length === 0) await requireMarker(em, qb, query, opts);
  return query.pageReverse ? rows.reverse() : rows;
}

/**
 * A page after a marker that does not exist is Neutron's 404 for it. The page's query compares with the marker's row
 * read in the same statement, so a missing marker gives an empty page, and only an empty page asks whether it exists.
 */
async function requireMarker<T extends ObjectLiteral>(em: EntityManager, qb: SelectQueryBuilder<T>, query: ListQuery, opts: SqlListOptions<T>): Promise<void> {
  if (!query.marker) return;
  const found = await em
    .createQueryBuilder()
    .select('1', 'x')
    .from(qb.expressionMap.mainAlias!.target, 'm')
    .where('m.id = :marker', { marker: query.marker })
    .getRawOne();
  if (!found) throw opts.notFound(query.marker);
}

const INTEGER_RANGES: Record<string, readonly [bigint, bigint]> = {
  smallint: [-(2n ** 15n), 2n ** 15n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
};

/**
 * The filter values an integer column can hold: a number past the column's range (`?mtu=99999999999999999999`) or
 * text that is no integer (`?revision_number=x`) matches no row, where PostgreSQL would fail the query binding it.
 */
function inColumnRange<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, columnName: string, values: unknown[]): unknown[] {
  const type = qb.expressionMap.mainAlias?.metadata.findColumnWithDatabaseName(columnName)?.type;
  const range = typeof type === 'string' ? INTEGER_RANGES[type] : undefined;
  return range ? values.filter((v) => fitsInteger(v, range)) : values;
}

/** Filter values a 32-bit integer column can hold (for filters written by hand, as a custom EXISTS). */
export function int32Values(values: unknown[]): unknown[] {
  return values.filter((v) => fitsInteger(v, INTEGER_RANGES.integer));
}

/** Whether an integer column can hold the value (a number, or integer text as an unconverted filter sends it). */
export function fitsInteger(v: unknown, range: readonly [bigint, bigint]): boolean {
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (typeof v === 'string' && /^\s*[+-]?\d{1,20}\s*$/.test(v)) n = BigInt(v.trim());
  else return typeof v === 'boolean';
  return n >= range[0] && n <= range[1];
}

function applyListQuery<T extends ObjectLiteral>(em: EntityManager, qb: SelectQueryBuilder<T>, query: ListQuery, opts: SqlListOptions<T>): void {
  const sqlite = !isPostgres(em);
  const a = opts.alias;
  let n = 0;
  const param = () => `p${n++}`;
  const value = (v: unknown) => (sqlite && typeof v === 'boolean' ? (v ? 1 : 0) : v);
  const column = (attr: string) => `${a}.${qb.escape(opts.attributes[attr]?.column ?? attr)}`;

  for (const f of query.filters) {
    const custom = opts.customFilters?.[f.attr];
    if (custom) {
      custom(qb, f.values, param);
      continue;
    }
    const p = param();
    const values = inColumnRange(qb, opts.attributes[f.attr]?.column ?? f.attr, f.values);
    if (values.length === 0) qb.andWhere('1 = 0');
    else if (values.length === 1) qb.andWhere(`${column(f.attr)} = :${p}`, { [p]: value(values[0]) });
    else qb.andWhere(`${column(f.attr)} IN (:...${p})`, { [p]: values.map(value) });
  }
  for (const { filter, values } of query.fragmentFilters ?? []) {
    const condition = filter(a, values, param);
    if (condition) qb.andWhere(condition[0], condition[1]);
  }
  if (opts.taggable) applyTagFilters(qb, a, query.tagFilters, param);

  const sorts = query.pageReverse
    ? query.sorts.map((s) => ({ ...s, dir: s.dir === 'asc' ? ('desc' as const) : ('asc' as const) }))
    : query.sorts;
  if (query.marker) {
    // The marker row's sort keys, read by the page's own statement (one round trip, not two); each subquery depends on
    // nothing of the outer row, so both databases evaluate it once and use it as an index bound.
    const pm = param();
    qb.setParameter(pm, query.marker);
    const markerKey = (attr: string) =>
      `(SELECT m.${qb.escape(opts.attributes[attr]?.column ?? attr)} FROM ${qb.escape(qb.expressionMap.mainAlias!.metadata.tableName)} m WHERE m.id = :${pm})`;
    qb.andWhere(
      new Brackets((outer) => {
        sorts.forEach((s, i) => {
          outer.orWhere(
            new Brackets((inner: WhereExpressionBuilder) => {
              for (let j = 0; j < i; j++) inner.andWhere(`${column(sorts[j].attr)} = ${markerKey(sorts[j].attr)}`);
              inner.andWhere(`${column(s.attr)} ${s.dir === 'asc' ? '>' : '<'} ${markerKey(s.attr)}`);
            }),
          );
        });
      }),
    );
  }
  sorts.forEach((s, i) => {
    const order = s.dir === 'asc' ? 'ASC' : 'DESC';
    if (i === 0) qb.orderBy(column(s.attr), order);
    else qb.addOrderBy(column(s.attr), order);
  });
  if (query.limit) qb.limit(query.limit);
}

function applyTagFilters<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, a: string, f: TagFilters, param: () => string): void {
  const exists = (op: '=' | 'IN', values: string | string[]) => {
    const p = param();
    const cond = op === '=' ? `t.tag = :${p}` : `t.tag IN (:...${p})`;
    qb.setParameter(p, values);
    return `EXISTS (SELECT 1 FROM ${TAGS_TABLE} t WHERE t.resource_id = ${a}.id AND ${cond})`;
  };
  if (f.tags) for (const tag of f.tags) qb.andWhere(exists('=', tag));
  if (f.tagsAny) qb.andWhere(exists('IN', f.tagsAny));
  if (f.notTags) qb.andWhere(`NOT (${f.notTags.map((t) => exists('=', t)).join(' AND ')})`);
  if (f.notTagsAny) qb.andWhere(`NOT ${exists('IN', f.notTagsAny)}`);
}
