/** Keeps every `IN (…)` list well below the bind-parameter limits of SQLite and PostgreSQL. */
const CHUNK = 5000;

/** Runs `load` on slices of `ids` and merges the maps: one query per 5,000 ids. */
export async function loadInChunks<V>(ids: string[], load: (slice: string[]) => Promise<Map<string, V>>): Promise<Map<string, V>> {
  if (ids.length <= CHUNK) return ids.length ? load(ids) : new Map();
  const merged = new Map<string, V>();
  for (let i = 0; i < ids.length; i += CHUNK) for (const [k, v] of await load(ids.slice(i, i + CHUNK))) merged.set(k, v);
  return merged;
}

/** Groups rows by their `port_id`-like key in `position` order, mapping each row. */
export function groupByKey<R extends { position: number }, V>(rows: R[], key: (row: R) => string, map: (row: R) => V): Map<string, V[]> {
  const byKey = new Map<string, V[]>();
  for (const row of rows.sort((a, b) => a.position - b.position)) {
    const k = key(row);
    const list = byKey.get(k);
    if (list) list.push(map(row));
    else byKey.set(k, [map(row)]);
  }
  return byKey;
}
