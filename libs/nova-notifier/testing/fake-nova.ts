import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { NovaEvent } from '../nova-events.js';

export interface NovaRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  events: NovaEvent[];
  at: number;
}

/** What Nova answers to one request: a status, and a body (default: Nova's per-event echo with code 200). */
export type NovaAnswer = { status: number; body?: unknown } | { hang: true };

/**
 * Nova's os-server-external-events endpoint, recording every request. `answers` are used in order, then 200 with
 * each event echoed as Nova does (`code: 200`, `status` defaulted to completed). `{ hang: true }` never answers.
 */
export class FakeNova {
  readonly requests: NovaRequest[] = [];
  answers: NovaAnswer[] = [];
  private server?: Server;
  private waiters: (() => void)[] = [];

  constructor(readonly port: number) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const events = (JSON.parse(raw || '{}') as { events?: NovaEvent[] }).events ?? [];
        this.requests.push({ method: req.method!, url: req.url!, headers: req.headers, events, at: Date.now() });
        const answer = this.answers.shift() ?? {
          status: 200,
          body: { events: events.map((e) => ({ status: 'completed', ...e, code: 200 })) },
        };
        for (const w of this.waiters.splice(0)) w();
        if ('hang' in answer) return;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  /** Every event of every request so far, in arrival order. */
  events(): NovaEvent[] {
    return this.requests.flatMap((r) => r.events);
  }

  /** Resolves with the first event that matches, waiting for more requests; rejects after `timeoutMs`. */
  async waitForEvent(match: Partial<NovaEvent>, timeoutMs = 15_000): Promise<NovaEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events().find((e) => Object.entries(match).every(([k, v]) => e[k as keyof NovaEvent] === v));
      if (found) return found;
      await this.waitForRequests(this.requests.length + 1, deadline - Date.now()).catch(() => {
        throw new Error(`no Nova event ${JSON.stringify(match)}; got ${JSON.stringify(this.events())}`);
      });
    }
  }

  /** Resolves once `n` requests have arrived; rejects after `timeoutMs`. */
  async waitForRequests(n: number, timeoutMs = 10_000): Promise<NovaRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Nova got ${this.requests.length} request(s), expected ${n}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.requests;
  }
}
