import type { AuthContext } from '../../identity/auth-context.js';
import type { ApiObject } from '../resource/resource-definition.js';
import type { QueryParams } from '../request/list-params.js';

/** Policy as the engine needs it; implemented over libs/policy. */
export interface Authorizer {
  /** undefined when allowed, else PolicyNotAuthorized's message. `attributes` are the ones the request sets. */
  authorize(action: string, target: ApiObject, auth: AuthContext, attributes: string[]): string | undefined;
  /** Attributes (of those with enforce_policy) the caller may not read on this item. */
  hiddenAttributes(action: string, target: ApiObject, auth: AuthContext, attributes: string[]): string[];
}
export const AUTHORIZER = Symbol('AUTHORIZER');


export interface ApiRequest {
  method: string;
  /** Path segments below /v2.0, `.json` stripped. */
  segments: string[];
  query: QueryParams;
  rawBody: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  auth: AuthContext;
  /** Absolute URL of the request path (no query), for pagination links. */
  pathUrl: string;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
}

/** A route below /v2.0 that is not a standard resource (quotas, extensions, agent scheduler shims…). */
export interface CustomHandler {
  /** First path segment(s) it owns, e.g. 'quotas' or 'extensions'. */
  path: string;
  handle(req: ApiRequest, rest: string[]): Promise<ApiResponse>;
}

/**
 * A sub-resource of a standard resource's item (`/ports/{id}/bindings/…`): gets the parent id and the path after the
 * sub-resource name. It checks the parent's visibility itself.
 */
export type SubResourceHandler = (req: ApiRequest, parentId: string, rest: string[]) => Promise<ApiResponse>;
