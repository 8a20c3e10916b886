import type { FastifyReply } from 'fastify';
import type { KeystoneError } from '../keystone-error.js';

/** Writes Keystone's error body; a 401 names Keystone in WWW-Authenticate as keystonemiddleware expects. */
export function sendKeystoneError(reply: FastifyReply, error: KeystoneError, publicUrl: string, allow?: string[]): void {
  if (reply.sent) return;
  reply.code(error.code).header('content-type', 'application/json');
  reply.header('x-openstack-request-id', reply.request.id);
  if (error.code === 401) reply.header('www-authenticate', `Keystone uri="${publicUrl}"`);
  if (allow?.length) reply.header('allow', allow.join(', '));
  void reply.send(JSON.stringify(error.toBody()));
}
