import { createRequire } from 'node:module';

/**
 * Several statements of one transaction behind a single Sync: PostgreSQL answers each Sync with its own flushed packet,
 * so statements pipelined one Sync each cost the server a send and the appliance a wake-up per statement. Behind one
 * Sync they come back together. Inside a transaction this changes nothing a caller can see: after a failed statement
 * PostgreSQL refuses the rest of the transaction anyway, and those later statements get the error PostgreSQL would have
 * given them (25P02, "current transaction is aborted").
 *
 * The batch is a pg `Query` (pg's pipeline mode accepts no other kind) that writes every statement's
 * Parse/Bind/Describe/Execute, then one Sync, and hands each statement its own result.
 */

/** One statement as pg's `client.query(config)` takes it, with the promise its caller awaits. */
export interface BatchedStatement {
  text: string;
  name?: string;
  values?: unknown[];
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

interface PgResult {
  addFields(fields: unknown[]): void;
  parseRow(fields: unknown[]): unknown;
  addRow(row: unknown): void;
  addCommandComplete(msg: unknown): void;
}

interface PgConnection {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  stream: { cork?: () => void; uncork?: () => void };
  parse(q: { text: string; name?: string }): void;
  bind(b: { portal: string; statement?: string; values?: unknown[]; valueMapper: (v: unknown) => unknown }): void;
  describe(d: { type: 'P'; name: string }): void;
  execute(e: { portal: string }): void;
  sync(): void;
  sendCopyFail(msg: string): void;
}

type QueryClass = new (config: { text: string }) => { _result: PgResult & { _types?: unknown } };
type BatchClass = new (statements: BatchedStatement[]) => { parseCompleted(): void };

const batchClasses = new WeakMap<QueryClass, BatchClass>();
let prepareValue: ((v: unknown) => unknown) | undefined;

/** The error PostgreSQL gives a statement sent after a failed one in the same transaction. */
export function abortedTransactionError(cause: unknown): Error {
  const error = new Error('current transaction is aborted, commands ignored until end of transaction block') as Error & {
    code: string;
    cause: unknown;
  };
  error.code = '25P02';
  error.cause = cause;
  return error;
}

/** A batch class for this pg client's `Query` (taken from the client, so SQLite-only starts never load pg). */
export function batchClassFor(Query: QueryClass): BatchClass {
  const known = batchClasses.get(Query);
  if (known) return known;
  // pg's own value serialisation (dates, buffers, arrays, JSON), as its Query uses for Bind.
  prepareValue ??= (createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (v: unknown) => unknown }).prepareValue;
  const mapValue = prepareValue;

  class StatementBatch extends Query {
    private readonly results: (PgResult | undefined)[] = [];
    /** The statement PostgreSQL is answering now; each CommandComplete (or EmptyQuery) moves to the next. */
    private at = 0;
    /** The statements whose Parse went out, in order; `parsed` of them were answered (ParseComplete). */
    private readonly parses: number[] = [];
    private parsed = 0;
    private connection: PgConnection | undefined;
    /** A row pg could not parse: its statement fails, the others (which ran) do not. */
    private rowError: { at: number; error: unknown } | undefined;

    constructor(private readonly statements: BatchedStatement[]) {
      super({ text: '' });
    }

    submit(connection: PgConnection): void {
      this.connection = connection;
      connection.stream.cork?.();
      try {
        this.statements.forEach((s, i) => {
          if (!s.name || (connection.parsedStatements[s.name] === undefined && connection.submittedNamedStatements[s.name] === undefined)) {
            connection.parse({ text: s.text, name: s.name });
            if (s.name) connection.submittedNamedStatements[s.name] = s.text;
            this.parses.push(i);
          }
          connection.bind({ portal: '', statement: s.name ?? '', values: s.values ?? [], valueMapper: mapValue });
          connection.describe({ type: 'P', name: '' });
          connection.execute({ portal: '' });
        });
        connection.sync();
      } finally {
        connection.stream.uncork?.();
      }
    }

    private newResult(): PgResult {
      return new (this._result.constructor as new (mode: undefined, types: unknown) => PgResult)(undefined, this._result._types);
    }

    private current(): PgResult {
      return (this.results[this.at] ??= this.newResult());
    }

    handleRowDescription(msg: { fields: unknown[] }): void {
      this.current().addFields(msg.fields);
    }

    handleDataRow(msg: { fields: unknown[] }): void {
      if (this.rowError?.at === this.at) return;
      try {
        const result = this.current();
        result.addRow(result.parseRow(msg.fields));
      } catch (error) {
        this.rowError ??= { at: this.at, error };
      }
    }

    /** A ParseComplete while this batch is the client's active query: a named statement is now kept by the server. */
    parseCompleted(): void {
      const s = this.statements[this.parses[this.parsed++]];
      if (s?.name && this.connection) {
        this.connection.parsedStatements[s.name] = s.text;
        delete this.connection.submittedNamedStatements[s.name];
      }
    }

    handleCommandComplete(msg: unknown): void {
      this.current().addCommandComplete(msg);
      this.at++;
    }

    handleEmptyQuery(): void {
      this.current();
      this.at++;
    }

    handleError(error: unknown): void {
      // PostgreSQL skipped everything after the failure up to the Sync, Parses too: those names are not kept.
      for (const i of this.parses.splice(0).slice(this.parsed)) {
        const name = this.statements[i].name;
        if (name && this.connection) delete this.connection.submittedNamedStatements[name];
      }
      this.statements.forEach((s, i) => {
        if (i < this.at) s.resolve(this.results[i]);
        else if (i === this.at) s.reject(error);
        else s.reject(abortedTransactionError(error));
      });
    }

    handleReadyForQuery(): void {
      this.statements.forEach((s, i) => {
        if (this.rowError?.at === i) s.reject(this.rowError.error);
        else s.resolve(this.results[i] ?? this.newResult());
      });
    }

    handlePortalSuspended(): void {}

    handleCopyInResponse(connection: PgConnection): void {
      connection.sendCopyFail('COPY is not supported in a statement batch');
    }

    handleCopyData(): void {}
  }

  batchClasses.set(Query, StatementBatch as unknown as BatchClass);
  return StatementBatch as unknown as BatchClass;
}
