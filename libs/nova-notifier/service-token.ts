export interface ServiceCredentials {
  /** Keystone's origin, e.g. http://127.0.0.1:5000 */
  identityUrl: string;
  username: string;
  password: string;
  project: string;
  requestTimeoutMs: number;
  /** Aborts a request in flight (shutdown). */
  stop?: AbortSignal;
}

/** A token is reused until this long before it expires, so that it does not expire on its way to Nova. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * A project-scoped token for the notifier's service user (keystoneauth's password plugin, reduced): issued by
 * password on first use, cached until shortly before it expires, dropped by `invalidate()` after a 401.
 * Concurrent callers share one request.
 */
export class ServiceToken {
  private cached?: { id: string; refreshAt: number };
  private inflight?: Promise<string>;

  constructor(private readonly creds: ServiceCredentials) {}

  get(): Promise<string> {
    if (this.cached && Date.now() < this.cached.refreshAt) return Promise.resolve(this.cached.id);
    this.inflight ??= this.issue().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  invalidate(token: string): void {
    if (this.cached?.id === token) this.cached = undefined;
  }

  private async issue(): Promise<string> {
    const { identityUrl, username, password, project, requestTimeoutMs, stop } = this.creds;
    const domain = { name: 'Default' };
    const res = await fetch(`${identityUrl}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: username, domain, password } } },
          scope: { project: { name: project, domain } },
        },
      }),
      signal: withTimeout(requestTimeoutMs, stop),
    });
    const text = await res.text();
    const id = res.headers.get('x-subject-token');
    if (res.status !== 201 || !id) {
      throw new Error(`Keystone refused a token for ${username} in ${project}: ${res.status} ${text.slice(0, 200)}`);
    }
    const expiresAt = Date.parse((JSON.parse(text) as { token?: { expires_at?: string } }).token?.expires_at ?? '');
    const now = Date.now();
    // A token too short-lived for the margin is still used once rather than never.
    const refreshAt = Number.isFinite(expiresAt) ? Math.max(now, expiresAt - EXPIRY_MARGIN_MS) : now;
    this.cached = { id, refreshAt };
    return id;
  }
}

/** A request's signal: its own timeout, and the owner's stop signal when there is one. */
export function withTimeout(ms: number, stop?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return stop ? AbortSignal.any([timeout, stop]) : timeout;
}
