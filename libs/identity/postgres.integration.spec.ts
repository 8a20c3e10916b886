import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchPostgres, type ScratchPostgres } from '../db/testing/scratch-database.js';
import { KeystoneClient } from './testing/keystone-client.js';
import { type RunningIdentity, startIdentity } from './testing/identity-harness.js';

describe('identity on PostgreSQL', () => {
  // a scratch database on the machine's PostgreSQL (CI starts it)
  let scratch: ScratchPostgres;
  let id: RunningIdentity;

  beforeAll(async () => {
    scratch = await createScratchPostgres('identity_spec', 4);
    id = await startIdentity({ databaseUrl: scratch.url });
  }, 60_000);

  afterAll(async () => {
    await id?.close();
    await scratch?.drop();
  });

  it('runs the migration, bootstraps, issues and validates tokens, CRUD with conflicts and emoji', async () => {
    const ks = new KeystoneClient(id.origin);
    const token = await ks.token('admin', 'admin', 'admin');
    expect(await id.services.tokens.validate(token)).toMatchObject({ is_admin: true, project_name: 'admin' });

    const p = await ks.call('POST', '/v3/projects', { token, body: { project: { name: 'pg-🐘', tags: ['x'] } } });
    expect(p.body.project).toMatchObject({ name: 'pg-🐘', tags: ['x'], enabled: true });
    const dup = await ks.call('POST', '/v3/projects', { token, body: { project: { name: 'pg-🐘' } } });
    expect(dup.status).toBe(409);
    const u = await ks.call('POST', '/v3/users', {
      token,
      body: { user: { name: 'pg-user', password: 'pw', default_project_id: p.body.project.id, email: 'e@x' } },
    });
    expect(u.body.user.email).toBe('e@x');
    const member = (await ks.call('GET', '/v3/roles?name=member', { token })).body.roles[0].id;
    await ks.call('PUT', `/v3/projects/${p.body.project.id}/users/${u.body.user.id}/roles/${member}`, { token });
    const userToken = await ks.token('pg-user', 'pw');
    expect(await id.services.tokens.validate(userToken)).toMatchObject({ project_name: 'pg-🐘', roles: ['member', 'reader'] });

    // NUL cannot be stored in PostgreSQL text: refused with 400 before any query.
    expect((await ks.call('GET', '/v3/projects/%00', { token })).status).toBe(400);
    expect((await ks.call('POST', '/v3/projects', { token, raw: '{"project":{"name":"a\\u0000"}}' })).status).toBe(400);
    expect((await ks.call('GET', '/v3/auth/tokens', { token, headers: { 'x-subject-token': 'a\tb' } })).status).toBe(404);
    const disabled = await ks.call('GET', '/v3/projects?enabled=false', { token });
    expect(disabled.body.projects).toEqual([]);
    // Deleting a role revokes every token carrying it, implied roles included (admin's too).
    await ks.call('DELETE', `/v3/roles/${member}`, { token });
    expect(await id.services.tokens.validate(userToken)).toBeUndefined();
    expect(await id.services.tokens.validate(token)).toBeUndefined();
    const fresh = await ks.token('admin', 'admin', 'admin');
    expect((await ks.call('DELETE', `/v3/users/${u.body.user.id}`, { token: fresh })).status).toBe(204);
    const left = await ks.call('GET', `/v3/role_assignments?scope.project.id=${p.body.project.id}`, { token: fresh });
    expect(left.body.role_assignments).toEqual([]);
  });

  it('keeps tokens across a restart on the same database', async () => {
    const ks = new KeystoneClient(id.origin);
    const token = await ks.token('admin', 'admin', 'admin');
    await id.close();
    id = await startIdentity({ databaseUrl: scratch.url });
    expect(await id.services.tokens.validate(token)).toMatchObject({ user_name: 'admin' });
  }, 60_000);
});
