import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { httpNotFound, methodNotAllowed, NeutronError } from '../errors/neutron-error.js';
import { renderError } from './error-renderer.js';

@Catch()
export class NeutronExceptionFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    let error = exception;
    // Nest wraps some framework errors (e.g. body too large) in its own HttpException: keep their status.
    if (exception instanceof HttpException) error = fromStatus(exception.getStatus(), req.method);
    renderError(error, req, http.getResponse<FastifyReply>(), this.log);
  }
}

function fromStatus(status: number, method: string): NeutronError {
  if (status === 405) return methodNotAllowed(method);
  if (status === 413) return new NeutronError('HTTPRequestEntityTooLarge', 'Request is too large.', 413);
  if (status === 404) return httpNotFound();
  if (status >= 400 && status < 500) {
    return new NeutronError('HTTPBadRequest', 'The server could not comply with the request since it is either malformed or otherwise incorrect.', 400);
  }
  return new NeutronError('HTTPInternalServerError', 'Request Failed: internal server error while processing your request.', 500);
}
