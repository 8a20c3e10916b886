import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { IpVersion } from '../../api/validators/ip.js';
import { FreeRangeEntity, type FreeRangeRow } from './ipam.entities.js';
import { fromHex, type IpRange, toHex } from './ip-math.js';

/**
 * The free ranges of a subnet's allocation pools. Every operation touches O(1) rows through the
 * (subnet_id, first_ip) primary key, whatever the number of allocated addresses; on PostgreSQL the rows read are
 * locked (SELECT … FOR UPDATE) so concurrent allocations queue on the range they both want.
 */
export class FreeRanges {
  constructor(
    private readonly em: EntityManager,
    private readonly subnetId: string,
    private readonly version: IpVersion,
  ) {}

  /** Takes the lowest free address, or undefined when the pools are exhausted. */
  async takeLowest(): Promise<bigint | undefined> {
    // A range deleted under our lock is skipped by PostgreSQL; an empty answer is re-read once with a fresh snapshot
    // (READ COMMITTED), so a range re-created by a concurrent pool update is not missed.
    for (let attempt = 0; attempt < 2; attempt++) {
      const row = await this.locked(this.query().orderBy('r.first_ip', 'ASC').limit(1)).getOne();
      if (row) {
        const first = fromHex(row.first_ip);
        await this.shrink(row, first);
        return first;
      }
    }
    return undefined;
  }

  /** Takes one given address out of its free range; false when no free range holds it (allocated or outside the pools). */
  async take(ip: bigint): Promise<boolean> {
    const row = await this.rangeAtOrBelow(ip);
    if (!row || fromHex(row.last_ip) < ip) return false;
    await this.shrink(row, ip);
    return true;
  }

  /** Puts an address back, merged with its neighbours. Only for addresses inside the subnet's pools. */
  async give(ip: bigint): Promise<void> {
    const left = await this.rangeAtOrBelow(ip - 1n);
    const leftAdjacent = left && fromHex(left.last_ip) === ip - 1n ? left : undefined;
    const right = await this.locked(this.query().andWhere('r.first_ip = :f', { f: this.hex(ip + 1n) })).getOne();
    if (leftAdjacent && right) {
      await this.setLast(leftAdjacent, right.last_ip);
      await this.remove(right);
    } else if (leftAdjacent) {
      await this.setLast(leftAdjacent, this.hex(ip));
    } else if (right) {
      await this.update(right, { first_ip: this.hex(ip) });
    } else {
      await this.repo().insert({ subnet_id: this.subnetId, first_ip: this.hex(ip), last_ip: this.hex(ip) });
    }
  }

  /** Replaces all ranges (new subnet, changed pools). The old rows are deleted first so concurrent takers wait. */
  async reset(ranges: IpRange[]): Promise<void> {
    await this.repo().delete({ subnet_id: this.subnetId });
    if (!ranges.length) return;
    const rows = ranges.map((r) => ({ subnet_id: this.subnetId, first_ip: this.hex(r.first), last_ip: this.hex(r.last) }));
    for (let i = 0; i < rows.length; i += 500) await this.repo().insert(rows.slice(i, i + 500));
  }

  private async shrink(row: FreeRangeRow, ip: bigint): Promise<void> {
    const first = fromHex(row.first_ip);
    const last = fromHex(row.last_ip);
    if (first === last) await this.remove(row);
    else if (ip === first) await this.update(row, { first_ip: this.hex(ip + 1n) });
    else if (ip === last) await this.setLast(row, this.hex(ip - 1n));
    else {
      await this.setLast(row, this.hex(ip - 1n));
      await this.repo().insert({ subnet_id: this.subnetId, first_ip: this.hex(ip + 1n), last_ip: row.last_ip });
    }
  }

  private rangeAtOrBelow(ip: bigint): Promise<FreeRangeRow | null> {
    if (ip < 0n) return Promise.resolve(null);
    return this.locked(this.query().andWhere('r.first_ip <= :ip', { ip: this.hex(ip) }).orderBy('r.first_ip', 'DESC').limit(1)).getOne();
  }

  private query(): SelectQueryBuilder<FreeRangeRow> {
    return this.repo().createQueryBuilder('r').where('r.subnet_id = :subnetId', { subnetId: this.subnetId });
  }

  private locked(qb: SelectQueryBuilder<FreeRangeRow>): SelectQueryBuilder<FreeRangeRow> {
    return this.em.connection.options.type === 'postgres' ? qb.setLock('pessimistic_write') : qb;
  }

  private setLast(row: FreeRangeRow, lastHex: string): Promise<unknown> {
    return this.update(row, { last_ip: lastHex });
  }

  private update(row: FreeRangeRow, set: Partial<FreeRangeRow>): Promise<unknown> {
    return this.repo().update({ subnet_id: this.subnetId, first_ip: row.first_ip }, set);
  }

  private remove(row: FreeRangeRow): Promise<unknown> {
    return this.repo().delete({ subnet_id: this.subnetId, first_ip: row.first_ip });
  }

  private hex(value: bigint): string {
    return toHex(value, this.version);
  }

  private repo() {
    return this.em.getRepository(FreeRangeEntity);
  }
}
