import type { Bus, BusHandler, CallOptions, EnqueueOptions, QueueOptions, SubscribeOptions, Subscription } from './bus.contract.js';

/**
 * A bus that is still loading: createBus stays synchronous while the Redis transport (ioredis, BullMQ) is imported
 * only when configured, so the in-process appliance never loads it.
 */
export class DeferredBus implements Bus {
  constructor(private readonly bus: Promise<Bus>) {
    bus.catch(() => undefined);
  }

  async call<T = unknown>(topic: string, method: string, payload: unknown, opts?: CallOptions): Promise<T> {
    return (await this.bus).call<T>(topic, method, payload, opts);
  }

  async cast(topic: string, method: string, payload: unknown): Promise<void> {
    return (await this.bus).cast(topic, method, payload);
  }

  async fanout(topic: string, method: string, payload: unknown): Promise<void> {
    return (await this.bus).fanout(topic, method, payload);
  }

  async subscribe(topic: string, handlers: Record<string, BusHandler>, opts?: SubscribeOptions): Promise<Subscription> {
    return (await this.bus).subscribe(topic, handlers, opts);
  }

  async enqueue(queue: string, job: unknown, opts?: EnqueueOptions): Promise<void> {
    return (await this.bus).enqueue(queue, job, opts);
  }

  async process(queue: string, worker: (job: unknown) => Promise<void>, opts?: QueueOptions): Promise<Subscription> {
    return (await this.bus).process(queue, worker, opts);
  }

  async close(): Promise<void> {
    return (await this.bus).close();
  }
}
