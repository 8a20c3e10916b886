/**
 * The bus over Redis, for a server and agents in separate processes (or several server replicas).
 *
 * - `call`/`cast`: a Redis list per topic (`<prefix>:rpc:<topic>`). Senders LPUSH, every work-sharing subscriber
 *   BRPOPs on its own connection, so each message reaches exactly one subscriber in any process, and a message sent
 *   before anyone listens waits (a call until its timeout, a cast for CAST_TTL_MS; the consumer drops stale ones).
 *   A call's answer comes back on the caller's own channel (`<prefix>:reply:<bus id>`).
 * - `fanout`: pub/sub on `<prefix>:fanout:<topic>`; whoever listens at that moment gets it.
 * - `enqueue`/`process`: BullMQ (keys under `<prefix>:queue`): durable, retried with exponential backoff.
 *
 * Why not @nestjs/microservices' Redis transport for call/cast/fanout: it is plain PUBLISH/SUBSCRIBE. Every
 * ServerRedis subscribed to a pattern handles every request (two server replicas would both answer a `call` and both
 * run a `cast`), a request sent while no server listens is lost, and patterns are fixed when the server starts
 * listening (no subscribe/unsubscribe per agent). A list per topic gives one-of-N and waiting; with that in place its
 * fanout would only add two connections per subscriber and a second wire format, so fanout is ioredis pub/sub too.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
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
import { BusClosedError, CAST_TTL_MS, errorParts, runHandler, unwrapResult, type WireResult } from './bus-wire.js';
import { QUEUE_DEFAULTS } from './in-memory-queues.js';

export const DEFAULT_BUS_PREFIX = 'neutron';

export interface RedisBusOptions {
  url: string;
  rpcTimeoutMs: number;
  /** First part of every key and channel; tests use their own so parallel runs never meet. */
  prefix?: string;
  log?: Logger;
}

/** What travels in a topic's list. */
interface RpcMessage {
  method: string;
  payload: unknown;
  /** ms since the epoch after which nobody wants the message any more */
  deadline: number;
  /** calls only */
  id?: string;
  replyTo?: string;
}

type Reply = WireResult & { id: string };

interface PendingCall {
  resolve: (wire: WireResult) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Handlers a consumer may run at once before it stops taking messages (leaving them to other subscribers). */
const MAX_IN_FLIGHT = 16;

export class RedisBus implements Bus {
  readonly prefix: string;
  private readonly url: string;
  private readonly rpcTimeoutMs: number;
  private readonly log: Logger;
  private readonly id = randomUUID();
  /** LPUSH, PUBLISH: never blocks */
  private readonly commands: Redis;
  /** subscriber mode: this bus's reply channel and the fanout channels it listens to */
  private readonly events: Redis;
  private readonly replyChannel: string;
  private readonly listening: Promise<unknown>;
  private readonly pendingCalls = new Map<string, PendingCall>();
  private readonly fanoutListeners = new Map<string, { handlers: Set<Record<string, BusHandler>>; subscribed: Promise<unknown> }>();
  private readonly consumers = new Set<TopicConsumer>();
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Set<Worker>();
  private closed = false;

  constructor(opts: RedisBusOptions) {
    this.url = opts.url;
    this.rpcTimeoutMs = opts.rpcTimeoutMs;
    this.prefix = opts.prefix ?? DEFAULT_BUS_PREFIX;
    this.log = opts.log ?? pino({ name: 'bus' });
    this.commands = this.connect('commands', {});
    this.events = this.connect('events', { maxRetriesPerRequest: null });
    this.events.on('message', (channel: string, text: string) => this.onEvent(channel, text));
    this.replyChannel = `${this.prefix}:reply:${this.id}`;
    this.listening = this.events.subscribe(this.replyChannel);
    this.listening.catch(() => undefined);
  }

