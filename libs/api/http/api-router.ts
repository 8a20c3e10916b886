import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { TOKEN_VALIDATOR, type AuthContext, type TokenValidator } from '../../identity/auth-context.js';
import { badRequest, httpNotFound } from '../errors/neutron-error.js';
import { ResourceEngine } from '../engine/resource-engine.js';
import { ResourceRegistry } from '../engine/resource-registry.js';
import type { ApiRequest, ApiResponse } from '../engine/ports.js';
import type { QueryParams } from '../request/list-params.js';
import { publicBaseUrl } from './base-url.js';
import { UnauthorizedError } from './unauthorized.error.js';

/** Authenticates, splits the /v2.0 path and hands it to the resource engine or a custom handler. */
@Injectable()
export class ApiRouter {
  constructor(
    @Inject(TOKEN_VALIDATOR) private readonly tokens: TokenValidator,
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(ResourceEngine) private readonly engine: ResourceEngine,
  ) {}

  async dispatch(req: FastifyRequest): Promise<ApiResponse> {
    const auth = await this.authenticate(req);
    // The body parser leaves a body that is not valid UTF-8 as bytes: Neutron's JSON decoding refuses it.
    if (Buffer.isBuffer(req.body) && (req.method === 'POST' || req.method === 'PUT')) throw badRequest('Body contains invalid data');
    const path = req.url.split('?', 1)[0];
    const segments = path
      .slice('/v2.0/'.length)
      .split('/')
      .map((s) => safeDecode(s));
    if (segments[segments.length - 1] === '') segments.pop();
    const last = segments.length - 1;
    if (last >= 0 && segments[last].endsWith('.json')) segments[last] = segments[last].slice(0, -'.json'.length);
    const request: ApiRequest = {
      method: req.method,
      segments,
      query: (req.query ?? {}) as QueryParams,
      rawBody: typeof req.body === 'string' ? req.body : undefined,
      headers: req.headers,
      auth,
      pathUrl: `${publicBaseUrl(req)}${path.replace(/\.json$/, '')}`,
    };
    if (segments.length === 0) return this.index(request);
    return this.engine.route(request);
  }

  private index(req: ApiRequest): ApiResponse {
    if (req.method !== 'GET') throw httpNotFound();
    const base = req.pathUrl.replace(/\/$/, '');
    const resources = this.registry.coreResources().map((def) => ({
      name: def.name,
      collection: def.collection,
      links: [{ rel: 'self', href: `${base}/${def.path}` }],
    }));
    return { status: 200, body: { resources } };
  }

  private async authenticate(req: FastifyRequest): Promise<AuthContext> {
    const header = req.headers['x-auth-token'];
    const token = Array.isArray(header) ? header[0] : header;
    const auth = token ? await this.tokens.validate(token) : undefined;
    if (!auth) throw new UnauthorizedError(this.tokens.publicUrl());
    return auth;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
