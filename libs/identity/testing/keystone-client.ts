/** A tiny fetch client for the specs: raw status, headers and parsed JSON (undefined when no body). */
export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (no JSON encoding). */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
}

export class KeystoneClient {
  constructor(readonly origin: string) {}

  async call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers['x-auth-token'] = opts.token;
    let body: string | Uint8Array | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    } else if (opts.raw !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.origin + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  /** Password auth by user name in a domain (name), scoped to a project by name when given. */
  async password(user: string, password: string, project?: string, domain = 'Default'): Promise<Reply> {
    const auth: Record<string, unknown> = {
      identity: { methods: ['password'], password: { user: { name: user, domain: { name: domain }, password } } },
    };
    if (project) auth.scope = { project: { name: project, domain: { name: domain } } };
    return this.call('POST', '/v3/auth/tokens', { body: { auth } });
  }

  /** A project-scoped token id, failing loudly. */
  async token(user: string, password: string, project?: string): Promise<string> {
    const r = await this.password(user, password, project);
    if (r.status !== 201) throw new Error(`token for ${user}: ${r.status} ${r.text}`);
    return r.headers.get('x-subject-token')!;
  }
}
