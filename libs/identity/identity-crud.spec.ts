import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeystoneClient } from './testing/keystone-client.js';
import { type RunningIdentity, startIdentity } from './testing/identity-harness.js';

let id: RunningIdentity;
let ks: KeystoneClient;
let admin: string;

beforeAll(async () => {
  id = await startIdentity();
  ks = new KeystoneClient(id.origin);
  admin = await ks.token('admin', 'admin', 'admin');
}, 30_000);
afterAll(() => id?.close());

async function roleId(name: string): Promise<string> {
  const r = await ks.call('GET', `/v3/roles?name=${name}`, { token: admin });
  return r.body.roles[0].id;
}

describe('tempest dynamic credentials flow', () => {
  it('creates a project and a user, grants member, authenticates as the user, tears down', async () => {
    const domains = await ks.call('GET', '/v3/domains?name=Default', { token: admin });
    expect(domains.status).toBe(200);
    expect(domains.body.domains).toEqual([
      {
        id: 'default',
        name: 'Default',
        description: 'The default domain',
        enabled: true,
        tags: [],
        options: {},
        links: { self: `${id.origin}/v3/domains/default` },
      },
    ]);
    expect(domains.body.links).toEqual({ self: `${id.origin}/v3/domains?name=Default`, previous: null, next: null });

    const p = await ks.call('POST', '/v3/projects', {
      token: admin,
      body: { project: { name: 'tempest-p1', description: 'tempest', domain_id: 'default' } },
    });
    expect(p.status).toBe(201);
    expect(p.body.project).toMatchObject({
      name: 'tempest-p1',
      description: 'tempest',
      domain_id: 'default',
      enabled: true,
      parent_id: 'default',
      is_domain: false,
      tags: [],
      options: {},
    });
    expect(p.body.project.links.self).toBe(`${id.origin}/v3/projects/${p.body.project.id}`);

    const u = await ks.call('POST', '/v3/users', {
      token: admin,
      body: { user: { name: 'tempest-u1', password: 'pw1', domain_id: 'default', email: 'u1@example.org' } },
    });
    expect(u.status).toBe(201);
    expect(u.body.user).toMatchObject({
      name: 'tempest-u1',
      domain_id: 'default',
      enabled: true,
      password_expires_at: null,
      options: {},
      email: 'u1@example.org',
    });
    expect(u.body.user.password).toBeUndefined();

    const roles = await ks.call('GET', '/v3/roles', { token: admin });
    expect(roles.body.roles.map((r: { name: string }) => r.name).sort()).toEqual(['admin', 'member', 'reader']);
    expect(roles.body.roles[0]).toMatchObject({ domain_id: null, description: null, options: {} });
    const dup = await ks.call('POST', '/v3/roles', { token: admin, body: { role: { name: 'member' } } });
    expect(dup.status).toBe(409);

    const member = await roleId('member');
    const grantPath = `/v3/projects/${p.body.project.id}/users/${u.body.user.id}/roles/${member}`;
    expect((await ks.call('PUT', grantPath, { token: admin })).status).toBe(204);
    expect((await ks.call('PUT', grantPath, { token: admin })).status).toBe(204);
    expect((await ks.call('HEAD', grantPath, { token: admin })).status).toBe(204);
    expect((await ks.call('GET', grantPath, { token: admin })).status).toBe(204);

    const userToken = await ks.password('tempest-u1', 'pw1', 'tempest-p1');
    expect(userToken.status).toBe(201);
    expect(userToken.body.token.roles.map((r: { name: string }) => r.name)).toEqual(['member', 'reader']);
    const ctx = await id.services.tokens.validate(userToken.headers.get('x-subject-token')!);
    expect(ctx).toMatchObject({ user_name: 'tempest-u1', project_name: 'tempest-p1', is_admin: false, roles: ['member', 'reader'] });

    expect((await ks.call('DELETE', `/v3/users/${u.body.user.id}`, { token: admin })).status).toBe(204);
    expect((await ks.call('DELETE', `/v3/projects/${p.body.project.id}`, { token: admin })).status).toBe(204);
    expect(await id.services.tokens.validate(userToken.headers.get('x-subject-token')!)).toBeUndefined();
    const gone = await ks.call('GET', `/v3/projects/${p.body.project.id}`, { token: admin });
    expect(gone.body).toEqual({
      error: { code: 404, title: 'Not Found', message: `Could not find project: ${p.body.project.id}.` },
    });
  });
});

