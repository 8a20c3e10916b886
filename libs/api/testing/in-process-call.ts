/** Calls the Networking API below /v2.0 without HTTP, for specs and harnesses that run the modules in-process. */
import type { AuthContext } from '../../identity/auth-context.js';
import type { QueryParams } from '../request/list-params.js';
import type { ApiRequest } from '../engine/ports.js';
import type { ResourceEngine } from '../engine/resource-engine.js';
import { NeutronError } from '../errors/neutron-error.js';
import { ADMIN_AUTH } from './admin-context.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface InProcessCallOptions {
  body?: unknown;
  query?: QueryParams;
  headers?: Record<string, string>;
  /** Who calls; the cloud admin by default. */
  auth?: AuthContext;
}

export type InProcessCall = (method: string, path: string, opts?: InProcessCallOptions) => Promise<{ status: number; body: Json }>;

/**
 * A resource or sub-resource path (`/networks`, `/agents/{id}/dhcp-networks`) routed by the engine as /v2.0 is; a
 * NeutronError comes back as its status and `{NeutronError: {type, message}}` body.
 */
export function inProcessCall(engine: ResourceEngine): InProcessCall {
  return async (method, path, opts = {}) => {
    const segments = path.split('/').filter(Boolean);
    const request: ApiRequest = {
      method,
      segments,
      query: opts.query ?? {},
      rawBody: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      headers: Object.fromEntries(Object.entries(opts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      auth: opts.auth ?? ADMIN_AUTH,
      pathUrl: `http://in-process/v2.0/${segments.join('/')}`,
    };
    try {
      const res = await engine.route(request);
      return { status: res.status, body: res.body };
    } catch (e) {
      if (e instanceof NeutronError) return { status: e.status, body: { NeutronError: { type: e.type, message: e.message } } };
      throw e;
    }
  };
}
