import type { EntityManager } from 'typeorm';
import { isPostgres, sqlRows, sqlRun, sqlWriteBehind } from '../../db/index.js';
import type { IpVersion } from '../../api/validators/ip.js';
import { FREE_RANGES_TABLE, type FreeRangeRow } from './ipam.entities.js';
import { fromHex, type IpRange, toHex } from './ip-math.js';

/**
 * A range row as read. Its free addresses are next_ip..last_ip; first_ip..next_ip-1 were handed out from it since it
 * was made (first_ip is the row's key and never moves on allocation). The spans first_ip..last_ip of a subnet's rows
 * never overlap, so ordering by first_ip orders the free addresses too.
 */
type FreeRange = Pick<FreeRangeRow, 'first_ip' | 'next_ip' | 'last_ip'>;

const SELECT = `SELECT first_ip, next_ip, last_ip FROM ${FREE_RANGES_TABLE}`;

/** A new free range is stored as up to STRIPES rows of at least STRIPE_MIN addresses: see takeLowest. */
const STRIPES = 16n;
const STRIPE_MIN = 16n;

function stripes(range: IpRange): IpRange[] {
  const size = range.last - range.first + 1n;
  const parts = size / STRIPE_MIN < STRIPES ? size / STRIPE_MIN : STRIPES;
  if (parts <= 1n) return [range];
  const step = size / parts;
  return Array.from({ length: Number(parts) }, (_, i) => {
    const first = range.first + BigInt(i) * step;
    return { first, last: BigInt(i) === parts - 1n ? range.last : first + step - 1n };
  });
}

/**
 * The free ranges of a subnet's allocation pools. Every operation touches O(1) rows through the
 * (subnet_id, first_ip) primary key, whatever the number of allocated addresses; on PostgreSQL the rows read are
 * locked (SELECT … FOR UPDATE) until commit. A pool is stored in stripes, so that concurrent allocations on one
 * subnet each lock their own stripe instead of queueing on the first range for the whole of their transactions.
 */
export class FreeRanges {
  constructor(
    private readonly em: EntityManager,
    private readonly subnetId: string,
    private readonly version: IpVersion,
  ) {}

  /**
   * Takes the lowest free address, or undefined when the pools are exhausted. On PostgreSQL, the lowest address of a
   * stripe no other transaction holds (SKIP LOCKED): alone, that is the lowest free address; concurrent creates
   * get the lowest of the next stripes rather than waiting for each other's commits.
   */
  async takeLowest(): Promise<bigint | undefined> {
    if (isPostgres(this.em)) {
      const [row] = await sqlRows<FreeRange>(this.em, `${SELECT} WHERE subnet_id = ? ORDER BY first_ip ASC LIMIT 1 FOR UPDATE SKIP LOCKED`, [this.subnetId]);
      if (row) {
        const next = fromHex(row.next_ip);
        await this.shrink(row, next);
        return next;
      }
    }
    // Every stripe held (or SQLite): wait for the lowest. A range deleted under our lock is skipped by PostgreSQL; an
    // empty answer is re-read once with a fresh snapshot (READ COMMITTED), so a range re-created by a concurrent pool
    // update is not missed.
    for (let attempt = 0; attempt < 2; attempt++) {
      const row = await this.one(`${SELECT} WHERE subnet_id = ? ORDER BY first_ip ASC LIMIT 1`, []);
      if (row) {
        const next = fromHex(row.next_ip);
        await this.shrink(row, next);
        return next;
      }
    }
    return undefined;
  }

  /** Takes one given address out of its free range; false when no free range holds it (allocated or outside the pools). */
  async take(ip: bigint): Promise<boolean> {
    const row = await this.rangeAtOrBelow(ip);
    if (!row || fromHex(row.last_ip) < ip || ip < fromHex(row.next_ip)) return false;
    await this.shrink(row, ip);
    return true;
  }

  /** Puts an address back, joined to an adjacent range (two stripes are never merged). Only for addresses inside the pools. */
  async give(ip: bigint): Promise<void> {
    const covering = await this.rangeAtOrBelow(ip);
    if (covering && ip < fromHex(covering.next_ip)) return this.giveInsideHandedOut(covering, ip);
    const left = await this.rangeAtOrBelow(ip - 1n);
    const leftAdjacent = left && fromHex(left.last_ip) === ip - 1n ? left : undefined;
    const right = leftAdjacent ? null : await this.one(`${SELECT} WHERE subnet_id = ? AND first_ip = ?`, [this.hex(ip + 1n)]);
    if (leftAdjacent) {
      await this.setLast(leftAdjacent, this.hex(ip));
    } else if (right && right.next_ip === right.first_ip) {
      await this.setStart(right, this.hex(ip));
    } else {
      await this.insert([{ first_ip: this.hex(ip), next_ip: this.hex(ip), last_ip: this.hex(ip) }]);
    }
  }

