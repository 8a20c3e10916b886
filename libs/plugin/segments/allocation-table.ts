import { isPostgres } from '../../db/index.js';
import type { EntityManager } from 'typeorm';
import type { IdRange } from './segment-ranges.js';

/**
 * One type driver's allocation table (ml2_vlan_allocations, ml2_vxlan_allocations, …). It holds only the ids in use:
 * its primary key — (physical_network, id), or the id alone for tunnels — is what makes an id taken once, across
 * transactions and server replicas. Taking an id is an INSERT … ON CONFLICT DO NOTHING; releasing is a DELETE.
 */
export class AllocationTable {
  constructor(
    readonly table: string,
    /** Column of the segmentation id (vlan_id, vxlan_vni, geneve_vni); undefined for flat (one per physnet). */
    private readonly idColumn: string | undefined,
    /** Column of the physical network; undefined for tunnels. */
    private readonly physnetColumn: string | undefined,
  ) {}

  /** Inserts the allocation; false when it is already taken (committed, or by a concurrent transaction that commits). */
  async take(em: EntityManager, physnet: string | null, id: number | null): Promise<boolean> {
    const cols = this.keyColumns();
    const values = this.keyValues(physnet, id);
    const sql = `INSERT INTO ${this.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING RETURNING ${cols[0]}`;
    const rows = (await em.query(placeholders(em, sql), values)) as unknown[];
    return rows.length === 1;
  }

  async release(em: EntityManager, physnet: string | null, id: number | null): Promise<void> {
    const cols = this.keyColumns();
    const sql = `DELETE FROM ${this.table} WHERE ${cols.map((c) => `${c} = ?`).join(' AND ')}`;
    await em.query(placeholders(em, sql), this.keyValues(physnet, id));
  }

  /**
   * A free id of the ranges, taken; undefined when the ranges are full. Each candidate comes from indexed queries
   * (see nextFree); when a concurrent transaction inserted it first, the insert finds the conflict and the search runs
   * again with the new row visible.
   */
  async takeFree(em: EntityManager, physnet: string | null, ranges: readonly IdRange[]): Promise<number | undefined> {
    // On PostgreSQL a candidate can be one committed after the statement's snapshot: that miss is a race, not a full
    // range, and a fresh statement sees the commit and claims past it (nextFree's take would wait on open inserts).
    const attempts = isPostgres(em) ? RACE_RETRIES + 1 : 1;
    for (const range of ranges) {
      for (let attempt = 0; attempt < attempts; attempt++) {
        const next = await this.takeAfterHighest(em, physnet, range);
        if (next !== undefined) return next;
      }
      for (;;) {
        const candidate = await this.nextFree(em, physnet, range);
        if (candidate === undefined) break;
        if (await this.take(em, physnet, candidate)) return candidate;
      }
    }
    return undefined;
  }

  /**
   * The common case in one statement: takes the id after the highest one in use (the range's start when none is);
   * undefined when the range's top is taken or a concurrent transaction took that id, and nextFree's search decides.
   */
  private async takeAfterHighest(em: EntityManager, physnet: string | null, [min, max]: IdRange): Promise<number | undefined> {
    const id = this.idColumn;
    if (!id) return undefined;
    const scoped = this.physnetColumn ? ` AND a.${this.physnetColumn} = ?` : '';
    const scopeArgs = this.physnetColumn ? [physnet] : [];
    const cols = this.keyColumns();
    const highest = `SELECT a.${id} FROM ${this.table} a WHERE a.${id} >= ? AND a.${id} <= ?${scoped} ORDER BY a.${id} DESC LIMIT 1`;
    const next = `COALESCE((${highest}) + 1, CAST(? AS INTEGER))`;
    const insert = `INSERT INTO ${this.table} (${cols.join(', ')}) SELECT ${this.physnetColumn ? '?, ' : ''}c FROM `;
    if (!isPostgres(em)) {
      const sql = `${insert}(SELECT ${next} AS c) n WHERE c <= ? ON CONFLICT DO NOTHING RETURNING ${id} AS c`;
      const rows = (await em.query(sql, [...scopeArgs, min, max, ...scopeArgs, min, max])) as { c: number | string }[];
      return rows.length ? Number(rows[0].c) : undefined;
    }
    // Concurrent creates all see the same highest id. Inserting the same next one, each would wait for the one before
    // it to commit (an insert that meets an uncommitted key waits for its outcome): network create at concurrency 8
    // had a p99 of 100+ ms. Each claims a candidate with a lock it does not wait for, and the next one takes the next.
    const sql =
      `${insert}(SELECT c FROM generate_series(${next}, LEAST(${next} + ${CANDIDATES - 1}, CAST(? AS INTEGER))) c ` +
      `WHERE pg_try_advisory_xact_lock(hashtext(?), c) LIMIT 1) n ON CONFLICT DO NOTHING RETURNING ${id} AS c`;
    const lockSpace = `${this.table}\n${physnet ?? ''}`;
    const nextArgs = [min, max, ...scopeArgs, min];
    const args = [...scopeArgs, ...nextArgs, ...nextArgs, max, lockSpace];
    const rows = (await em.query(placeholders(em, sql), args)) as { c: number | string }[];
    return rows.length ? Number(rows[0].c) : undefined;
  }

  /**
   * The id after the highest one in use (one index lookup, whatever the number of allocations); once the range's top
   * is taken, the lowest free id (the range's start, or the id after an allocated one that has no allocation of its
   * own: one query walking the index up to the first gap). Released ids are reused when the range wraps.
   */
  private async nextFree(em: EntityManager, physnet: string | null, [min, max]: IdRange): Promise<number | undefined> {
    const id = this.idColumn!;
    const inScope = (alias: string) => (this.physnetColumn ? ` AND ${alias}.${this.physnetColumn} = ?` : '');
    const scopeArgs = this.physnetColumn ? [physnet] : [];
    const highest = `SELECT a.${id} AS c FROM ${this.table} a WHERE a.${id} >= ? AND a.${id} <= ?${inScope('a')} ORDER BY a.${id} DESC LIMIT 1`;
    const [top] = (await em.query(placeholders(em, highest), [min, max, ...scopeArgs])) as { c: number | string }[];
    if (!top) return min;
    if (Number(top.c) < max) return Number(top.c) + 1;
    const lowest =
      `SELECT c FROM (SELECT CAST(? AS INTEGER) AS c UNION ALL ` +
      `SELECT a.${id} + 1 FROM ${this.table} a WHERE a.${id} >= ? AND a.${id} < ?${inScope('a')}) cand ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${this.table} b WHERE b.${id} = cand.c${inScope('b')}) ORDER BY c LIMIT 1`;
    const rows = (await em.query(placeholders(em, lowest), [min, min, max, ...scopeArgs, ...scopeArgs])) as { c: number | string }[];
    return rows.length ? Number(rows[0].c) : undefined;
  }

  private keyColumns(): string[] {
    return [this.physnetColumn, this.idColumn].filter((c): c is string => c !== undefined);
  }

  private keyValues(physnet: string | null, id: number | null): unknown[] {
    return [...(this.physnetColumn ? [physnet] : []), ...(this.idColumn ? [id] : [])];
  }
}

/** Ids past the highest one that concurrent creates on PostgreSQL try to claim before searching (nextFree). */
const CANDIDATES = 16;
/** Times a PostgreSQL transaction claims again after its candidate was committed by another under its snapshot. */
const RACE_RETRIES = 2;

/** `?` placeholders as the dialect wants them ($1, $2… on PostgreSQL). */
function placeholders(em: EntityManager, sql: string): string {
  if (!isPostgres(em)) return sql;
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