  async call<T = unknown>(topic: string, method: string, payload: unknown, opts: CallOptions = {}): Promise<T> {
    if (this.closed) throw new BusClosedError();
    const timeoutMs = opts.timeoutMs ?? this.rpcTimeoutMs;
    const id = randomUUID();
    const deadline = Date.now() + timeoutMs;
    // the timer runs from here: a Redis that does not answer makes the call time out, not hang
    const answer = new Promise<WireResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingCalls.delete(id);
        reject(new BusTimeoutError(topic, method, timeoutMs));
      }, timeoutMs);
      this.pendingCalls.set(id, { resolve, reject, timer });
    });
    const send = async () => {
      await this.listening;
      await this.push(topic, { method, payload, deadline, id, replyTo: this.replyChannel });
    };
    send().catch((err: unknown) => this.settle(id)?.reject(err as Error));
    return unwrapResult<T>(await answer);
  }

  async cast(topic: string, method: string, payload: unknown): Promise<void> {
    if (this.closed) throw new BusClosedError();
    await this.push(topic, { method, payload, deadline: Date.now() + CAST_TTL_MS });
  }

  async fanout(topic: string, method: string, payload: unknown): Promise<void> {
    if (this.closed) throw new BusClosedError();
    await this.commands.publish(this.fanoutChannel(topic), JSON.stringify({ method, payload }));
  }

  async subscribe(topic: string, handlers: Record<string, BusHandler>, opts: SubscribeOptions = {}): Promise<Subscription> {
    if (this.closed) throw new BusClosedError();
    return opts.fanout ? this.listen(topic, handlers) : this.consume(topic, handlers);
  }

  async enqueue(queue: string, job: unknown, opts: EnqueueOptions = {}): Promise<void> {
    if (this.closed) throw new BusClosedError();
    await this.queue(queue).add(queue, job ?? null, {
      attempts: Math.max(1, opts.attempts ?? QUEUE_DEFAULTS.attempts),
      backoff: { type: 'exponential', delay: opts.backoffMs ?? QUEUE_DEFAULTS.backoffMs },
      delay: opts.delayMs ?? QUEUE_DEFAULTS.delayMs,
      removeOnComplete: true,
      // kept a week for a look at what was given up
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  async process(queue: string, worker: (job: unknown) => Promise<void>, opts: QueueOptions = {}): Promise<Subscription> {
    if (this.closed) throw new BusClosedError();
    const bullWorker = new Worker(queue, (job) => worker(job.data), {
      connection: { url: this.url },
      prefix: this.queuePrefix(),
      concurrency: Math.max(1, opts.concurrency ?? 1),
    });
    bullWorker.on('failed', (job, err) => {
      if (!job) return;
      const error = `${err.name}: ${err.message}`;
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade >= attempts) this.log.error({ queue, attempts: job.attemptsMade, error }, 'bus job given up');
      else this.log.warn({ queue, attempt: job.attemptsMade, error }, 'bus job failed, will retry');
    });
    bullWorker.on('error', (err) => this.log.warn({ queue, error: err.message }, 'bus queue worker error'));
    this.workers.add(bullWorker);
    return {
      close: async () => {
        this.workers.delete(bullWorker);
        await bullWorker.close();
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.pendingCalls.keys()]) this.settle(id)?.reject(new BusClosedError());
    await Promise.all([...this.consumers].map((c) => c.stop(this.rpcTimeoutMs)));
    await Promise.all([...this.workers].map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.events.disconnect();
    if (this.commands.status === 'ready') await this.commands.quit().catch(() => this.commands.disconnect());
    else this.commands.disconnect();
  }

  private connect(role: string, options: { maxRetriesPerRequest?: number | null }): Redis {
    const conn = new Redis(this.url, { ...options, connectionName: `${this.prefix}-bus-${role}` });
    conn.on('error', (err: Error) => this.log.warn({ role, error: err.message }, 'bus redis connection error'));
    return conn;
  }

  private rpcKey(topic: string): string {
    return `${this.prefix}:rpc:${topic}`;
  }

  private fanoutChannel(topic: string): string {
    return `${this.prefix}:fanout:${topic}`;
  }

  private queuePrefix(): string {
    return `${this.prefix}:queue`;
  }

  private async push(topic: string, message: RpcMessage): Promise<void> {
    const key = this.rpcKey(topic);
    // the expiry only clears topics nobody consumes any more; live messages carry their own deadline
    await this.commands
      .multi()
      .lpush(key, JSON.stringify(message))
      .pexpire(key, Math.max(CAST_TTL_MS, message.deadline - Date.now()))
      .exec();
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: { url: this.url }, prefix: this.queuePrefix() });
      queue.on('error', (err: Error) => this.log.warn({ queue: name, error: err.message }, 'bus queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  private settle(id: string): PendingCall | undefined {
    const pending = this.pendingCalls.get(id);
    if (!pending) return undefined;
    this.pendingCalls.delete(id);
    clearTimeout(pending.timer);
    return pending;
  }

  private async listen(topic: string, handlers: Record<string, BusHandler>): Promise<Subscription> {
    const channel = this.fanoutChannel(topic);
    let listeners = this.fanoutListeners.get(channel);
    if (!listeners) {
      listeners = { handlers: new Set(), subscribed: this.events.subscribe(channel) };
      this.fanoutListeners.set(channel, listeners);
    }
    listeners.handlers.add(handlers);
    await listeners.subscribed;
    const mine = listeners;
    return {
      close: async () => {
        if (!mine.handlers.delete(handlers) || mine.handlers.size > 0 || this.fanoutListeners.get(channel) !== mine) return;
        this.fanoutListeners.delete(channel);
        if (!this.closed) await this.events.unsubscribe(channel);
      },
    };
  }

  private async consume(topic: string, handlers: Record<string, BusHandler>): Promise<Subscription> {
    const consumer = new TopicConsumer(this.rpcKey(topic), topic, handlers, this.connect(`consumer:${topic}`, { maxRetriesPerRequest: null }), {
      reply: (channel, reply) => this.commands.publish(channel, JSON.stringify(reply)),
      log: this.log,
    });
    this.consumers.add(consumer);
    consumer.start();
    return {
      close: async () => {
        this.consumers.delete(consumer);
        await consumer.stop(this.rpcTimeoutMs);
      },
    };
  }

  private onEvent(channel: string, text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (_e) {
      this.log.warn({ channel }, 'bus: unreadable message dropped');
      return;
    }
    if (channel === this.replyChannel) {
      const reply = message as Reply;
      this.settle(reply.id)?.resolve(reply);
      return;
    }
    const { method, payload } = message as { method: string; payload: unknown };
    const topic = channel.slice(`${this.prefix}:fanout:`.length);
    for (const handlers of this.fanoutListeners.get(channel)?.handlers ?? []) {
      void dispatch(handlers, topic, method, payload).then((wire) => {
        if (!wire.ok) this.log.error({ topic, method, error: `${wire.name}: ${wire.message}` }, 'bus handler failed');
      });
    }
  }
}

function dispatch(handlers: Record<string, BusHandler>, topic: string, method: string, payload: unknown): Promise<WireResult> {
  const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
  return runHandler(handler, topic, method, payload);
}

/** One work-sharing subscription: BRPOP on its own connection, handlers run concurrently up to MAX_IN_FLIGHT. */
class TopicConsumer {
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly key: string,
    private readonly topic: string,
    private readonly handlers: Record<string, BusHandler>,
    private readonly conn: Redis,
    private readonly io: { reply: (channel: string, reply: Reply) => Promise<unknown>; log: Logger },
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Stops taking messages and lets running handlers answer, for at most `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    // an open BRPOP fails at once with "Connection is closed"; nothing popped is lost
    this.conn.disconnect();
    await this.loop;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => (timer = setTimeout(r, graceMs)));
    await Promise.race([Promise.all(this.inFlight), grace]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) {
        await Promise.race(this.inFlight);
        continue;
      }
      let popped: [string, string] | null;
      try {
        popped = await this.conn.brpop(this.key, 0);
      } catch (err) {
        if (this.stopped) return;
        this.io.log.warn({ topic: this.topic, error: errorParts(err).message }, 'bus consumer: redis error, retrying');
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (popped) this.track(this.handle(popped[1]));
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async handle(text: string): Promise<void> {
    let message: RpcMessage;
    try {
      message = JSON.parse(text) as RpcMessage;
    } catch (_e) {
      this.io.log.warn({ topic: this.topic }, 'bus: unreadable message dropped');
      return;
    }
    if (message.deadline < Date.now()) return;
    const wire = await dispatch(this.handlers, this.topic, message.method, message.payload);
    if (message.replyTo && message.id) {
      await this.io.reply(message.replyTo, { ...wire, id: message.id }).catch((err: unknown) => {
        this.io.log.warn({ topic: this.topic, method: message.method, error: errorParts(err).message }, 'bus: reply not sent');
      });
    } else if (!wire.ok) {
      this.io.log.error({ topic: this.topic, method: message.method, error: `${wire.name}: ${wire.message}` }, 'bus handler failed');
    }
  }
}
