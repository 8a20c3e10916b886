/** Query values as Keystone reads them: the first one when repeated. */
export type Query = Record<string, string | string[] | undefined>;

export function queryValue(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Keystone's query_filter_is_true: present and not "0". */
export function queryFlag(q: Query, key: string): boolean {
  return key in q && queryValue(q, key) !== '0';
}

/** Keystone's attr_as_boolean for the `enabled` filter: oslo's false strings, anything else is true. */
export function queryBoolean(q: Query, key: string): boolean | undefined {
  const v = queryValue(q, key);
  if (v === undefined) return undefined;
  return !['0', 'f', 'false', 'n', 'no', 'off'].includes(v.trim().toLowerCase());
}

/** Keystone's exact-match list filters over in-memory rows: every named filter present in the query must match. */
export function matchesFilters(row: object, q: Query, keys: readonly string[]): boolean {
  const values = row as Record<string, unknown>;
  return keys.every((k) => {
    const wanted = queryValue(q, k);
    return wanted === undefined || String(values[k] ?? '') === wanted;
  });
}
