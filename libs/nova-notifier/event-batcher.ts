/**
 * Neutron's BatchNotifier: the first event goes out on the next turn of the event loop (so events published in the
 * same tick travel together), then the batcher stays quiet for `intervalMs`; whatever arrives meanwhile leaves as one
 * batch when the interval ends, which opens the next interval. A single event is never delayed by the interval,
 * a burst costs one send per interval.
 */
export class EventBatcher<T> {
  private pending: T[] = [];
  private immediate?: NodeJS.Immediate;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    /** Must not reject: nothing here could do better than the sink at handling its failure. */
    private readonly sink: (batch: T[]) => Promise<void>,
  ) {}

  add(event: T): void {
    this.pending.push(event);
    if (this.closed) {
      void this.send();
      return;
    }
    if (!this.immediate && !this.timer) this.immediate = setImmediate(() => this.tick());
  }

  /** Sends what is pending now and stops batching: later events are sent one by one, at once. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = this.timer = undefined;
    await this.send();
  }

  private tick(): void {
    this.immediate = this.timer = undefined;
    if (this.pending.length === 0) return;
    void this.send();
    this.timer = setTimeout(() => this.tick(), this.intervalMs);
    // Batching alone never keeps the process alive; close() sends what is left.
    this.timer.unref();
  }

  private send(): Promise<void> {
    if (this.pending.length === 0) return Promise.resolve();
    const batch = this.pending;
    this.pending = [];
    return this.sink(batch);
  }
}
