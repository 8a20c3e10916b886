import { randomUUID } from 'node:crypto';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { nestPinoLogger } from './nest-pino-logger.js';

export interface HttpAppOptions {
  bodyLimit: number;
  log: Logger;
  /** Renders errors raised by fastify itself (bad URL, body too large) in the API's own error format. */
  renderError(error: unknown, req: never, reply: never): void;
  /** True while the process shuts down: responses then carry `Connection: close` (keep-alive clients let go). */
  draining?: () => boolean;
}

/**
 * A Nest application on fastify that takes bodies as raw text (so each API answers malformed JSON in its own
 * error format), logs one structured line per request and tags every response with a request id. Errors raised
 * inside fastify (body too large) reach Nest's exception filter; those before routing (bad URL) reach `renderError`.
 */
export async function createHttpApp(module: Type<unknown> | DynamicModule, opts: HttpAppOptions): Promise<INestApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: opts.bodyLimit,
    genReqId: () => `req-${randomUUID()}`,
    frameworkErrors: (error: Error, req: unknown, reply: unknown) => opts.renderError(error, req as never, reply as never),
    routerOptions: { maxParamLength: 1000 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter as never, {
    bodyParser: false,
    logger: nestPinoLogger(opts.log),
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  fastify.addHook('onSend', async (req, reply) => {
    reply.header('X-Openstack-Request-Id', req.id);
    if (opts.draining?.()) reply.header('Connection', 'close');
  });
  fastify.addHook('onResponse', async (req, reply) => {
    opts.log.info(
      { reqId: req.id, method: req.method, path: req.url.split('?', 1)[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 },
      'request',
    );
  });
  return app;
}
