// Stored password hashes: Keystone's pbkdf2_sha512 (passlib's format) for new ones; bcrypt ones from earlier versions
// still work, so an upgraded database keeps its users' passwords.
import { pbkdf2Sync } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from './password-hasher.js';

describe('password hashes', () => {
  it("stores passlib's pbkdf2-sha512 format, salted, and checks it", async () => {
    const hash = await hashPassword('s3cret');
    expect(hash).toMatch(/^\$pbkdf2-sha512\$25000\$[A-Za-z0-9./]{22}\$[A-Za-z0-9./]{86}$/);
    expect(await hashPassword('s3cret')).not.toBe(hash);
    expect(await verifyPassword('s3cret', hash)).toBe(true);
    expect(await verifyPassword('s3cret!', hash)).toBe(false);
    // The checksum is PBKDF2-HMAC-SHA512 over the salt, as passlib (and so Keystone) computes it.
    const [, , , salt, checksum] = hash.split('$');
    const expected = pbkdf2Sync('s3cret', Buffer.from(salt.replace(/\./g, '+'), 'base64'), 25_000, 64, 'sha512');
    expect(Buffer.from(checksum.replace(/\./g, '+'), 'base64').equals(expected)).toBe(true);
  });

  it('checks long passwords in full and refuses beyond the maximum length', async () => {
    const long = 'x'.repeat(100);
    const hash = await hashPassword(long);
    expect(await verifyPassword(long, hash)).toBe(true);
    expect(await verifyPassword('x'.repeat(99) + 'y', hash)).toBe(false);
    const tooLong = 'x'.repeat(MAX_PASSWORD_LENGTH + 1);
    expect(await verifyPassword(tooLong, await hashPassword(tooLong))).toBe(false);
  });

  it('still accepts the bcrypt hashes earlier versions stored, and refuses garbage', async () => {
    expect(await verifyPassword('admin', bcrypt.hashSync('admin', 4))).toBe(true);
    expect(await verifyPassword('admin2', bcrypt.hashSync('admin', 4))).toBe(false);
    expect(await verifyPassword('admin', '$pbkdf2-sha512$25000$abc$def')).toBe(false);
    expect(await verifyPassword('admin', null)).toBe(false);
  });
});
