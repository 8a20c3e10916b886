import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { NeutronError, badRequest, methodNotAllowed } from '../errors/neutron-error.js';

/**
 * Requests Node's HTTP parser rejects before fastify sees them, answered with a NeutronError body as Neutron's WSGI
 * server would: an unknown method (`FOO /v2.0/networks`, which eventlet hands to the API: 405), raw invalid bytes
 * or an overflowing header (400/431), a timeout (408). The connection is closed: the parser cannot go on.
 */
export function neutronClientError(err: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const error = clientErrorOf(err);
  const body = JSON.stringify({ NeutronError: { type: error.type, message: error.message, detail: error.detail } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

function clientErrorOf(err: NodeJS.ErrnoException & { rawPacket?: unknown }): NeutronError {
  switch (err.code) {
    case 'HPE_INVALID_METHOD': {
      // The method as sent, if it is a plain token (it is echoed into the message).
      const start = Buffer.isBuffer(err.rawPacket) ? err.rawPacket.toString('latin1', 0, 40) : '';
      const method = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,32}(?= )/.exec(start)?.[0];
      return methodNotAllowed(method);
    }
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new NeutronError('HTTPRequestTimeout', 'The server timed out waiting for the request.', 408);
    case 'HPE_HEADER_OVERFLOW':
      return new NeutronError('HTTPRequestHeaderFieldsTooLarge', 'The request header fields are too large.', 431);
    default:
      return badRequest('The server could not comply with the request since it is either malformed or otherwise incorrect.');
  }
}
