import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import {
  KeystoneError,
  methodNotAllowed,
  requestTooLarge,
  resourceNotFound,
  unexpectedError,
  validationError,
} from '../keystone-error.js';
import { CatalogService } from '../services/catalog.service.js';
import { RouteTable } from './route-table.js';
import { sendKeystoneError } from './send-error.js';

export const IDENTITY_LOGGER = Symbol('IDENTITY_LOGGER');

/** Every error of the identity app, whatever threw it (service, Nest, fastify), leaves as Keystone's error body. */
@Catch()
export class KeystoneExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(RouteTable) private readonly routes: RouteTable,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(IDENTITY_LOGGER) private readonly log: Logger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = this.toKeystone(exception, req);
    const allow = error.code === 405 ? this.routes.allowedMethods(req.url) : undefined;
    sendKeystoneError(reply, error, this.catalog.publicUrl(), allow);
  }

  toKeystone(exception: unknown, req: FastifyRequest): KeystoneError {
    if (exception instanceof KeystoneError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Nest's "Cannot GET /x": a path we serve with other methods is a 405, as in Flask.
      if (status === 404) return this.routes.allowedMethods(req.url).length ? methodNotAllowed() : resourceNotFound();
      // Nest maps fastify's body-limit error to a PayloadTooLargeException.
      if (status === 413) return requestTooLarge(this.config.api.body_limit_bytes);
      if (status === 400) return validationError(exception.message);
      if (status < 500) return new KeystoneError(status, STATUS_CODES[status] ?? 'Error', exception.message);
    }
    const fastifyError = exception as { code?: string; statusCode?: number; message?: string };
    if (fastifyError?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return requestTooLarge(this.config.api.body_limit_bytes);
    const status = fastifyError?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return status === 400
        ? validationError(fastifyError.message ?? 'Bad Request')
        : new KeystoneError(status, STATUS_CODES[status] ?? 'Error', fastifyError.message ?? '');
    }
    this.log.error({ err: exception, method: req.method, url: req.url, reqId: req.id }, 'identity: unexpected error');
    return unexpectedError();
  }
}
