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

async function create(kind: string, body: Record<string, unknown>): Promise<string> {
  const r = await ks.call('POST', `/v3/${kind}s`, { token: admin, body: { [kind]: body } });
  if (r.status !== 201) throw new Error(`${kind}: ${r.status} ${r.text}`);
  return r.body[kind].id;
}

describe('catalog and paths', () => {
  it('publishes the network endpoint without a trailing slash and answers repeated slashes', async () => {
    const r = await ks.call('GET', '/v3//auth//catalog', { token: admin });
    expect(r.status).toBe(200);
    const network = r.body.catalog.find((s: { type: string }) => s.type === 'network');
    expect(network.endpoints.map((e: { url: string }) => e.url)).toEqual(Array(3).fill(`http://127.0.0.1:${id.config.api.port}`));
    expect(r.body.links.self).toBe(`${id.origin}/v3/auth/catalog`);
  });

  it('filters services by type and name, endpoints by service, interface and region', async () => {
    const network = await ks.call('GET', '/v3/services?type=network', { token: admin });
    expect(network.body.services.map((s: { name: string }) => s.name)).toEqual(['neutron']);
    expect((await ks.call('GET', '/v3/services?name=keystone', { token: admin })).body.services).toHaveLength(1);
    expect((await ks.call('GET', '/v3/services?type=compute', { token: admin })).body.services).toEqual([]);
    const sid = network.body.services[0].id;
    const eps = await ks.call('GET', `/v3/endpoints?service_id=${sid}&interface=public&region_id=RegionOne`, { token: admin });
    expect(eps.body.endpoints).toHaveLength(1);
    expect(eps.body.endpoints[0]).toMatchObject({ service_id: sid, interface: 'public', region_id: 'RegionOne' });
    expect((await ks.call('GET', `/v3/endpoints?service_id=${sid}&region_id=Elsewhere`, { token: admin })).body.endpoints).toEqual([]);
    expect((await ks.call('GET', '/v3/endpoints', { token: admin })).body.endpoints).toHaveLength(6);
    expect((await ks.call('GET', '/v3/projects?is_domain=true', { token: admin })).body.projects).toEqual([]);
    expect((await ks.call('GET', '/v3/projects?is_domain=false&name=admin', { token: admin })).body.projects).toHaveLength(1);
  });
});

