/**
 * An agent's one lane of work: passes (and other changes) run one at a time, in order; requests for a pass made while
 * one is queued share it. Notices only request passes, so two notices about one device or network never race.
 */
export class PassQueue {
  private running: Promise<void> | null = null;
  private queued = false;

  constructor(
    private readonly opts: {
      pass: () => Promise<void>;
      /** false once the agent stops: nothing new starts. */
      active: () => boolean;
      onSuccess?: () => void;
      onError: (err: unknown) => void;
    },
  ) {}

  /** Runs a pass after the work under way; a pass already queued absorbs this request. */
  request(): void {
    if (this.queued || !this.opts.active()) return;
    this.queued = true;
    this.enqueue(() => {
      this.queued = false;
      return this.opts.pass();
    });
  }

  /** Queues other work in the same lane (e.g. tearing down a deleted network). */
  enqueue(work: () => Promise<void>): void {
    if (!this.opts.active()) return;
    const next = (this.running ?? Promise.resolve())
      .then(() => (this.opts.active() ? work() : undefined))
      .then(
        () => this.opts.onSuccess?.(),
        (err: unknown) => this.opts.onError(err),
      )
      .finally(() => {
        if (this.running === next) this.running = null;
      });
    this.running = next;
  }

  /** A restarted agent starts with nothing queued. */
  reset(): void {
    this.queued = false;
  }

  /** Resolves once nothing runs or waits. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
