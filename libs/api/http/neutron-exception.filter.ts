import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { httpNotFound, methodNotAllowed } from '../errors/neutron-error.js';
import { renderError } from './error-renderer.js';

@Catch()
export class NeutronExceptionFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    let error = exception;
    // Nest's own routing errors, should any escape the catch-all routes.
    if (exception instanceof HttpException) error = exception.getStatus() === 405 ? methodNotAllowed() : httpNotFound();
    renderError(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.log);
  }
}
