/**
 * The internal bus between the server and its agents: one interface, two transports (in-process, Redis).
 *
 * Payloads and results are plain JSON in both transports; the in-process transport round-trips them through JSON so
 * that nothing works there that Redis would break.
 */
export const BUS = Symbol('BUS');

/** A handler for one method on a topic; what it returns (or throws) is the caller's result for `call`. */
export type BusHandler = (payload: unknown) => unknown;

export interface CallOptions {
  /** RPC timeout; the call rejects with BusTimeoutError after it. Default from config (bus.rpc_timeout_ms). */
  timeoutMs?: number;
}

export interface SubscribeOptions {
  /**
   * false (default): a work-sharing consumer; each `call`/`cast` on the topic reaches one subscriber.
   * true: a fanout listener; every `fanout` on the topic reaches every such subscriber.
   */
  fanout?: boolean;
}

export interface QueueOptions {
  /** Parallel jobs in this process. Default 1. */
  concurrency?: number;
}

export interface EnqueueOptions {
  /** Total tries before the job is given up (logged). Default 10. */
  attempts?: number;
  /** First retry delay, doubled each time. Default 1,000 ms. */
  backoffMs?: number;
  /** Start no earlier than this many ms from now. Default 0. */
  delayMs?: number;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface Bus {
  /** RPC: one subscriber of `topic` runs `method`; resolves with its result, rejects with its error or on timeout. */
  call<T = unknown>(topic: string, method: string, payload: unknown, opts?: CallOptions): Promise<T>;
  /** One subscriber of `topic` runs `method`; fire and forget (resolves once handed to the transport). */
  cast(topic: string, method: string, payload: unknown): Promise<void>;
  /** Every fanout subscriber of `topic` runs `method`; fire and forget. */
  fanout(topic: string, method: string, payload: unknown): Promise<void>;
  /** Registers handlers for the methods of `topic`. */
  subscribe(topic: string, handlers: Record<string, BusHandler>, opts?: SubscribeOptions): Promise<Subscription>;
  /** Retried, durable (on Redis) work: the job survives a restart until a processor of `queue` succeeds. */
  enqueue(queue: string, job: unknown, opts?: EnqueueOptions): Promise<void>;
  /** Runs `worker` for each job of `queue`; a throw retries the job with backoff. */
  process(queue: string, worker: (job: unknown) => Promise<void>, opts?: QueueOptions): Promise<Subscription>;
  close(): Promise<void>;
}

/** What a failed remote handler raised, carried across the transport (name and message only). */
export class BusRemoteError extends Error {
  constructor(
    readonly remoteName: string,
    message: string,
  ) {
    super(message);
    this.name = 'BusRemoteError';
  }
}

export class BusTimeoutError extends Error {
  constructor(topic: string, method: string, ms: number) {
    super(`bus call ${topic}.${method} timed out after ${ms} ms`);
    this.name = 'BusTimeoutError';
  }
}
