/**
 * The bus inside one process: direct dispatch, but every payload and result goes through JSON, so code that works
 * here works over Redis too.
 *
 * Semantics (the Redis transport has the same ones):
 * - `call`/`cast` reach one work-sharing subscriber of the topic, round-robin. With no subscriber the message waits
 *   for one: a `call` until its timeout (then BusTimeoutError), a `cast` for CAST_TTL_MS (then it is dropped). An
 *   agent may well start before the server subscribes.
 * - `fanout` reaches every fanout subscriber there is at that moment; with none it is dropped (pub/sub).
 * - A handler's throw reaches the `call`er as BusRemoteError(name, message); for `cast`/`fanout` it is logged.
 * - Handlers run asynchronously and concurrently, never inside the sender's stack.
 */
import { pino, type Logger } from 'pino';
import {
  type Bus,
  type BusHandler,
  BusTimeoutError,
  type CallOptions,
  type EnqueueOptions,
  type QueueOptions,
  type SubscribeOptions,
  type Subscription,
} from './bus.contract.js';
import { BusClosedError, CAST_TTL_MS, jsonCopy, runHandler, unwrapResult, type WireResult } from './bus-wire.js';
import { InMemoryQueues } from './in-memory-queues.js';

export interface InProcessBusOptions {
  rpcTimeoutMs: number;
  log?: Logger;
}

interface Handlers {
  handlers: Record<string, BusHandler>;
}

interface Message {
  method: string;
  payload: unknown;
  expiresAt: number;
  /** set for a call: where the outcome goes */
  reply?: (wire: WireResult) => void;
}

interface Topic {
  workers: Handlers[];
  nextWorker: number;
  fanout: Set<Handlers>;
  /** call/cast messages that found no worker yet */
  waiting: Message[];
}

export class InProcessBus implements Bus {
  private readonly rpcTimeoutMs: number;
  private readonly log: Logger;
  private readonly topics = new Map<string, Topic>();
  private readonly queues: InMemoryQueues;
  private readonly pendingCalls = new Set<{ fail: (err: Error) => void }>();
  private closed = false;

  constructor(opts: InProcessBusOptions) {
    this.rpcTimeoutMs = opts.rpcTimeoutMs;
    this.log = opts.log ?? pino({ name: 'bus' });
    this.queues = new InMemoryQueues(this.log);
  }

  call<T = unknown>(topic: string, method: string, payload: unknown, opts: CallOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new BusClosedError());
    const timeoutMs = opts.timeoutMs ?? this.rpcTimeoutMs;
    const body = jsonCopy(payload);
    return new Promise<T>((resolve, reject) => {
      const pending = {
        fail: (err: Error) => {
          clearTimeout(timer);
          this.pendingCalls.delete(pending);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.forget(topic, message);
        pending.fail(new BusTimeoutError(topic, method, timeoutMs));
      }, timeoutMs);
      const message: Message = {
        method,
        payload: body,
        expiresAt: Date.now() + timeoutMs,
        reply: (wire) => {
          clearTimeout(timer);
          this.pendingCalls.delete(pending);
          try {
            resolve(unwrapResult<T>(wire));
          } catch (err) {
            reject(err as Error);
          }
        },
      };
      this.pendingCalls.add(pending);
      this.send(topic, message);
    });
  }

  async cast(topic: string, method: string, payload: unknown): Promise<void> {
    if (this.closed) throw new BusClosedError();
    this.send(topic, { method, payload: jsonCopy(payload), expiresAt: Date.now() + CAST_TTL_MS });
  }

  async fanout(topic: string, method: string, payload: unknown): Promise<void> {
    if (this.closed) throw new BusClosedError();
    for (const listener of this.topics.get(topic)?.fanout ?? []) {
      const message = { method, payload: jsonCopy(payload), expiresAt: Infinity };
      setImmediate(() => void this.deliver(topic, listener, message));
    }
  }

  async subscribe(topic: string, handlers: Record<string, BusHandler>, opts: SubscribeOptions = {}): Promise<Subscription> {
    if (this.closed) throw new BusClosedError();
    const state = this.topic(topic);
    const entry: Handlers = { handlers };
    if (opts.fanout) {
      state.fanout.add(entry);
    } else {
      state.workers.push(entry);
      this.drainWaiting(topic, state);
    }
    return {
      close: async () => {
        state.fanout.delete(entry);
        const i = state.workers.indexOf(entry);
        if (i >= 0) state.workers.splice(i, 1);
      },
    };
  }

  enqueue(queue: string, job: unknown, opts: EnqueueOptions = {}): Promise<void> {
    if (this.closed) return Promise.reject(new BusClosedError());
    this.queues.enqueue(queue, job, opts);
    return Promise.resolve();
  }

  process(queue: string, worker: (job: unknown) => Promise<void>, opts: QueueOptions = {}): Promise<Subscription> {
    if (this.closed) return Promise.reject(new BusClosedError());
    return Promise.resolve(this.queues.process(queue, worker, opts));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pending of [...this.pendingCalls]) pending.fail(new BusClosedError());
    this.topics.clear();
    await this.queues.close();
  }

  private topic(name: string): Topic {
    let state = this.topics.get(name);
    if (!state) {
      state = { workers: [], nextWorker: 0, fanout: new Set(), waiting: [] };
      this.topics.set(name, state);
    }
    return state;
  }

  private send(topic: string, message: Message): void {
    const state = this.topic(topic);
    const worker = this.pickWorker(state);
    if (worker) setImmediate(() => void this.deliver(topic, worker, message));
    else state.waiting.push(message);
  }

  private pickWorker(state: Topic): Handlers | undefined {
    if (state.workers.length === 0) return undefined;
    const worker = state.workers[state.nextWorker % state.workers.length];
    state.nextWorker = (state.nextWorker + 1) % state.workers.length;
    return worker;
  }

  private drainWaiting(topic: string, state: Topic): void {
    const now = Date.now();
    const waiting = state.waiting.splice(0).filter((m) => m.expiresAt > now);
    for (const message of waiting) this.send(topic, message);
  }

  private forget(topic: string, message: Message): void {
    const waiting = this.topics.get(topic)?.waiting;
    const i = waiting?.indexOf(message) ?? -1;
    if (i >= 0) waiting!.splice(i, 1);
  }

  private async deliver(topic: string, target: Handlers, message: Message): Promise<void> {
    const handler = Object.hasOwn(target.handlers, message.method) ? target.handlers[message.method] : undefined;
    const wire = await runHandler(handler, topic, message.method, message.payload);
    if (message.reply) {
      message.reply(wire);
    } else if (!wire.ok) {
      this.log.error({ topic, method: message.method, error: `${wire.name}: ${wire.message}` }, 'bus handler failed');
    }
  }
}
