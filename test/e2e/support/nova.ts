import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NovaEvent {
  name: string;
  server_uuid: string;
  tag?: string;
  status?: string;
}

export interface NovaCall {
  token: string | undefined;
  events: NovaEvent[];
}

/** A small HTTP server playing Nova's os-server-external-events endpoint: it records every call and answers 200. */
export interface FakeNova {
  url: string;
  calls: NovaCall[];
  events(): NovaEvent[];
  /** Resolves with the first event matching, or fails after `ms`. */
  waitForEvent(match: Partial<NovaEvent>, ms?: number): Promise<NovaEvent>;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((ok, fail) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => ok(text));
    req.on('error', fail);
  });

export async function startFakeNova(port = 0): Promise<FakeNova> {
  const calls: NovaCall[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (req.method !== 'POST' || req.url !== '/v2.1/os-server-external-events') {
        res.writeHead(404).end();
        return;
      }
      const parsed = JSON.parse(body) as { events: NovaEvent[] };
      const header = req.headers['x-auth-token'];
      calls.push({ token: Array.isArray(header) ? header[0] : header, events: parsed.events });
      const answered = parsed.events.map((e) => ({ ...e, code: 200, status: e.status ?? 'completed' }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ events: answered }));
    })();
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  const events = () => calls.flatMap((c) => c.events);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    events,
    async waitForEvent(match, ms = 15_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = events().find((e) => Object.entries(match).every(([k, v]) => e[k as keyof NovaEvent] === v));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no Nova event ${JSON.stringify(match)}; got ${JSON.stringify(events())}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** Polls `read` until `done` holds or `ms` passes; returns the last value. */
export async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}
