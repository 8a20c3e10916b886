import type { EntityManager } from 'typeorm';

/**
 * PostgreSQL round trips, fewer of them (pg's pipeline mode): statements a unit of work issues without waiting for
 * each other go out together, and each round trip costs the appliance one write and one wake-up instead of one per
 * statement. On this machine type a loopback write costs about 0.1 ms of CPU, a third of a port create's.
 *
 * - START TRANSACTION is held back and goes out with the transaction's first statement; a transaction that ran nothing
 *   sends neither its start nor its end.
 * - Statements are not chained one after another: concurrent ones (Promise.all) are pipelined, in call order.
 * - `writeBehind` sends a write whose answer nobody reads and lets the unit of work go on; it is checked at COMMIT,
 *   which travels in the same round trip. A failed one turns the COMMIT into a rollback and its own error is raised.
 */

interface PgClient {
  query: (...args: unknown[]) => unknown;
  connection?: { stream?: { cork?: () => void; uncork?: () => void } };
}

interface Runner {
  query: (...args: unknown[]) => Promise<unknown>;
  connect: () => Promise<PgClient>;
  isTransactionActive?: boolean;
}

const pipelines = new WeakMap<object, RunnerPipeline>();
const resolvedEmpty = () => Promise.resolve([]);

/** The per-runner state; one runner is one transaction (or one read) holding one pg client. */
class RunnerPipeline {
  /** Set once START TRANSACTION was handed to the client: the transaction's statements go after it. */
  private begun: Promise<void> | undefined;
  private beginPending = false;
  private readonly behind: Promise<unknown>[] = [];
  /** The first write-behind failure: later statements fail as "transaction aborted", this is the real cause. */
  private failure: unknown;

  constructor(
    private readonly runner: Runner,
    private readonly send: (...args: unknown[]) => Promise<unknown>,
    private readonly counted: () => void,
  ) {}

  query(args: unknown[]): Promise<unknown> {
    const sql = args[0];
    if (sql === 'START TRANSACTION') {
      this.beginPending = true;
      return resolvedEmpty();
    }
    if (this.beginPending) {
      this.beginPending = false;
      if (sql === 'COMMIT' || sql === 'ROLLBACK') return resolvedEmpty();
      this.begun = this.startTransaction();
    }
    if (sql === 'COMMIT') return this.commit(args);
    if (sql === 'ROLLBACK') return this.rollback(args);
    return this.explained(this.after(args));
  }

  writeBehind(args: unknown[]): void {
    this.counted();
    if (this.beginPending) {
      this.beginPending = false;
      this.begun = this.startTransaction();
    }
    const sent = this.after(args);
    sent.catch((error: unknown) => {
      this.failure ??= error;
    });
    this.behind.push(sent);
  }

  private after(args: unknown[]): Promise<unknown> {
    return this.begun ? this.begun.then(() => this.send(...args)) : this.send(...args);
  }

  private async startTransaction(): Promise<void> {
    const client = await this.runner.connect();
    const begin = client.query('START TRANSACTION') as Promise<unknown>;
    // Its answer is checked with the statements': a failed start fails the first of them (transaction aborted).
    this.behind.push(begin);
    begin.catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  private async commit(args: unknown[]): Promise<unknown> {
    const committed = this.after(args);
    const pending = this.behind.splice(0);
    await Promise.allSettled(pending);
    const result = await committed.catch((error: unknown) => {
      throw this.failure ?? error;
    });
    // PostgreSQL answers COMMIT of an aborted transaction with a rollback, not an error.
    if (this.failure !== undefined) throw this.failure;
    return result;
  }

  private rollback(args: unknown[]): Promise<unknown> {
    this.behind.length = 0;
    return this.after(args);
  }

  private explained(run: Promise<unknown>): Promise<unknown> {
    return run.catch((error: unknown) => {
      throw this.failure ?? error;
    });
  }
}

/** Routes a pg query runner's statements through its pipeline (see above); `counted` sees each one sent. */
export function pipelineRunner(runner: Runner, counted: () => void): void {
  const pipeline = new RunnerPipeline(runner, runner.query.bind(runner), counted);
  pipelines.set(runner, pipeline);
  runner.query = (...args: unknown[]) => {
    counted();
    return pipeline.query(args);
  };
}

/**
 * Sends an INSERT/UPDATE/DELETE whose result the caller does not read and returns before its answer. Only for writes
 * that cannot fail but by a bug or a lost connection: a constraint the caller would map to a Neutron error must be
 * awaited. Outside a PostgreSQL transaction (SQLite, autocommit) it simply runs.
 */
export async function writeBehind(em: EntityManager, sql: string, params: unknown[]): Promise<void> {
  const runner = em.queryRunner;
  const pipeline = runner && runner.isTransactionActive ? pipelines.get(runner) : undefined;
  if (!pipeline) {
    await em.query(sql, params);
    return;
  }
  pipeline.writeBehind([sql, params]);
}

/**
 * Everything a client is asked to send within one event-loop turn leaves in one write: pg writes each statement's
 * messages on their own, and a pipelined batch would otherwise cost one syscall per statement.
 */
export function corkPerTurn(client: PgClient): void {
  const stream = client.connection?.stream;
  if (!stream?.cork || !stream.uncork) return;
  const query = client.query.bind(client);
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork!();
  };
  client.query = (...args: unknown[]) => {
    if (!corked) {
      corked = true;
      stream.cork!();
      process.nextTick(uncork);
    }
    return query(...args);
  };
}
