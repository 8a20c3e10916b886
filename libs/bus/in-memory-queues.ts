/**
 * The in-process transport's job queues: retried with BullMQ's exponential backoff, not durable (a restart loses
 * them). Jobs enqueued before any processor exists wait for one.
 */
import type { Logger } from 'pino';
import type { EnqueueOptions, QueueOptions, Subscription } from './bus.contract.js';
import { errorParts, jsonCopy, retryDelayMs } from './bus-wire.js';

export const QUEUE_DEFAULTS = { attempts: 10, backoffMs: 1_000, delayMs: 0 } as const;

interface Job {
  data: unknown;
  attempts: number;
  backoffMs: number;
  failures: number;
}

interface Processor {
  worker: (job: unknown) => Promise<void>;
  concurrency: number;
  running: Set<Promise<void>>;
  closed: boolean;
}

interface Queue {
  ready: Job[];
  processors: Processor[];
  nextProcessor: number;
}

export class InMemoryQueues {
  private readonly queues = new Map<string, Queue>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly log: Logger) {}

  enqueue(name: string, data: unknown, opts: EnqueueOptions): void {
    const job: Job = {
      data: jsonCopy(data) ?? null,
      attempts: Math.max(1, opts.attempts ?? QUEUE_DEFAULTS.attempts),
      backoffMs: opts.backoffMs ?? QUEUE_DEFAULTS.backoffMs,
      failures: 0,
    };
    this.later(opts.delayMs ?? QUEUE_DEFAULTS.delayMs, name, job);
  }

  process(name: string, worker: (job: unknown) => Promise<void>, opts: QueueOptions): Subscription {
    const queue = this.queue(name);
    const processor: Processor = { worker, concurrency: Math.max(1, opts.concurrency ?? 1), running: new Set(), closed: false };
    queue.processors.push(processor);
    this.pump(name, queue);
    return {
      close: async () => {
        processor.closed = true;
        const i = queue.processors.indexOf(processor);
        if (i >= 0) queue.processors.splice(i, 1);
        await Promise.all(processor.running);
      },
    };
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const running = [...this.queues.values()].flatMap((q) => q.processors.flatMap((p) => [...p.running]));
    for (const queue of this.queues.values()) for (const p of queue.processors) p.closed = true;
    this.queues.clear();
    await Promise.all(running);
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = { ready: [], processors: [], nextProcessor: 0 };
      this.queues.set(name, queue);
    }
    return queue;
  }

  private later(delayMs: number, name: string, job: Job): void {
    if (delayMs <= 0) {
      this.queue(name).ready.push(job);
      this.pump(name, this.queue(name));
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.later(0, name, job);
    }, delayMs);
    this.timers.add(timer);
  }

  private pump(name: string, queue: Queue): void {
    while (queue.ready.length > 0) {
      const processor = this.freeProcessor(queue);
      if (!processor) return;
      this.run(name, processor, queue.ready.shift()!);
    }
  }

  private freeProcessor(queue: Queue): Processor | undefined {
    const n = queue.processors.length;
    for (let i = 0; i < n; i++) {
      const processor = queue.processors[(queue.nextProcessor + i) % n];
      if (!processor.closed && processor.running.size < processor.concurrency) {
        queue.nextProcessor = (queue.nextProcessor + i + 1) % n;
        return processor;
      }
    }
    return undefined;
  }

  private run(name: string, processor: Processor, job: Job): void {
    const running: Promise<void> = Promise.resolve()
      .then(() => processor.worker(jsonCopy(job.data)))
      .catch((err: unknown) => this.failed(name, job, err))
      .finally(() => {
        processor.running.delete(running);
        const queue = this.queues.get(name);
        if (queue) this.pump(name, queue);
      });
    processor.running.add(running);
  }

  private failed(name: string, job: Job, err: unknown): void {
    job.failures++;
    const { name: errName, message } = errorParts(err);
    if (job.failures >= job.attempts) {
      this.log.error({ queue: name, attempts: job.failures, error: `${errName}: ${message}` }, 'bus job given up');
      return;
    }
    const delayMs = retryDelayMs(job.backoffMs, job.failures);
    this.log.warn({ queue: name, attempt: job.failures, retryInMs: delayMs, error: `${errName}: ${message}` }, 'bus job failed, will retry');
    this.later(delayMs, name, job);
  }
}
