import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { UserEntity } from './entities/user.entity.js';
import { IdentityServices } from './services/identity-services.js';
import { pbkdf2Sha512 } from './services/password-hasher.js';
import { identityContext, openDatabase, tempDir, testConfig } from './testing/identity-harness.js';
import { KeystoneClient } from './testing/keystone-client.js';
import { startIdentity } from './testing/identity-harness.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

describe('TokenService.validate', () => {
  it('serves a cached token without a password check and without the database (its speed: the bench\'s token.validate)', async () => {
    const id = await startIdentity();
    try {
      const token = await new KeystoneClient(id.origin).token('admin', 'admin', 'admin');
      const derive = vi.spyOn(pbkdf2Sha512, 'derive');
      // Database.queryCount over-counts on SQLite (see report), so count units of work instead.
      const reads = vi.spyOn(id.db, 'read');
      const writes = vi.spyOn(id.db, 'transaction');
      for (let i = 0; i < 1000; i++) await id.services.tokens.validate(token);
      expect(derive).not.toHaveBeenCalled();
      expect(reads).not.toHaveBeenCalled();
      expect(writes).not.toHaveBeenCalled();
      const ctx = await id.services.tokens.validate(token);
      expect(ctx).toMatchObject({
        token_id: token,
        user_name: 'admin',
        user_domain_id: 'default',
        project_name: 'admin',
        roles: ['admin', 'member', 'reader'],
        is_admin: true,
      });
      expect(id.services.tokens.publicUrl()).toBe(`${id.origin}/v3`);
      // The spy does see password checks: issuing a token costs exactly one.
      await new KeystoneClient(id.origin).token('admin', 'admin', 'admin');
      expect(derive).toHaveBeenCalledTimes(1);
      expect(await id.services.tokens.validate('')).toBeUndefined();
      expect(await id.services.tokens.validate('x'.repeat(10_000))).toBeUndefined();
      vi.restoreAllMocks();
    } finally {
      await id.close();
    }
  });

  it('reads an uncached token with one primary-key read and no write', async () => {
    const id = await startIdentity({ config: { identity: { token_cache_seconds: 0 } } });
    try {
      const token = await new KeystoneClient(id.origin).token('admin', 'admin', 'admin');
      const reads = vi.spyOn(id.db, 'read');
      const writes = vi.spyOn(id.db, 'transaction');
      const derive = vi.spyOn(pbkdf2Sha512, 'derive');
      expect(await id.services.tokens.validate(token)).toBeDefined();
      expect(await id.services.tokens.validate(token)).toBeDefined();
      expect(reads).toHaveBeenCalledTimes(2);
      expect(writes).not.toHaveBeenCalled();
      expect(derive).not.toHaveBeenCalled();
      vi.restoreAllMocks();
    } finally {
      await id.close();
    }
  });
});

describe('persistence and bootstrap', () => {
  it('keeps tokens across a reopened database and re-runs the bootstrap idempotently', async () => {
    const dataDir = dir();
    const first = await startIdentity({ dataDir });
    const token = await new KeystoneClient(first.origin).token('admin', 'admin', 'admin');
    await first.close();

    const db = await openDatabase(dataDir);
    const config = testConfig({ data_dir: dataDir });
    const ctx = await identityContext(config, db);
    try {
      const services = ctx.get(IdentityServices);
      expect(await services.tokens.validate(token)).toMatchObject({ user_name: 'admin', project_name: 'admin' });
      // A second bootstrap in the same database created nothing new.
      expect((await services.users.list({ name: 'admin' })).length).toBe(1);
      expect((await services.roles.list({})).map((r) => r.name).sort()).toEqual(['admin', 'member', 'reader']);
      expect((await services.projects.list({ name: 'admin' })).length).toBe(1);
    } finally {
      await ctx.close();
      await db.close();
    }
  });

  it('applies a changed admin_password at the next start and revokes the old tokens', async () => {
    const dataDir = dir();
    const first = await startIdentity({ dataDir });
    const token = await new KeystoneClient(first.origin).token('admin', 'admin', 'admin');
    const hashBefore = (await first.db.read((em) => em.findOneBy(UserEntity, { name: 'admin' })))!.password_hash;
    await first.close();

    // Same password: the stored hash is kept (no rehash, no write).
    const same = await startIdentity({ dataDir });
    expect((await same.db.read((em) => em.findOneBy(UserEntity, { name: 'admin' })))!.password_hash).toBe(hashBefore);
    await same.close();

    const second = await startIdentity({ dataDir, config: { identity: { admin_password: 'rotated' } } });
    try {
      const ks = new KeystoneClient(second.origin);
      expect((await ks.password('admin', 'admin', 'admin')).status).toBe(401);
      expect((await ks.password('admin', 'rotated', 'admin')).status).toBe(201);
      expect(await second.services.tokens.validate(token)).toBeUndefined();
    } finally {
      await second.close();
    }
  });
});
