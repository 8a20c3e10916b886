import { expect } from 'vitest';

export interface Credentials {
  user: string;
  password: string;
  project: string;
}

export const adminCredentials = (password = 'admin'): Credentials => ({ user: 'admin', password, project: 'admin' });

/** Parsed JSON from the server: tests index into it freely and let assertions catch surprises. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, or undefined when the body is empty or not JSON. */
  body: T;
}

async function toResponse(res: Response): Promise<ApiResponse> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** Password auth, project scoped, both in domain Default, as the CLI does it. */
export async function issueToken(identityUrl: string, creds: Credentials): Promise<string> {
  const res = await fetch(`${identityUrl}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: creds.user, domain: { name: 'Default' }, password: creds.password } },
        },
        scope: { project: { name: creds.project, domain: { name: 'Default' } } },
      },
    }),
  });
  const token = res.headers.get('x-subject-token');
  if (res.status !== 201 || !token) {
    throw new Error(`token for ${creds.user}@${creds.project}: ${res.status} ${await res.text()}`);
  }
  return token;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (for malformed bodies); wins over body. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** Override the client's token; null sends none. */
  token?: string | null;
}

export interface ApiClient {
  baseUrl: string;
  token: string | null;
  request(method: string, path: string, opts?: RequestOptions): Promise<ApiResponse>;
  get(path: string, opts?: RequestOptions): Promise<ApiResponse>;
  post(path: string, body: unknown, opts?: RequestOptions): Promise<ApiResponse>;
  put(path: string, body: unknown, opts?: RequestOptions): Promise<ApiResponse>;
  del(path: string, opts?: RequestOptions): Promise<ApiResponse>;
}

/** A thin fetch wrapper for one API root and one token. Paths may be absolute URLs (pagination links). */
export function apiClient(baseUrl: string, token: string | null): ApiClient {
  const request = async (method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    const tok = opts.token === undefined ? token : opts.token;
    if (tok) headers['X-Auth-Token'] = tok;
    let body: string | Buffer | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json';
    }
    const url = /^https?:\/\//.test(path) ? path : `${baseUrl}${path}`;
    return toResponse(await fetch(url, { method, headers, body }));
  };
  return {
    baseUrl,
    token,
    request,
    get: (path, opts) => request('GET', path, opts),
    post: (path, body, opts) => request('POST', path, { ...opts, body }),
    put: (path, body, opts) => request('PUT', path, { ...opts, body }),
    del: (path, opts) => request('DELETE', path, opts),
  };
}

/** A Neutron error response: exact status, `type` and `message` (a RegExp for messages that embed values). */
export function expectNeutronError(res: ApiResponse, status: number, type: string, message: string | RegExp): void {
  const summary = `${res.status} ${res.text.slice(0, 500)}`;
  expect(res.status, summary).toBe(status);
  expect(res.headers.get('content-type') ?? '', summary).toMatch(/^application\/json/);
  expect(res.body?.NeutronError, summary).toBeDefined();
  expect(res.body.NeutronError.type, summary).toBe(type);
  if (typeof message === 'string') expect(res.body.NeutronError.message, summary).toBe(message);
  else expect(res.body.NeutronError.message, summary).toMatch(message);
}

/** Asserts a 2xx/expected status with the body in the failure message. */
export function expectStatus(res: ApiResponse, status: number): void {
  expect(res.status, `${res.status} ${res.text.slice(0, 500)}`).toBe(status);
}

/** The created resource under `key` of a response that must be 201 (the body in the failure message otherwise). */
export async function created(res: Promise<ApiResponse>, key: string): Promise<Json> {
  const r = await res;
  expectStatus(r, 201);
  return r.body[key];
}
