import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** The most units of work one SQLite commit carries: bounds how long the first of them waits for the others. */
export const MAX_GROUP = 16;

interface Read {
  kind: 'read';
  work: () => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}
interface Unit {
  kind: 'unit';
  work: (em: EntityManager) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}
type Item = Read | Unit;

/** TypeORM's runner with the depth it keeps for nested transactions (savepoints). */
type Runner = Omit<QueryRunner, 'isTransactionActive'> & { transactionDepth: number; isTransactionActive: boolean };

/**
 * better-sqlite3 has one connection, so every unit of work and every read takes it in turn (a read never sees another
 * unit's uncommitted rows). Units of work queued together commit together ("group commit"): the first runs in the
 * transaction, each of the others in a savepoint of it, and one COMMIT ends them all. A commit writes every page the
 * transaction changed to the write-ahead log, and concurrent creates change mostly the same pages (the last leaf of
 * each table and index), so eight port creates write about the pages of one or two instead of eight times as many.
 *
 * What a caller sees does not change: a unit's promise settles only once its rows are committed (or rolled back), a
 * failed unit leaves nothing behind (its savepoint is rolled back, the others go on), and the units queued behind a
 * read may commit before it runs, which is an order their callers cannot tell apart (none of them had its answer yet).
 * Should SQLite itself roll the whole transaction back (a full disk, an I/O error), every unit of the group fails
 * with that error, as each would have alone.
 */
export class SqliteQueue {
  private readonly queue: Item[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly ds: DataSource,
    private readonly maxGroup = MAX_GROUP,
  ) {}

  /** Units of work and reads holding or waiting for the connection. */
  get pending(): number {
    return this.queue.length + (this.draining ? 1 : 0);
  }

  read<T>(work: () => Promise<T>): Promise<T> {
    return this.push<T>({ kind: 'read', work } as Omit<Read, 'resolve' | 'reject'>);
  }

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.push<T>({ kind: 'unit', work } as Omit<Unit, 'resolve' | 'reject'>);
  }

  /** Resolves once nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private push<T>(item: Omit<Read, 'resolve' | 'reject'> | Omit<Unit, 'resolve' | 'reject'>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ ...item, resolve, reject } as Item);
      // `draining` is cleared by drain() itself in the turn it finds the queue empty: no item can slip in between
      if (!this.draining) this.draining = this.drain();
    });
  }

  private async drain(): Promise<void> {
    for (let item = this.queue.shift(); item; item = this.queue.shift() ?? this.stop()) {
      if (item.kind === 'unit') {
        await this.group(item);
        continue;
      }
      try {
        item.resolve(await item.work());
      } catch (error) {
        item.reject(error);
      }
    }
  }

  private stop(): undefined {
    this.draining = undefined;
    return undefined;
  }

  /** The first unit, then every unit queued meanwhile (reads keep their place), in one transaction. */
  private async group(first: Unit): Promise<void> {
    const runner = this.ds.createQueryRunner() as Runner;
    const done: { unit: Unit; value: unknown }[] = [];
    try {
      await runner.startTransaction();
      done.push({ unit: first, value: await first.work(runner.manager) });
    } catch (error) {
      await this.abandon(runner);
      first.reject(error);
      return;
    }
    // better-sqlite3 answers within the turn, so a unit runs start to end before any other request is even read: the
    // requests that arrived meanwhile are parsed in this turn's I/O phase and queue their units before setImmediate.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (let next = this.nextUnit(); next && done.length < this.maxGroup; next = done.length < this.maxGroup ? this.nextUnit() : undefined) {
      try {
        await runner.startTransaction(); // SAVEPOINT
        const value = await next.work(runner.manager);
        await runner.commitTransaction(); // RELEASE
        done.push({ unit: next, value });
      } catch (error) {
        next.reject(error);
        if (!(await this.undoSavepoint(runner))) {
          for (const d of done) d.unit.reject(error);
          return;
        }
      }
    }
    try {
      await runner.commitTransaction();
    } catch (error) {
      await this.abandon(runner);
      for (const d of done) d.unit.reject(error);
      return;
    }
    for (const d of done) d.unit.resolve(d.value);
  }

  private nextUnit(): Unit | undefined {
    const at = this.queue.findIndex((item) => item.kind === 'unit');
    return at < 0 ? undefined : (this.queue.splice(at, 1)[0] as Unit);
  }

  /** Undoes a failed unit's savepoint; false when the whole transaction is gone (then it is cleaned up). */
  private async undoSavepoint(runner: Runner): Promise<boolean> {
    if (this.inTransaction()) {
      try {
        await runner.rollbackTransaction(); // ROLLBACK TO: the other units' rows stay
        await runner.query(`RELEASE SAVEPOINT typeorm_${runner.transactionDepth}`);
        return true;
      } catch {
        // fall through: give the transaction up
      }
    }
    await this.abandon(runner);
    return false;
  }

  /** Rolls back what is left of the transaction, if SQLite has not already. */
  private async abandon(runner: Runner): Promise<void> {
    try {
      if (this.inTransaction()) await runner.query('ROLLBACK');
    } catch {
      // nothing left to roll back
    }
    this.reset(runner);
  }

  private reset(runner: Runner): void {
    runner.transactionDepth = 0;
    runner.isTransactionActive = false;
  }

  private inTransaction(): boolean {
    const db = (this.ds.driver as unknown as { databaseConnection?: { inTransaction?: boolean } }).databaseConnection;
    return db?.inTransaction ?? false;
  }
}