  /** An address from the handed-out part of a row (first_ip..next_ip-1) comes back. */
  private async giveInsideHandedOut(row: FreeRange, ip: bigint): Promise<void> {
    if (ip === fromHex(row.next_ip) - 1n) {
      await this.setNext(row, this.hex(ip));
      return;
    }
    // The row's span starts at its first free address again, and the address becomes a range of its own (neither
    // neighbour is free: both are in the handed-out part).
    await this.setStart(row, row.next_ip);
    await this.insert([{ first_ip: this.hex(ip), next_ip: this.hex(ip), last_ip: this.hex(ip) }]);
  }

  /** Replaces all ranges (new subnet, changed pools). The old rows are deleted first so concurrent takers wait. */
  async reset(ranges: IpRange[]): Promise<void> {
    await sqlRun(this.em, `DELETE FROM ${FREE_RANGES_TABLE} WHERE subnet_id = ?`, [this.subnetId]);
    const rows = ranges.flatMap(stripes).map((r) => ({ first_ip: this.hex(r.first), next_ip: this.hex(r.first), last_ip: this.hex(r.last) }));
    for (let i = 0; i < rows.length; i += 500) await this.insert(rows.slice(i, i + 500));
  }

  /** Takes a free address (next_ip..last_ip) out of its row. */
  private async shrink(row: FreeRange, ip: bigint): Promise<void> {
    const next = fromHex(row.next_ip);
    const last = fromHex(row.last_ip);
    if (next === last) await this.remove(row);
    else if (ip === next) await this.setNext(row, this.hex(ip + 1n));
    else if (ip === last) await this.setLast(row, this.hex(ip - 1n));
    else {
      await this.setLast(row, this.hex(ip - 1n));
      await this.insert([{ first_ip: this.hex(ip + 1n), next_ip: this.hex(ip + 1n), last_ip: row.last_ip }]);
    }
  }

  private rangeAtOrBelow(ip: bigint): Promise<FreeRange | null> {
    if (ip < 0n) return Promise.resolve(null);
    return this.one(`${SELECT} WHERE subnet_id = ? AND first_ip <= ? ORDER BY first_ip DESC LIMIT 1`, [this.hex(ip)]);
  }

  /** One range of this subnet; on PostgreSQL locked (FOR UPDATE) until the transaction ends. */
  private async one(sql: string, params: unknown[]): Promise<FreeRange | null> {
    const lock = isPostgres(this.em) ? ' FOR UPDATE' : '';
    const [row] = await sqlRows<FreeRange>(this.em, sql + lock, [this.subnetId, ...params]);
    return row ?? null;
  }

  // The writes below change rows this transaction holds locked (or creates): nothing waits for their answers.
  /** The allocation's update: no indexed column changes (a HOT update on PostgreSQL). */
  private setNext(row: FreeRange, nextHex: string): Promise<unknown> {
    return sqlWriteBehind(this.em, `UPDATE ${FREE_RANGES_TABLE} SET next_ip = ? WHERE subnet_id = ? AND first_ip = ?`, [nextHex, this.subnetId, row.first_ip]);
  }

  /** Moves the row's key: only when an address is given back (rare), never on allocation. */
  private setStart(row: FreeRange, startHex: string): Promise<unknown> {
    return sqlWriteBehind(this.em, `UPDATE ${FREE_RANGES_TABLE} SET first_ip = ?, next_ip = ? WHERE subnet_id = ? AND first_ip = ?`, [
      startHex,
      startHex,
      this.subnetId,
      row.first_ip,
    ]);
  }

  private setLast(row: FreeRange, lastHex: string): Promise<unknown> {
    return sqlWriteBehind(this.em, `UPDATE ${FREE_RANGES_TABLE} SET last_ip = ? WHERE subnet_id = ? AND first_ip = ?`, [lastHex, this.subnetId, row.first_ip]);
  }

  private remove(row: FreeRange): Promise<unknown> {
    return sqlWriteBehind(this.em, `DELETE FROM ${FREE_RANGES_TABLE} WHERE subnet_id = ? AND first_ip = ?`, [this.subnetId, row.first_ip]);
  }

  private async insert(ranges: FreeRange[]): Promise<void> {
    if (!ranges.length) return;
    const values = ranges.map(() => '(?, ?, ?, ?)').join(', ');
    const params = ranges.flatMap((r) => [this.subnetId, r.first_ip, r.next_ip, r.last_ip]);
    await sqlWriteBehind(this.em, `INSERT INTO ${FREE_RANGES_TABLE} (subnet_id, first_ip, next_ip, last_ip) VALUES ${values}`, params);
  }

  private hex(value: bigint): string {
    return toHex(value, this.version);
  }
}
