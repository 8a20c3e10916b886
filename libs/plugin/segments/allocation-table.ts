import type { EntityManager } from 'typeorm';
import type { IdRange } from './segment-ranges.js';

/**
 * One type driver's allocation table (ml2_vlan_allocations, ml2_vxlan_allocations, …). It holds only the ids in use:
 * its primary key — (physical_network, id), or the id alone for tunnels — is what makes an id taken once, across
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
   * The lowest id of the ranges not in use, taken; undefined when the ranges are full. The candidate comes from one
   * indexed query (the range's start, or the id after an allocated one, with no allocation of its own); when a
   * concurrent transaction inserted it first the insert finds the conflict and the search runs again.
   */
  async takeLowest(em: EntityManager, physnet: string | null, ranges: readonly IdRange[]): Promise<number | undefined> {
    for (const range of ranges) {
      for (;;) {
        const candidate = await this.lowestFree(em, physnet, range);
        if (candidate === undefined) break;
        if (await this.take(em, physnet, candidate)) return candidate;
      }
    }
    return undefined;
  }

  private async lowestFree(em: EntityManager, physnet: string | null, [min, max]: IdRange): Promise<number | undefined> {
    const id = this.idColumn!;
    const inScope = (alias: string) => (this.physnetColumn ? ` AND ${alias}.${this.physnetColumn} = ?` : '');
    const scopeArgs = this.physnetColumn ? [physnet] : [];
    const sql =
      `SELECT c FROM (SELECT CAST(? AS INTEGER) AS c UNION ALL ` +
      `SELECT a.${id} + 1 FROM ${this.table} a WHERE a.${id} >= ? AND a.${id} < ?${inScope('a')}) cand ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${this.table} b WHERE b.${id} = cand.c${inScope('b')}) ORDER BY c LIMIT 1`;
    const rows = (await em.query(placeholders(em, sql), [min, min, max, ...scopeArgs, ...scopeArgs])) as { c: number | string }[];
    return rows.length ? Number(rows[0].c) : undefined;
  }

  private keyColumns(): string[] {
    return [this.physnetColumn, this.idColumn].filter((c): c is string => c !== undefined);
  }

  private keyValues(physnet: string | null, id: number | null): unknown[] {
    return [...(this.physnetColumn ? [physnet] : []), ...(this.idColumn ? [id] : [])];
  }
}

/** `?` placeholders as the dialect wants them ($1, $2… on PostgreSQL). */
function placeholders(em: EntityManager, sql: string): string {
  if (em.connection.options.type !== 'postgres') return sql;
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