describe('projects, users, roles', () => {
  it('finds by name the way openstack does (GET by id → 404, then ?name=)', async () => {
    await ks.call('POST', '/v3/projects', { token: admin, body: { project: { name: 'finder' } } });
    expect((await ks.call('GET', '/v3/projects/finder', { token: admin })).status).toBe(404);
    const r = await ks.call('GET', '/v3/projects?name=finder&domain_id=default', { token: admin });
    expect(r.body.projects).toHaveLength(1);
    expect(r.body.projects[0].domain_id).toBe('default');
  });

  it('refuses a duplicate name in a domain with 409 Conflict and Keystone\'s texts', async () => {
    await ks.call('POST', '/v3/projects', { token: admin, body: { project: { name: 'demo', domain_id: 'default' } } });
    const r = await ks.call('POST', '/v3/projects', { token: admin, body: { project: { name: 'demo', domain_id: 'default' } } });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 409, title: 'Conflict' });
    expect(r.body.error.message).toMatch(
      /^Conflict occurred attempting to store project - it is not permitted to have two projects with either the same name or same id in the same domain: name is demo, project id [0-9a-f]{32}\.$/,
    );
    const other = await ks.call('POST', '/v3/projects', { token: admin, body: { project: { name: 'demo-2' } } });
    const rename = await ks.call('PATCH', `/v3/projects/${other.body.project.id}`, { token: admin, body: { project: { name: 'demo' } } });
    expect(rename.status).toBe(409);
    const role = await ks.call('POST', '/v3/roles', { token: admin, body: { role: { name: 'admin' } } });
    expect(role.body.error.message).toBe('Conflict occurred attempting to store role - Duplicate entry found with name admin.');
    await ks.call('POST', '/v3/users', { token: admin, body: { user: { name: 'dupe' } } });
    const user = await ks.call('POST', '/v3/users', { token: admin, body: { user: { name: 'dupe' } } });
    expect(user.body.error.message).toBe(
      'Conflict occurred attempting to store user - Duplicate entry found with name dupe at domain ID default.',
    );
  });

  it('round-trips names with emoji', async () => {
    const name = 'projet-🚀-ünïcödé';
    const created = await ks.call('POST', '/v3/projects', { token: admin, body: { project: { name } } });
    expect(created.body.project.name).toBe(name);
    const found = await ks.call('GET', `/v3/projects?name=${encodeURIComponent(name)}`, { token: admin });
    expect(found.body.projects.map((p: { name: string }) => p.name)).toEqual([name]);
    const user = await ks.call('POST', '/v3/users', { token: admin, body: { user: { name: '🦄 user', password: 'p' } } });
    expect((await ks.call('GET', `/v3/users/${user.body.user.id}`, { token: admin })).body.user.name).toBe('🦄 user');
  });

  it('updates a project and filters by enabled', async () => {
    const p = (await ks.call('POST', '/v3/projects', { token: admin, body: { project: { name: 'to-disable' } } })).body.project;
    const patched = await ks.call('PATCH', `/v3/projects/${p.id}`, {
      token: admin,
      body: { project: { enabled: false, description: 'off', tags: ['a', 'b'] } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.project).toMatchObject({ enabled: false, description: 'off', tags: ['a', 'b'] });
    const disabled = await ks.call('GET', '/v3/projects?enabled=false', { token: admin });
    expect(disabled.body.projects.map((x: { id: string }) => x.id)).toContain(p.id);
    const enabled = await ks.call('GET', '/v3/projects?enabled=true', { token: admin });
    expect(enabled.body.projects.map((x: { id: string }) => x.id)).not.toContain(p.id);
    const moveDomain = await ks.call('PATCH', `/v3/projects/${p.id}`, { token: admin, body: { project: { domain_id: 'other' } } });
    expect(moveDomain.status).toBe(400);
  });

  it('changes a password (PATCH) and revokes the user tokens; disabling revokes too', async () => {
    const u = (await ks.call('POST', '/v3/users', { token: admin, body: { user: { name: 'pwuser', password: 'old' } } })).body.user;
    const old = await ks.token('pwuser', 'old');
    expect((await ks.call('PATCH', `/v3/users/${u.id}`, { token: admin, body: { user: { password: 'new' } } })).status).toBe(200);
    expect(await id.services.tokens.validate(old)).toBeUndefined();
    expect((await ks.password('pwuser', 'old')).status).toBe(401);
    const fresh = await ks.token('pwuser', 'new');
    await ks.call('PATCH', `/v3/users/${u.id}`, { token: admin, body: { user: { enabled: false } } });
    expect(await id.services.tokens.validate(fresh)).toBeUndefined();
    expect((await ks.password('pwuser', 'new')).status).toBe(401);
  });

  it('self-service password change with the original password', async () => {
    const u = (await ks.call('POST', '/v3/users', { token: admin, body: { user: { name: 'selfpw', password: 'one' } } })).body.user;
    const wrong = await ks.call('POST', `/v3/users/${u.id}/password`, {
      body: { user: { original_password: 'nope', password: 'two' } },
    });
    expect(wrong.status).toBe(401);
    const ok = await ks.call('POST', `/v3/users/${u.id}/password`, { body: { user: { original_password: 'one', password: 'two' } } });
    expect(ok.status).toBe(204);
    expect((await ks.password('selfpw', 'two')).status).toBe(201);
  });

  it('role CRUD', async () => {
    const r = await ks.call('POST', '/v3/roles', { token: admin, body: { role: { name: 'observer', description: 'looks' } } });
    expect(r.status).toBe(201);
    expect(r.body.role).toMatchObject({ name: 'observer', description: 'looks', domain_id: null });
    const patched = await ks.call('PATCH', `/v3/roles/${r.body.role.id}`, { token: admin, body: { role: { name: 'watcher' } } });
    expect(patched.body.role.name).toBe('watcher');
    expect((await ks.call('GET', `/v3/roles/${r.body.role.id}`, { token: admin })).body.role.name).toBe('watcher');
    expect((await ks.call('DELETE', `/v3/roles/${r.body.role.id}`, { token: admin })).status).toBe(204);
    expect((await ks.call('GET', `/v3/roles/${r.body.role.id}`, { token: admin })).body.error.message).toBe(
      `Could not find role: ${r.body.role.id}.`,
    );
  });

  it('domain CRUD: an enabled domain cannot be deleted', async () => {
    const d = (await ks.call('POST', '/v3/domains', { token: admin, body: { domain: { name: 'dom2' } } })).body.domain;
    expect(d).toMatchObject({ name: 'dom2', enabled: true, description: '' });
    await ks.call('POST', '/v3/projects', { token: admin, body: { project: { name: 'demo', domain_id: d.id } } });
    expect((await ks.call('DELETE', `/v3/domains/${d.id}`, { token: admin })).status).toBe(403);
    await ks.call('PATCH', `/v3/domains/${d.id}`, { token: admin, body: { domain: { enabled: false } } });
    expect((await ks.call('DELETE', `/v3/domains/${d.id}`, { token: admin })).status).toBe(204);
    expect((await ks.call('GET', `/v3/projects?domain_id=${d.id}`, { token: admin })).body.projects).toEqual([]);
  });
});

