import type { FastifyRequest } from 'fastify';

/** scheme://host of the request as the client addressed it (X-Forwarded-Proto honoured, as Neutron does). */
export function publicBaseUrl(req: FastifyRequest): string {
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded) || 'http';
  const host = req.headers.host || `${req.socket.localAddress}:${req.socket.localPort}`;
  return `${proto}://${host}`;
}
