import { LRUCache } from 'lru-cache';
import { PgTextArray } from './raw-sql.js';

const isList = (value: unknown) => Array.isArray(value) || value instanceof PgTextArray;

/** The statements given a name, at most: PostgreSQL keeps each one's plan in every pooled connection that ran it. */
const MAX_NAMED = 400;
/** A statement text is named on its second use: one-off texts (bulk inserts of N rows, DDL) never take a slot. */
const USES_BEFORE_NAMING = 2;

interface PgClient {
  query: (...args: unknown[]) => unknown;
}

/**
 * Turns PostgreSQL's per-statement parse and plan into one per connection: a parameterised text that recurs gets a
 * name, and pg then sends Parse once per connection and only Bind/Execute afterwards, which PostgreSQL answers from
 * the statement it kept (and, after a few executions, from a cached generic plan). The request path repeats a few
 * dozen texts, so this removes most of the server's work per statement; texts that are not repeated stay unnamed.
 */
export class PreparedStatements {
  private readonly names = new Map<string, string>();
  private readonly uses = new LRUCache<string, number>({ max: 2_000 });
  private readonly patched = new WeakSet<object>();

  /** Patches one pg client (once) so its parameterised queries use the shared names. */
  adopt(client: PgClient): void {
    if (this.patched.has(client)) return;
    this.patched.add(client);
    const query = client.query.bind(client);
    client.query = (config: unknown, values?: unknown, callback?: unknown) => {
      if (typeof config !== 'string' || !Array.isArray(values) || values.length === 0 || callback !== undefined) {
        return query(config, values, callback);
      }
      // `= ANY($n)` with an id list: a named statement soon runs a generic plan, which cannot know the list's length
      // and scans the whole table comparing each row with every id (200 ms for 1,000 ids among 11,000 rows). Left
      // unnamed, each execution is planned for its list (an index lookup per id).
      if (values.some(isList)) return query(config, values);
      const name = this.nameFor(config);
      return name ? query({ name, text: config, values }) : query(config, values);
    };
  }

  /** The name of a text, once it recurs and while there is room; undefined = send it unnamed. */
  nameFor(text: string): string | undefined {
    const known = this.names.get(text);
    if (known || this.names.size >= MAX_NAMED) return known;
    const seen = (this.uses.get(text) ?? 0) + 1;
    if (seen < USES_BEFORE_NAMING) {
      this.uses.set(text, seen);
      return undefined;
    }
    this.uses.delete(text);
    const name = `neutron_${this.names.size}`;
    this.names.set(text, name);
    return name;
  }
}