describe('grants, role assignments, authorization', () => {
  let alice: { id: string };
  let demo: { id: string };
  let aliceToken: string;

  beforeAll(async () => {
    demo = (await ks.call('POST', '/v3/projects', { token: admin, body: { project: { name: 'grants-demo' } } })).body.project;
    alice = (
      await ks.call('POST', '/v3/users', {
        token: admin,
        body: { user: { name: 'alice', password: 'secret', default_project_id: demo.id } },
      })
    ).body.user;
    await ks.call('PUT', `/v3/projects/${demo.id}/users/${alice.id}/roles/${await roleId('member')}`, { token: admin });
    aliceToken = await ks.token('alice', 'secret', 'grants-demo');
  });

  it('scopes to the default project when no scope is given', async () => {
    const r = await ks.password('alice', 'secret');
    expect(r.body.token.project.id).toBe(demo.id);
  });

  it('lists grants and role assignments with the filters openstack uses', async () => {
    const grants = await ks.call('GET', `/v3/projects/${demo.id}/users/${alice.id}/roles`, { token: admin });
    expect(grants.body.roles.map((r: { name: string }) => r.name)).toEqual(['member']);

    const q = `user.id=${alice.id}&scope.project.id=${demo.id}`;
    const plain = await ks.call('GET', `/v3/role_assignments?${q}`, { token: admin });
    expect(plain.body.role_assignments).toEqual([
      {
        scope: { project: { id: demo.id } },
        user: { id: alice.id },
        role: { id: await roleId('member') },
        links: { assignment: `${id.origin}/v3/projects/${demo.id}/users/${alice.id}/roles/${await roleId('member')}` },
      },
    ]);
    const named = await ks.call('GET', `/v3/role_assignments?${q}&include_names=True`, { token: admin });
    expect(named.body.role_assignments[0]).toMatchObject({
      scope: { project: { id: demo.id, name: 'grants-demo', domain: { id: 'default', name: 'Default' } } },
      user: { id: alice.id, name: 'alice', domain: { id: 'default', name: 'Default' } },
      role: { name: 'member' },
    });
    const effective = await ks.call('GET', `/v3/role_assignments?${q}&effective&include_names`, { token: admin });
    expect(effective.body.role_assignments.map((a: { role: { name: string } }) => a.role.name).sort()).toEqual(['member', 'reader']);
    const byRole = await ks.call('GET', `/v3/role_assignments?role.id=${await roleId('admin')}`, { token: admin });
    expect(byRole.body.role_assignments.length).toBeGreaterThanOrEqual(2); // admin on project admin and on system
    const both = await ks.call('GET', `/v3/role_assignments?scope.project.id=x&scope.domain.id=y`, { token: admin });
    expect(both.status).toBe(400);
  });

  it('forbids identity administration to a non-admin with Keystone 403', async () => {
    const r = await ks.call('POST', '/v3/projects', { token: aliceToken, body: { project: { name: 'nope' } } });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({
      error: {
        code: 403,
        title: 'Forbidden',
        message: 'You are not authorized to perform the requested action: identity:create_project.',
      },
    });
    for (const [method, path] of [
      ['GET', '/v3/users'],
      ['GET', '/v3/projects'],
      ['GET', `/v3/users/${(await ks.call('GET', '/v3/users?name=admin', { token: admin })).body.users[0].id}`],
      ['PUT', `/v3/projects/${demo.id}/users/${alice.id}/roles/${await roleId('admin')}`],
      ['GET', '/v3/role_assignments'],
    ]) {
      expect((await ks.call(method, path, { token: aliceToken })).status, `${method} ${path}`).toBe(403);
    }
  });

  it('lets a user read himself and his own projects', async () => {
    expect((await ks.call('GET', `/v3/users/${alice.id}`, { token: aliceToken })).body.user.name).toBe('alice');
    const own = await ks.call('GET', `/v3/users/${alice.id}/projects`, { token: aliceToken });
    expect(own.body.projects.map((p: { name: string }) => p.name)).toEqual(['grants-demo']);
    expect((await ks.call('GET', '/v3/auth/projects', { token: aliceToken })).body.projects).toHaveLength(1);
    expect((await ks.call('GET', `/v3/projects/${demo.id}`, { token: aliceToken })).status).toBe(200);
  });

  it('domain and system grants allow domain and system scope', async () => {
    const reader = await roleId('reader');
    expect((await ks.call('PUT', `/v3/domains/default/users/${alice.id}/roles/${reader}`, { token: admin })).status).toBe(204);
    const domainScoped = await ks.call('POST', '/v3/auth/tokens', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { id: alice.id, password: 'secret' } } },
          scope: { domain: { id: 'default' } },
        },
      },
    });
    expect(domainScoped.status).toBe(201);
    expect(domainScoped.body.token.domain).toEqual({ id: 'default', name: 'Default' });
    const sys = `/v3/system/users/${alice.id}/roles/${reader}`;
    expect((await ks.call('HEAD', sys, { token: admin })).status).toBe(404);
    expect((await ks.call('PUT', sys, { token: admin })).status).toBe(204);
    expect((await ks.call('GET', `/v3/system/users/${alice.id}/roles`, { token: admin })).body.roles[0].name).toBe('reader');
    expect((await ks.call('DELETE', sys, { token: admin })).status).toBe(204);
    expect((await ks.call('DELETE', sys, { token: admin })).status).toBe(404);
  });

  it('revoking the grant revokes the token it was used for', async () => {
    const token = await ks.token('alice', 'secret', 'grants-demo');
    expect(await id.services.tokens.validate(token)).toBeDefined();
    const path = `/v3/projects/${demo.id}/users/${alice.id}/roles/${await roleId('member')}`;
    expect((await ks.call('DELETE', path, { token: admin })).status).toBe(204);
    expect(await id.services.tokens.validate(token)).toBeUndefined();
    expect((await ks.password('alice', 'secret', 'grants-demo')).status).toBe(401);
    expect((await ks.call('GET', path, { token: admin })).status).toBe(404);
  });
});

describe('read-only catalog API', () => {
  it('lists regions, services and endpoints and refuses writes', async () => {
    expect((await ks.call('GET', '/v3/regions', { token: admin })).body.regions[0].id).toBe('RegionOne');
    const services = await ks.call('GET', '/v3/services', { token: admin });
    expect(services.body.services.map((s: { type: string }) => s.type).sort()).toEqual(['identity', 'network']);
    const endpoints = await ks.call('GET', '/v3/endpoints', { token: admin });
    expect(endpoints.body.endpoints).toHaveLength(6);
    const post = await ks.call('POST', '/v3/services', { token: admin, body: { service: { type: 'compute', name: 'nova' } } });
    expect(post.status).toBe(403);
    expect(post.body.error.message).toBe('You are not authorized to perform the requested action: identity:create_service.');
  });
});
