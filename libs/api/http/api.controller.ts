import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpNotFound, methodNotAllowed } from '../errors/neutron-error.js';
import { ApiRouter } from './api-router.js';
import { publicBaseUrl } from './base-url.js';

/** Thin: every /v2.0 request goes to the generic router; the root and the fallbacks answer as Neutron does. */
@Controller()
export class ApiController {
  constructor(@Inject(ApiRouter) private readonly router: ApiRouter) {}

  @All('/')
  versions(@Req() req: FastifyRequest) {
    if (req.method !== 'GET') throw methodNotAllowed(req.method);
    return { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${publicBaseUrl(req)}/v2.0/` }] }] };
  }

  @All('v2.0/*')
  async v2(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { status, body } = await this.router.dispatch(req);
    reply.status(status);
    if (body === undefined) await reply.send();
    // As bytes: node's http would otherwise prepend the headers to a string body and copy the whole text (a
    // 1,000-port list is 870 kB) to write it, and count its UTF-8 length once more.
    else await reply.type(JSON_TYPE).send(Buffer.from(toJson(body)));
  }

  @All('*')
  unknown(): never {
    throw httpNotFound();
  }
}

/** What fastify sends for a JSON string body (it adds the charset itself only to strings). */
const JSON_TYPE = 'application/json; charset=utf-8';

/** JSON with BigInts written as exact integers (IPv6 address counts), which JSON.stringify cannot do. */
export function toJson(body: unknown): string {
  try {
    return JSON.stringify(body); // the fast path: a replacer function makes stringify several times slower
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
  const text = JSON.stringify(body, (_key, value: unknown) => (typeof value === 'bigint' ? `\u0000bigint:${value}` : value));
  return text.replace(/"\\u0000bigint:(\d+)"/g, '$1');
}
