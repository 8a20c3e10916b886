import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeystoneClient } from './testing/keystone-client.js';
import { type RunningIdentity, startIdentity } from './testing/identity-harness.js';

const ISSUED_AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const EXPIRES_AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z$/;

let id: RunningIdentity;
let ks: KeystoneClient;
let adminToken: string;

beforeAll(async () => {
  id = await startIdentity();
  ks = new KeystoneClient(id.origin);
  adminToken = await ks.token('admin', 'admin', 'admin');
}, 30_000);
afterAll(() => id?.close());

describe('version discovery', () => {
  it('GET / is 300 with Location and the v3 version', async () => {
    const r = await ks.call('GET', '/');
    expect(r.status).toBe(300);
    expect(r.headers.get('location')).toBe(`${id.origin}/v3/`);
    expect(r.body.versions.values[0]).toMatchObject({
      id: 'v3.14',
      status: 'stable',
      links: [{ rel: 'self', href: `${id.origin}/v3/` }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
    });
  });

  it.each(['/v3', '/v3/'])('GET %s is 200 with the version', async (path) => {
    const r = await ks.call('GET', path);
    expect(r.status).toBe(200);
    expect(r.body.version.id).toBe('v3.14');
  });
});

describe('POST /v3/auth/tokens', () => {
  it('issues a project-scoped token by user name + domain name and project name', async () => {
    const r = await ks.password('admin', 'admin', 'admin');
    expect(r.status).toBe(201);
    expect(r.headers.get('x-subject-token')).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    const t = r.body.token;
    expect(t.methods).toEqual(['password']);
    expect(t.user).toMatchObject({ name: 'admin', domain: { id: 'default', name: 'Default' }, password_expires_at: null });
    expect(t.project).toMatchObject({ name: 'admin', domain: { id: 'default', name: 'Default' } });
    expect(t.is_domain).toBe(false);
    expect(t.roles.map((x: { name: string }) => x.name)).toEqual(['admin', 'member', 'reader']);
    expect(t.audit_ids).toHaveLength(1);
    expect(t.issued_at).toMatch(ISSUED_AT);
    expect(t.expires_at).toMatch(EXPIRES_AT);
    const lifetime = Date.parse(t.expires_at) - Date.parse(t.issued_at);
    expect(Math.abs(lifetime - 3600_000)).toBeLessThan(1500);
  });

  it('puts identity and network in the catalog with public/internal/admin endpoints in RegionOne', async () => {
    const { body } = await ks.password('admin', 'admin', 'admin');
    const byType = Object.fromEntries(body.token.catalog.map((s: { type: string }) => [s.type, s]));
    expect(Object.keys(byType).sort()).toEqual(['identity', 'network']);
    for (const [type, url] of [
      ['identity', `${id.origin}/v3/`],
      ['network', `http://127.0.0.1:${id.config.api.port}`],
    ]) {
      const s = byType[type];
      expect(s.id).toMatch(/^[0-9a-f]{32}$/);
      expect(s.endpoints.map((e: { interface: string }) => e.interface).sort()).toEqual(['admin', 'internal', 'public']);
      for (const e of s.endpoints) expect(e).toMatchObject({ region: 'RegionOne', region_id: 'RegionOne', url });
    }
  });

  it('accepts the user and the project by id, and ?nocatalog', async () => {
    const first = (await ks.password('admin', 'admin', 'admin')).body.token;
    const r = await ks.call('POST', '/v3/auth/tokens?nocatalog', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { id: first.user.id, password: 'admin' } } },
          scope: { project: { id: first.project.id } },
        },
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.token.project.id).toBe(first.project.id);
    expect(r.body.token.catalog).toBeUndefined();
  });

  it('issues an unscoped token (no roles, no catalog) when no scope and no default project', async () => {
    const r = await ks.password('admin', 'admin');
    expect(r.status).toBe(201);
    expect(r.body.token.project).toBeUndefined();
    expect(r.body.token.roles).toBeUndefined();
    expect(r.body.token.catalog).toBeUndefined();
  });

  it('issues domain- and system-scoped tokens', async () => {
    const system = await ks.call('POST', '/v3/auth/tokens', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'admin' } } },
          scope: { system: { all: true } },
        },
      },
    });
    expect(system.status).toBe(201);
    expect(system.body.token.system).toEqual({ all: true });
    expect(system.body.token.roles.map((x: { name: string }) => x.name)).toContain('admin');
    // admin has no role on the domain itself: Keystone refuses with 401.
    const domain = await ks.call('POST', '/v3/auth/tokens', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'admin' } } },
          scope: { domain: { name: 'Default' } },
        },
      },
    });
    expect(domain.status).toBe(401);
  });

  it('answers a bad password, an unknown user or project with 401 and WWW-Authenticate', async () => {
    for (const r of [
      await ks.password('admin', 'wrong', 'admin'),
      await ks.password('nobody', 'admin', 'admin'),
      await ks.password('admin', 'admin', 'no-such-project'),
    ]) {
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe(`Keystone uri="${id.origin}/v3"`);
      expect(r.body).toEqual({
        error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
      });
    }
  });

  it('answers malformed auth bodies with 400 ValidationError', async () => {
    const noAuth = await ks.call('POST', '/v3/auth/tokens', { body: {} });
    expect(noAuth.status).toBe(400);
    expect(noAuth.body.error.message).toMatch(/^Expecting to find auth in request body\./);
    const noDomain = await ks.call('POST', '/v3/auth/tokens', {
      body: { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: 'x' } } } } },
    });
    expect(noDomain.status).toBe(400);
    expect(noDomain.body.error.message).toMatch(/^Expecting to find domain in user\./);
    const wrongType = await ks.call('POST', '/v3/auth/tokens', {
      body: { auth: { identity: { methods: 'password' } } },
    });
    expect(wrongType.body.error).toMatchObject({ code: 400, title: 'Bad Request' });
    expect(wrongType.body.error.message).toBe("Invalid input for field 'identity/methods': 'password' is not of type 'array'");
    const unsupported = await ks.call('POST', '/v3/auth/tokens', {
      body: { auth: { identity: { methods: ['totp'], totp: {} } } },
    });
    expect(unsupported.status).toBe(401);
  });
});

