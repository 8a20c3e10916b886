import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';

const COST = 10;
/** Keystone's [identity] max_password_length. */
export const MAX_PASSWORD_LENGTH = 4096;

/** bcrypt ignores everything after 72 bytes; a longer password is reduced with SHA-256 first so that all of it counts. */
function prepare(password: string): string {
  if (Buffer.byteLength(password, 'utf8') <= 72) return password;
  return 'sha256$' + createHash('sha256').update(password, 'utf8').digest('base64');
}

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(prepare(password), COST);
}

export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (!hash || password.length > MAX_PASSWORD_LENGTH) return false;
  return bcrypt.compare(prepare(password), hash);
}