describe('groups', () => {
  it('CRUD, membership, and a group grant that reaches the member’s token, projects and role assignments', async () => {
    const project = await create('project', { name: 'g-proj' });
    const user = await create('user', { name: 'g-user', password: 'pw' });
    const group = await create('group', { name: 'g-team', description: 'team' });
    const dup = await ks.call('POST', '/v3/groups', { token: admin, body: { group: { name: 'g-team' } } });
    expect(dup.status).toBe(409);
    expect((await ks.call('GET', '/v3/groups?name=g-team', { token: admin })).body.groups).toMatchObject([
      { id: group, name: 'g-team', domain_id: 'default', description: 'team' },
    ]);
    expect((await ks.call('GET', '/v3/groups?domain_id=nope', { token: admin })).body.groups).toEqual([]);

    // Without any role, the user cannot scope to the project.
    expect((await ks.password('g-user', 'pw', 'g-proj')).status).toBe(401);

    expect((await ks.call('HEAD', `/v3/groups/${group}/users/${user}`, { token: admin })).status).toBe(404);
    expect((await ks.call('PUT', `/v3/groups/${group}/users/${user}`, { token: admin })).status).toBe(204);
    expect((await ks.call('PUT', `/v3/groups/${group}/users/${user}`, { token: admin })).status).toBe(204);
    expect((await ks.call('HEAD', `/v3/groups/${group}/users/${user}`, { token: admin })).status).toBe(204);
    expect((await ks.call('GET', `/v3/groups/${group}/users`, { token: admin })).body.users.map((u: { id: string }) => u.id)).toEqual([user]);
    expect((await ks.call('GET', `/v3/users/${user}/groups`, { token: admin })).body.groups.map((g: { id: string }) => g.id)).toEqual([group]);

    const member = await roleId('member');
    expect((await ks.call('PUT', `/v3/projects/${project}/groups/${group}/roles/${member}`, { token: admin })).status).toBe(204);
    expect((await ks.call('HEAD', `/v3/projects/${project}/groups/${group}/roles/${member}`, { token: admin })).status).toBe(204);
    const grants = await ks.call('GET', `/v3/projects/${project}/groups/${group}/roles`, { token: admin });
    expect(grants.body.roles.map((r: { name: string }) => r.name)).toEqual(['member']);

    const scoped = await ks.password('g-user', 'pw', 'g-proj');
    expect(scoped.status).toBe(201);
    expect(scoped.body.token.roles.map((r: { name: string }) => r.name).sort()).toEqual(['member', 'reader']);
    const userToken = scoped.headers.get('x-subject-token')!;
    const mine = await ks.call('GET', '/v3/auth/projects', { token: userToken });
    expect(mine.body.projects.map((p: { name: string }) => p.name)).toEqual(['g-proj']);

    const direct = await ks.call('GET', `/v3/role_assignments?scope.project.id=${project}`, { token: admin });
    expect(direct.body.role_assignments).toEqual([
      {
        scope: { project: { id: project } },
        group: { id: group },
        role: { id: member },
        links: { assignment: `${id.origin}/v3/projects/${project}/groups/${group}/roles/${member}` },
      },
    ]);
    const eff = await ks.call('GET', `/v3/role_assignments?effective&user.id=${user}&include_names`, { token: admin });
    const names = eff.body.role_assignments.map((a: { role: { name: string } }) => a.role.name).sort();
    expect(names).toEqual(['member', 'reader']);
    expect(eff.body.role_assignments[0].user).toMatchObject({ id: user, name: 'g-user' });
    expect(eff.body.role_assignments[0].links.membership).toBe(`${id.origin}/v3/groups/${group}/users/${user}`);
    const byGroup = await ks.call('GET', `/v3/role_assignments?group.id=${group}`, { token: admin });
    expect(byGroup.body.role_assignments).toHaveLength(1);

    // Leaving the group revokes the member's tokens and takes the role away.
    expect((await ks.call('DELETE', `/v3/groups/${group}/users/${user}`, { token: admin })).status).toBe(204);
    expect((await ks.call('GET', '/v3/auth/projects', { token: userToken })).status).toBe(401);
    expect((await ks.password('g-user', 'pw', 'g-proj')).status).toBe(401);
    expect((await ks.call('DELETE', `/v3/groups/${group}/users/${user}`, { token: admin })).body.error.message).toBe(
      `User '${user}' not found in group '${group}'`,
    );

    const renamed = await ks.call('PATCH', `/v3/groups/${group}`, { token: admin, body: { group: { name: 'g-team2' } } });
    expect(renamed.body.group.name).toBe('g-team2');
    expect((await ks.call('DELETE', `/v3/groups/${group}`, { token: admin })).status).toBe(204);
    const gone = await ks.call('GET', `/v3/groups/${group}`, { token: admin });
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toBe(`Could not find group: ${group}.`);
    expect((await ks.call('GET', `/v3/role_assignments?scope.project.id=${project}`, { token: admin })).body.role_assignments).toEqual([]);
  });
});

