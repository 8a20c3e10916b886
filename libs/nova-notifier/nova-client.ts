import { randomUUID } from 'node:crypto';
import type { NovaEvent } from './nova-events.js';
import { type ServiceToken, withTimeout } from './service-token.js';

/** Nova did not take the batch (5xx, unreachable, timed out, or still 401 with a fresh token): send it again later. */
export class NovaUnavailableError extends Error {
  override name = 'NovaUnavailableError';
}

/** Nova's answer to one batch: 200 all taken, 207 per-event codes, 404 none of the servers exists, other 4xx refused. */
export interface NovaReply {
  status: number;
  /** Per-event results of a 200/207 (`code` 200 = delivered; 404 = unknown server; 422 = not on a host yet). */
  events: (NovaEvent & { code?: number })[];
  /** The body of a refusal, shortened, for the log. */
  detail?: string;
}

/** POST /v2.1/os-server-external-events with the service token; re-authenticates once on 401. */
export class NovaClient {
  private readonly url: string;

  constructor(
    novaUrl: string,
    private readonly token: ServiceToken,
    private readonly timeoutMs: number,
    private readonly stop?: AbortSignal,
  ) {
    this.url = `${novaUrl.replace(/\/+$/, '')}/v2.1/os-server-external-events`;
  }

  async send(events: NovaEvent[]): Promise<NovaReply> {
    let token = await this.authToken();
    let res = await this.post(events, token);
    if (res.status === 401) {
      this.token.invalidate(token);
      token = await this.authToken();
      res = await this.post(events, token);
    }
    const text = await res.text().catch(() => '');
    if (res.status >= 500 || res.status === 401) {
      throw new NovaUnavailableError(`Nova answered ${res.status}: ${text.slice(0, 200)}`);
    }
    if (res.status === 200 || res.status === 207) return { status: res.status, events: parseEvents(text) };
    return { status: res.status, events: [], detail: text.slice(0, 200) };
  }

  private async authToken(): Promise<string> {
    try {
      return await this.token.get();
    } catch (e) {
      throw new NovaUnavailableError(`no service token: ${(e as Error).message}`);
    }
  }

  private async post(events: NovaEvent[], token: string): Promise<Response> {
    try {
      return await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-auth-token': token,
          'x-openstack-nova-api-version': '2.1',
          'openstack-api-version': 'compute 2.1',
          'x-openstack-request-id': `req-${randomUUID()}`,
        },
        body: JSON.stringify({ events }),
        signal: withTimeout(this.timeoutMs, this.stop),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      throw new NovaUnavailableError(`Nova unreachable at ${this.url}: ${cause ?? (e as Error).message}`);
    }
  }
}

function parseEvents(text: string): NovaReply['events'] {
  try {
    const body = JSON.parse(text) as { events?: unknown };
    return Array.isArray(body.events) ? (body.events as NovaReply['events']) : [];
  } catch {
    return [];
  }
}
