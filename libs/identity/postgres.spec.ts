import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeystoneClient } from './testing/keystone-client.js';
import { type RunningIdentity, startIdentity } from './testing/identity-harness.js';

/** A server where the spec may create and drop a scratch database (the machine's PostgreSQL; CI starts it). */
const SERVER_URL = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('identity on PostgreSQL', () => {
  const dbName = `identity_spec_${randomBytes(4).toString('hex')}`;
  let url: string;
  let id: RunningIdentity;

  async function admin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: SERVER_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${dbName}`);
    const u = new URL(SERVER_URL!);
    u.pathname = `/${dbName}`;
    url = u.toString();
    id = await startIdentity({ databaseUrl: url });
  }, 60_000);

  afterAll(async () => {
    await id?.close();
    await admin(`DROP DATABASE IF EXISTS ${dbName}`);
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
    id = await startIdentity({ databaseUrl: url });
    expect(await id.services.tokens.validate(token)).toMatchObject({ user_name: 'admin' });
  }, 60_000);
});