describe('validation and revocation', () => {
  it('GET/HEAD/DELETE /v3/auth/tokens with X-Subject-Token', async () => {
    const issued = await ks.password('admin', 'admin', 'admin');
    const subject = issued.headers.get('x-subject-token')!;
    const headers = { 'x-subject-token': subject };

    const get = await ks.call('GET', '/v3/auth/tokens', { token: adminToken, headers });
    expect(get.status).toBe(200);
    expect(get.headers.get('x-subject-token')).toBe(subject);
    expect(get.body).toEqual(issued.body);

    const nocatalog = await ks.call('GET', '/v3/auth/tokens?nocatalog', { token: adminToken, headers });
    expect(nocatalog.body.token.catalog).toBeUndefined();

    const head = await ks.call('HEAD', '/v3/auth/tokens', { token: adminToken, headers });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');

    expect(await id.services.tokens.validate(subject)).toMatchObject({ user_name: 'admin', project_name: 'admin', is_admin: true });
    const del = await ks.call('DELETE', '/v3/auth/tokens', { token: adminToken, headers });
    expect(del.status).toBe(204);

    const after = await ks.call('GET', '/v3/auth/tokens', { token: adminToken, headers });
    expect(after.status).toBe(404);
    expect(after.body.error).toMatchObject({ code: 404, title: 'Not Found' });
    expect((await ks.call('HEAD', '/v3/auth/tokens', { token: adminToken, headers })).status).toBe(404);
    expect(await id.services.tokens.validate(subject)).toBeUndefined();
    // The revoked token no longer authenticates either.
    expect((await ks.call('GET', '/v3/projects', { token: subject })).status).toBe(401);
  });

  it('answers an unknown subject with Keystone 404 and a missing caller token with 401', async () => {
    const unknown = await ks.call('GET', '/v3/auth/tokens', { token: adminToken, headers: { 'x-subject-token': 'nope' } });
    expect(unknown.body).toEqual({ error: { code: 404, title: 'Not Found', message: 'Could not find token: nope.' } });
    const anonymous = await ks.call('GET', '/v3/auth/tokens', { headers: { 'x-subject-token': adminToken } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(`Keystone uri="${id.origin}/v3"`);
  });

  it('rescopes with the token method: same expiry, audit chain, methods token + password', async () => {
    const unscoped = await ks.password('admin', 'admin');
    const parent = unscoped.body.token;
    const r = await ks.call('POST', '/v3/auth/tokens', {
      body: {
        auth: {
          identity: { methods: ['token'], token: { id: unscoped.headers.get('x-subject-token') } },
          scope: { project: { name: 'admin', domain: { id: 'default' } } },
        },
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.token.methods.sort()).toEqual(['password', 'token']);
    expect(r.body.token.expires_at).toBe(parent.expires_at);
    expect(r.body.token.audit_ids).toHaveLength(2);
    expect(r.body.token.audit_ids[1]).toBe(parent.audit_ids[0]);
    expect(r.body.token.project.name).toBe('admin');
  });

  it('rejects the token method with an unknown token (404, as Keystone)', async () => {
    const r = await ks.call('POST', '/v3/auth/tokens', {
      body: { auth: { identity: { methods: ['token'], token: { id: 'not-a-token' } } } },
    });
    expect(r.status).toBe(404);
  });
});

describe('GET /v3/auth/*', () => {
  it('lists the catalog, projects, domains and system of the caller', async () => {
    const catalog = await ks.call('GET', '/v3/auth/catalog', { token: adminToken });
    expect(catalog.status).toBe(200);
    expect(catalog.body.catalog).toHaveLength(2);
    const projects = await ks.call('GET', '/v3/auth/projects', { token: adminToken });
    expect(projects.body.projects.map((p: { name: string }) => p.name)).toEqual(['admin']);
    expect(projects.body.links).toEqual({ self: `${id.origin}/v3/auth/projects`, previous: null, next: null });
    const domains = await ks.call('GET', '/v3/auth/domains', { token: adminToken });
    expect(domains.body.domains).toEqual([]);
    const system = await ks.call('GET', '/v3/auth/system', { token: adminToken });
    expect(system.body.system).toEqual([{ all: true }]);
  });
});

describe('bad input never yields a 500 or a dropped connection', () => {
  it('malformed JSON → 400 Keystone body', async () => {
    const r = await ks.call('POST', '/v3/auth/tokens', { raw: '{"auth": ' });
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({
      code: 400,
      title: 'Bad Request',
      message:
        'Expecting to find valid JSON in request body. The server could not comply with the request since it is ' +
        'either malformed or otherwise incorrect. The client is assumed to be in error.',
    });
  });

  it('JSON that is not an object, or another content type → 400', async () => {
    expect((await ks.call('POST', '/v3/auth/tokens', { raw: '[1,2]' })).status).toBe(400);
    const text = await ks.call('POST', '/v3/auth/tokens', { raw: '{}', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(400);
    expect(text.body.error.message).toMatch(/^Expecting to find application\/json in Content-Type header\./);
  });

  it('nesting thousands deep → 400', async () => {
    const deep = '{"auth":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}';
    const r = await ks.call('POST', '/v3/auth/tokens', { raw: deep });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(400);
    const deepExtra = '{"user":{"name":"x","password":"p","x":' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) + '}}';
    const r2 = await ks.call('POST', '/v3/users', { raw: deepExtra, token: adminToken });
    expect(r2.status).toBe(400);
  });

  it('a body over config.api.body_limit_bytes → 413', async () => {
    const limit = id.config.api.body_limit_bytes;
    const r = await ks.call('POST', '/v3/auth/tokens', { raw: '{"a":"' + 'x'.repeat(limit + 10) + '"}' });
    expect(r.status).toBe(413);
    expect(r.body.error).toEqual({
      code: 413,
      title: 'Request Entity Too Large',
      message: `Request is too large. Larger than ${limit}.`,
    });
  });

  it('invalid UTF-8 or bad %-encoding in the path → Keystone 400/404 body', async () => {
    for (const path of ['/v3/projects/%FF%FE', '/v3/users/%C3%28', '/v3/%FF', '/v3/projects/%zz']) {
      const r = await ks.call('GET', path, { token: adminToken });
      expect([400, 404]).toContain(r.status);
      expect(r.body.error.code).toBe(r.status);
    }
  });

  it('raw invalid bytes that Node cannot parse, NUL characters → Keystone 400 body', async () => {
    const port = Number(new URL(id.origin).port);
    const reply = await new Promise<string>((resolve) => {
      let out = '';
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /v3/projects/\xff\x00 HTTP/1.1\r\nHost: x\r\n\r\n'));
      socket.on('data', (d) => (out += d.toString()));
      socket.on('close', () => resolve(out));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)).error).toMatchObject({ code: 400, title: 'Bad Request' });

    expect((await ks.call('GET', '/v3/users/%00', { token: adminToken })).body.error.code).toBe(400);
    const nul = await ks.call('POST', '/v3/projects', { token: adminToken, raw: '{"project":{"name":"a\\u0000b"}}' });
    expect(nul.body.error.code).toBe(400);
  });

  it('unknown routes → 404, unsupported methods → 405 with Allow', async () => {
    const unknown = await ks.call('GET', '/v3/nothing-here', { token: adminToken });
    expect(unknown.body).toEqual({ error: { code: 404, title: 'Not Found', message: 'The resource could not be found.' } });
    const put = await ks.call('PUT', '/v3/auth/tokens', { token: adminToken });
    expect(put.status).toBe(405);
    expect(put.body.error.title).toBe('Method Not Allowed');
    expect(put.headers.get('allow')).toContain('POST');
    const patchList = await ks.call('PATCH', '/v3/projects', { token: adminToken, body: {} });
    expect(patchList.status).toBe(405);
  });

  it('wrong types in entity bodies → 400 with the field named', async () => {
    const r = await ks.call('POST', '/v3/projects', { token: adminToken, body: { project: { name: 5 } } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe("Invalid input for field 'name': 5 is not of type 'string'");
    const missing = await ks.call('POST', '/v3/projects', { token: adminToken, body: {} });
    expect(missing.body.error.message).toBe("'name' is a required property");
    const enabled = await ks.call('POST', '/v3/users', { token: adminToken, body: { user: { name: 'x', enabled: 'yes' } } });
    expect(enabled.body.error.message).toBe("Invalid input for field 'enabled': 'yes' is not of type 'boolean'");
  });
});
