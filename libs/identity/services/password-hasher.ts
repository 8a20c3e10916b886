import { createHash, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';

/** Keystone's [identity] max_password_length. */
export const MAX_PASSWORD_LENGTH = 4096;

/**
 * New hashes are Keystone's `pbkdf2_sha512` in passlib's format (`$pbkdf2-sha512$<rounds>$<salt>$<checksum>`, adapted
 * base64) with passlib's default rounds: native and off the event loop, where bcryptjs spends ~70 ms of the only
 * thread per hash or check. bcrypt hashes that earlier versions stored are still checked.
 */
const PBKDF2_PREFIX = '$pbkdf2-sha512$';
const PBKDF2_ROUNDS = 25_000;
/** The key derivation, as an object so that a test can count the password checks. */
export const pbkdf2Sha512 = { derive: promisify(pbkdf2) };
const derive = (password: string, salt: Buffer, rounds: number) => pbkdf2Sha512.derive(password, salt, rounds, 64, 'sha512');

/** passlib's adapted base64: '.' for '+', no padding. */
const ab64 = (b: Buffer) => b.toString('base64').replace(/\+/g, '.').replace(/=+$/, '');
const fromAb64 = (s: string) => Buffer.from(s.replace(/\./g, '+'), 'base64');

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const checksum = await derive(password, salt, PBKDF2_ROUNDS);
  return `${PBKDF2_PREFIX}${PBKDF2_ROUNDS}$${ab64(salt)}$${ab64(checksum)}`;
}

export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (!hash || password.length > MAX_PASSWORD_LENGTH) return false;
  if (hash.startsWith(PBKDF2_PREFIX)) {
    const [rounds, salt, checksum] = hash.slice(PBKDF2_PREFIX.length).split('$');
    const expected = fromAb64(checksum ?? '');
    if (!Number(rounds) || !salt || expected.length !== 64) return false;
    const actual = await derive(password, fromAb64(salt), Number(rounds));
    return timingSafeEqual(actual, expected);
  }
  return bcrypt.compare(bcryptInput(password), hash);
}

/** bcrypt ignores everything after 72 bytes; earlier versions reduced a longer password with SHA-256 first. */
function bcryptInput(password: string): string {
  if (Buffer.byteLength(password, 'utf8') <= 72) return password;
  return 'sha256$' + createHash('sha256').update(password, 'utf8').digest('base64');
}
