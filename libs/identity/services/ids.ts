import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Keystone's entity ids: uuid4 hex. */
export function newId(): string {
  return randomUUID().replaceAll('-', '');
}

/** An opaque bearer token: 32 random bytes (256 bits), url-safe, 43 characters. */
export function newTokenId(): string {
  return randomBytes(32).toString('base64url');
}

/** Keystone's audit id: 16 random bytes, url-safe base64 without padding (22 characters). */
export function newAuditId(): string {
  return randomBytes(16).toString('base64url');
}

/** Ids of the built-in catalog: stable across restarts and replicas. */
export function stableId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}
