/**
 * A driver's changes one at a time, in order: each starts when the one before it settled (failed or not), so a
 * `stop()` queued behind them waits for the change under way and nothing else.
 */
export class SerialLane {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
