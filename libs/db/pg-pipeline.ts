import type { EntityManager } from 'typeorm';
import { batchClassFor, type BatchedStatement } from './pg-statement-batch.js';

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
  constructor: unknown;
  connection?: { stream?: { cork?: () => void; uncork?: () => void }; on?: (event: string, listener: () => void) => void };
  _getActiveQuery?: () => unknown;
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

/** Transaction control goes out on its own (and tells whether the client is inside a transaction). */
const CONTROL = /^\s*(START|BEGIN|COMMIT|END|ROLLBACK|ABORT|SAVEPOINT|RELEASE|PREPARE\s+TRANSACTION)\b/i;
const OPENS = /^\s*(START|BEGIN)\b/i;
const COMMITS = /^\s*(COMMIT|END)\s*;?\s*$/i;
const CLOSES = /^\s*(COMMIT|END|ABORT|ROLLBACK(?!\s+(WORK\s+|TRANSACTION\s+)?TO\b))/i;

/** A plain statement (text, optional name and values, promise-returning): the only kind a batch carries. */
function plainStatement(config: unknown, values: unknown, callback: unknown): Omit<BatchedStatement, 'resolve' | 'reject'> | undefined {
  if (callback !== undefined) return undefined;
  if (typeof config === 'string') return Array.isArray(values) || values === undefined ? { text: config, values } : undefined;
  if (!config || typeof config !== 'object' || values !== undefined) return undefined;
  const c = config as { text?: unknown; name?: unknown; values?: unknown; submit?: unknown; rowMode?: unknown; types?: unknown };
  if (typeof c.text !== 'string' || c.submit !== undefined || c.rowMode !== undefined || c.types !== undefined) return undefined;
  if (c.name !== undefined && typeof c.name !== 'string') return undefined;
  if (c.values !== undefined && !Array.isArray(c.values)) return undefined;
  return { text: c.text, name: c.name, values: c.values };
}

/**
 * Everything a client is asked to send within one event-loop turn leaves in one write, and inside a transaction the
 * turn's statements share one Sync (pg-statement-batch.ts), so PostgreSQL answers them in one packet too: pg writes
 * each statement's messages on their own and PostgreSQL flushes at each statement's Sync, which on a loopback costs
 * both sides a wake-up per statement. Outside a transaction statements keep a Sync each: behind one Sync they would
 * share an implicit transaction and one's failure would undo the others.
 */
export function batchPerTurn(client: PgClient): void {
  const stream = client.connection?.stream;
  if (!stream?.cork || !stream.uncork) return;
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const Batch = batchClassFor((client.constructor as unknown as { Query: Parameters<typeof batchClassFor>[0] }).Query);
  // pg tells only its active query's name about a ParseComplete; a batch carries several names
  client.connection?.on?.('parseComplete', () => {
    const active = client._getActiveQuery?.();
    if (active instanceof Batch) active.parseCompleted();
  });
  let inTransaction = false;
  let turn: BatchedStatement[] | undefined;
  let corked = false;
  const send = () => {
    const statements = turn;
    turn = undefined;
    if (!statements) return;
    if (statements.length > 1) {
      query(new Batch(statements));
      return;
    }
    const [s] = statements;
    query(s.name ? { name: s.name, text: s.text, values: s.values } : s.text, s.name ? undefined : s.values).then(s.resolve, s.reject);
  };
  const enqueue = (statement: Omit<BatchedStatement, 'resolve' | 'reject'>) =>
    new Promise((resolve, reject) => (turn ??= []).push({ ...statement, resolve, reject }));
  const endOfTurn = () => {
    send();
    corked = false;
    stream.uncork!();
  };
  client.query = (config: unknown, values?: unknown, callback?: unknown) => {
    if (!corked) {
      corked = true;
      stream.cork!();
      process.nextTick(endOfTurn);
    }
    const statement = plainStatement(config, values, callback);
    if (statement && inTransaction && !CONTROL.test(statement.text)) return enqueue(statement);
    // The transaction's start opens its first batch and its COMMIT closes its last one: no Sync of their own. (Not a
    // ROLLBACK: after a failure PostgreSQL skips the rest of the batch, and the connection must not stay aborted. A
    // skipped COMMIT fails, and the unit of work then sends its ROLLBACK on its own.)
    if (statement && !inTransaction && OPENS.test(statement.text)) {
      send();
      inTransaction = true;
      return enqueue(statement);
    }
    if (statement && inTransaction && turn && COMMITS.test(statement.text)) {
      const committed = enqueue(statement);
      inTransaction = false;
      send();
      return committed;
    }
    send();
    if (statement && CLOSES.test(statement.text)) inTransaction = false;
    return query(config, values, callback);
  };
}
