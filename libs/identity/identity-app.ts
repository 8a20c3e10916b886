/**
 * The Keystone v3 stub as its own Nest application on its own FastifyAdapter (port config.identity.port), with its
 * own routes and Keystone-style errors, independent of the Networking API app.
 *
 * Wiring: the identity services live in ONE place, the Networking API app, which imports `IdentityModule` (global)
 * beside `ConfigModule.forRoot(config)` and `DbModule.forRoot(...)` with `identityEntities`/`identityMigrations` in its
 * entity and migration lists. The API's auth guard injects `TOKEN_VALIDATOR` (= TokenService). This app reuses those
 * very instances (handed over as `IdentityServices`, or taken from the API app's container with `app.get()`), so
 * both ports share one token cache, one bootstrap and one Database:
 *
 *   const api = await NestFactory.create(ApplianceModule.forRoot(config), new FastifyAdapter());
 *   await api.init();                                   // runs IdentityModule.onModuleInit → bootstrap
 *   const identity = await createIdentityApp({ config, app: api, logger });   // or { identity: api.get(IdentityServices) }
 *   await api.listen(config.api.port, config.host);
 *   await identity.listen(config.identity.port, config.host);
 *
 * The returned app is initialized but not listening. Closing it does not close the shared services or the Database:
 * the API app owns them.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Logger, pino } from 'pino';
import { nestPinoLogger } from '../api/http/nest-pino-logger.js';
import type { AppConfig } from '../config/config.schema.js';
import { IdentityHttpModule } from './http/identity-http.module.js';
import { parseKeystoneBody } from './http/keystone-body-parser.js';
import { RouteTable } from './http/route-table.js';
import { sendKeystoneError } from './http/send-error.js';
import { KeystoneError, methodNotAllowed, resourceNotFound, validationError } from './keystone-error.js';
import { IdentityServices } from './services/identity-services.js';

export interface IdentityAppDeps {
  config: AppConfig;
  /** The process's identity services (IdentityModule's instances)… */
  identity?: IdentityServices;
  /** …or the app whose container holds IdentityModule; its IdentityServices are used. */
  app?: INestApplicationContext;
  logger?: Logger;
  /** True while the process shuts down: responses then carry `Connection: close` (keep-alive clients let go). */
  draining?: () => boolean;
}

export async function createIdentityApp(deps: IdentityAppDeps): Promise<INestApplication> {
  const services = deps.identity ?? deps.app?.get(IdentityServices, { strict: false });
  if (!services) throw new Error('createIdentityApp needs `identity` (IdentityServices) or `app` (importing IdentityModule)');
  const log = deps.logger ?? pino({ level: 'silent' });
  const publicUrl = services.catalog.publicUrl();
  const bodyLimit = deps.config.api.body_limit_bytes;
  const routes = new RouteTable();

  const adapter = new FastifyAdapter({
    bodyLimit,
    genReqId: () => `req-${randomUUID()}`,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    rewriteUrl: collapseSlashes,
    clientErrorHandler: keystoneClientError,
    // The router rejects a malformed path (bad %-encoding, invalid UTF-8) before any hook or Nest layer runs.
    frameworkErrors: (error: Error & { statusCode?: number }, _req: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode ?? 400;
      const keystone =
        status === 404
          ? resourceNotFound()
          : status === 400
            ? validationError('Invalid URL: the path is not valid UTF-8 percent-encoding.')
            : new KeystoneError(status, STATUS_CODES[status] ?? 'Error', error.message);
      sendKeystoneError(reply, keystone, publicUrl);
    },
  });
  const fastify = adapter.getInstance();
  // PostgreSQL cannot store NUL in text: refuse it at the edge rather than fail in a query.
  const nulInUrl = validationError('Invalid input: the URL contains a NUL character.');
  // Keystone parses the body itself (to answer malformed JSON with its ValidationError), so take it raw.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, parseKeystoneBody);
  fastify.addHook('onRoute', (route) => routes.add(route.method, route.url));
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.header('x-openstack-request-id', req.id).header('vary', 'X-Auth-Token');
    if (/%00/.test(req.url)) return sendKeystoneError(reply, nulInUrl, publicUrl);
    done();
  });
  fastify.addHook('onSend', (_req, reply, payload, done) => {
    if (deps.draining?.()) reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    log.info(
      { reqId: req.id, method: req.method, path: req.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'identity request',
    );
    done();
  });

  const app = await NestFactory.create(IdentityHttpModule.forRoot({ config: deps.config, services, routes, logger: log }), adapter, {
    bodyParser: false,
    abortOnError: false,
    logger: nestPinoLogger(log),
  });
  await services.bootstrap.ensure();
  await app.init();
  return app;
}

/**
 * Keystone answers `//v3//users` as `/v3/users` (a catalog URL ending in '/' makes clients send such paths). Done
 * before routing so that handlers, links and 405 checks all see the collapsed path; the query string is untouched.
 */
export function collapseSlashes(req: { url?: string }): string {
  const url = req.url ?? '/';
  if (!url.includes('//')) return url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return path.replace(/\/{2,}/g, '/') + (q < 0 ? '' : url.slice(q));
}

/** Requests Node's HTTP parser rejects (raw invalid bytes, header overflow, timeouts): still Keystone's body. */
function keystoneClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  // Keystone's Flask app answers a method it does not know (`FOO /v3/users`) with its 405.
  const status =
    err.code === 'HPE_INVALID_METHOD' ? 405 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const title = STATUS_CODES[status]!;
  const error =
    status === 405 ? methodNotAllowed() : new KeystoneError(status, title, status === 400 ? 'The request could not be parsed.' : title);
  const body = JSON.stringify(error.toBody());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
