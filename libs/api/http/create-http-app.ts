import { randomUUID } from 'node:crypto';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { HttpRequestMetrics } from '../../metrics/index.js';
import { ResourceRegistry } from '../engine/resource-registry.js';
import { requestResource } from './request-resource.js';
import { neutronClientError } from './client-error.js';
import { nestPinoLogger } from './nest-pino-logger.js';

export interface HttpAppOptions {
  bodyLimit: number;
  log: Logger;
  /** Renders errors raised by fastify itself (bad URL, body too large) in the API's own error format. */
  renderError(error: unknown, req: never, reply: never): void;
  /** True while the process shuts down: responses then carry `Connection: close` (keep-alive clients let go). */
  draining?: () => boolean;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Neutron answers `//v2.0//networks` as `/v2.0/networks` (a catalog URL ending in '/' makes clients send such paths).
 * Done before routing so that the router, links and errors all see the collapsed path; the query is untouched.
 */
export function collapseSlashes(req: { url?: string }): string {
  const url = req.url ?? '/';
  if (!url.includes('//')) return url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return path.replace(/\/{2,}/g, '/') + (q < 0 ? '' : url.slice(q));
}

/**
 * A Nest application on fastify that takes bodies as raw text (so each API answers malformed JSON in its own
 * error format), logs one structured line per request and tags every response with a request id. Errors raised
 * inside fastify (body too large) reach Nest's exception filter; those before routing (bad URL) reach `renderError`.
 * With metrics on, each response is observed in the request duration histogram.
 */
export async function createHttpApp(module: Type<unknown> | DynamicModule, opts: HttpAppOptions): Promise<INestApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: opts.bodyLimit,
    genReqId: () => `req-${randomUUID()}`,
    frameworkErrors: (error: Error, req: unknown, reply: unknown) => opts.renderError(error, req as never, reply as never),
    routerOptions: { maxParamLength: 1000 },
    rewriteUrl: collapseSlashes,
    clientErrorHandler: neutronClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter as never, {
    bodyParser: false,
    logger: nestPinoLogger(opts.log),
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.removeAllContentTypeParsers();
  // Strict UTF-8 as Neutron's jsonutils.loads: invalid bytes stay a Buffer, which the router refuses as invalid data
  // (decoding with replacement characters would store what the client never sent). A BOM is kept, as Python does.
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, UTF8.decode(body as Buffer));
    } catch {
      done(null, body);
    }
  });
  fastify.addHook('onSend', async (req, reply) => {
    reply.header('X-Openstack-Request-Id', req.id);
    if (opts.draining?.()) reply.header('Connection', 'close');
  });
  const durations = requestMetrics(app);
  fastify.addHook('onResponse', async (req, reply) => {
    durations?.(req.url, req.method, reply.statusCode, reply.elapsedTime);
    if (!opts.log.isLevelEnabled('info')) return;
    opts.log.info(
      { reqId: req.id, method: req.method, path: req.url.split('?', 1)[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 },
      'request',
    );
  });
  return app;
}

/** Observes one response (elapsed in ms) when the module has metrics on and the resource registry; else undefined. */
function requestMetrics(app: INestApplication): ((url: string, method: string, status: number, ms: number) => void) | undefined {
  const find = <T>(token: abstract new (...args: never[]) => T): T | undefined => {
    try {
      return app.get(token, { strict: false });
    } catch {
      return undefined;
    }
  };
  const metrics = find(HttpRequestMetrics);
  const registry = find(ResourceRegistry);
  if (!metrics?.enabled || !registry) return undefined;
  return (url, method, status, ms) => metrics.observe(requestResource(registry, url), method, status, ms / 1000);
}
