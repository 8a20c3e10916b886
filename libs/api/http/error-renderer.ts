import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { NeutronError } from '../errors/neutron-error.js';
import { UnauthorizedError } from './unauthorized.error.js';

interface FastifyError {
  code?: string;
  statusCode?: number;
  message: string;
}

/** Every failure of the Networking API becomes a NeutronError body; only a bug is a (logged) 500. */
export function renderError(error: unknown, req: FastifyRequest, reply: FastifyReply, log: Logger): void {
  if (error instanceof UnauthorizedError) {
    void reply
      .status(401)
      .header('WWW-Authenticate', `Keystone uri="${error.keystoneUrl}"`)
      .type('application/json')
      .send(JSON.stringify({ error: { code: 401, title: 'Unauthorized', message: error.message } }));
    return;
  }
  const neutron = error instanceof NeutronError ? error : fromFramework(error as FastifyError);
  if (!neutron) {
    log.error({ err: error, reqId: req.id, method: req.method, url: req.url }, 'unhandled error');
  }
  const e = neutron ?? new NeutronError('HTTPInternalServerError', 'Request Failed: internal server error while processing your request.', 500);
  void reply
    .status(e.status)
    .type('application/json')
    .send(JSON.stringify({ NeutronError: { type: e.type, message: e.message, detail: e.detail } }));
}

/** Errors fastify raises before a handler runs (body too large, bad URL encoding, bad content). */
function fromFramework(error: FastifyError): NeutronError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new NeutronError('HTTPRequestEntityTooLarge', 'Request is too large.', 413);
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new NeutronError('HTTPBadRequest', 'The server could not comply with the request since it is either malformed or otherwise incorrect.', 400);
    default:
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return new NeutronError('HTTPBadRequest', error.message, error.statusCode);
      }
      return undefined;
  }
}