describe('application credentials', () => {
  it('creates, lists, authenticates with id or name, refuses access rules, deletes (revoking its tokens)', async () => {
    const project = await create('project', { name: 'ac-proj' });
    const user = await create('user', { name: 'ac-user', password: 'pw' });
    const member = await roleId('member');
    await ks.call('PUT', `/v3/projects/${project}/users/${user}/roles/${member}`, { token: admin });
    const userToken = await ks.token('ac-user', 'pw', 'ac-proj');

    const rules = await ks.call('POST', `/v3/users/${user}/application_credentials`, {
      token: userToken,
      body: { application_credential: { name: 'x', access_rules: [{ service: 'network', method: 'GET', path: '/v2.0/networks' }] } },
    });
    expect(rules.status).toBe(400);
    expect(rules.body.error.message).toMatch(/Access rules are not supported/);
    const other = await ks.call('POST', `/v3/users/${user}/application_credentials`, {
      token: admin,
      body: { application_credential: { name: 'x' } },
    });
    expect(other.status).toBe(403);

    const made = await ks.call('POST', `/v3/users/${user}/application_credentials`, {
      token: userToken,
      body: { application_credential: { name: 'ci', description: 'for CI' } },
    });
    expect(made.status).toBe(201);
    const cred = made.body.application_credential;
    expect(cred).toMatchObject({ name: 'ci', description: 'for CI', project_id: project, unrestricted: false, expires_at: null });
    expect(cred.roles.map((r: { name: string }) => r.name).sort()).toEqual(['member', 'reader']);
    expect(cred.secret).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    const dup = await ks.call('POST', `/v3/users/${user}/application_credentials`, {
      token: userToken,
      body: { application_credential: { name: 'ci' } },
    });
    expect(dup.status).toBe(409);

    const listed = await ks.call('GET', `/v3/users/${user}/application_credentials?name=ci`, { token: userToken });
    expect(listed.body.application_credentials).toHaveLength(1);
    expect(listed.body.application_credentials[0].secret).toBeUndefined();
    expect((await ks.call('GET', `/v3/users/${user}/application_credentials/${cred.id}`, { token: admin })).status).toBe(200);

    const auth = (identity: unknown, scope?: unknown) =>
      ks.call('POST', '/v3/auth/tokens', { body: { auth: { identity, ...(scope ? { scope } : {}) } } });
    const byId = await auth({ methods: ['application_credential'], application_credential: { id: cred.id, secret: cred.secret } });
    expect(byId.status).toBe(201);
    expect(byId.body.token).toMatchObject({
      methods: ['application_credential'],
      project: { id: project },
      application_credential: { id: cred.id, name: 'ci', restricted: true },
    });
    const byName = await auth({
      methods: ['application_credential'],
      application_credential: { name: 'ci', user: { name: 'ac-user', domain: { id: 'default' } }, secret: cred.secret },
    });
    expect(byName.status).toBe(201);
    const wrong = await auth({ methods: ['application_credential'], application_credential: { id: cred.id, secret: 'nope' } });
    expect(wrong.status).toBe(401);

    // A restricted credential's token cannot make more credentials nor be rescoped out of its roles.
    const credToken = byId.headers.get('x-subject-token')!;
    const more = await ks.call('POST', `/v3/users/${user}/application_credentials`, {
      token: credToken,
      body: { application_credential: { name: 'more' } },
    });
    expect(more.status).toBe(403);
    const rescope = await auth({ methods: ['token'], token: { id: credToken } }, { project: { id: project } });
    expect(rescope.status).toBe(403);

    expect((await ks.call('DELETE', `/v3/users/${user}/application_credentials/${cred.id}`, { token: userToken })).status).toBe(204);
    expect((await ks.call('GET', '/v3/auth/projects', { token: credToken })).status).toBe(401);
    const gone = await ks.call('GET', `/v3/users/${user}/application_credentials/${cred.id}`, { token: userToken });
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toBe(`Could not find Application Credential: ${cred.id}.`);
    expect((await auth({ methods: ['application_credential'], application_credential: { id: cred.id, secret: cred.secret } })).status).toBe(401);
  });

  it('loses the delegated roles the user no longer holds', async () => {
    const project = await create('project', { name: 'ac-proj2' });
    const user = await create('user', { name: 'ac-user2', password: 'pw' });
    const member = await roleId('member');
    await ks.call('PUT', `/v3/projects/${project}/users/${user}/roles/${member}`, { token: admin });
    const userToken = await ks.token('ac-user2', 'pw', 'ac-proj2');
    const made = await ks.call('POST', `/v3/users/${user}/application_credentials`, {
      token: userToken,
      body: { application_credential: { name: 'r', roles: [{ name: 'reader' }], expires_at: '2999-01-01T00:00:00' } },
    });
    expect(made.status).toBe(201);
    expect(made.body.application_credential.roles.map((r: { name: string }) => r.name)).toEqual(['reader']);
    const { id: credId, secret } = made.body.application_credential;
    const body = { auth: { identity: { methods: ['application_credential'], application_credential: { id: credId, secret } } } };
    const ok = await ks.call('POST', '/v3/auth/tokens', { body });
    expect(ok.body.token.roles.map((r: { name: string }) => r.name)).toEqual(['reader']);
    await ks.call('DELETE', `/v3/projects/${project}/users/${user}/roles/${member}`, { token: admin });
    expect((await ks.call('POST', '/v3/auth/tokens', { body })).status).toBe(401);
  });
});
