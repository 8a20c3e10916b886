// Every way a user can get a request wrong, and the exact Neutron (or keystonemiddleware) answer they get back.
import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from './support/appliance.js';
import { cliFailure, cliFor } from './support/cli.js';
import { type ApiClient, apiClient, expectNeutronError, expectStatus, type Json } from './support/http.js';
import { createProjectUser, type ProjectUser } from './support/identity.js';
import { createNetwork, uniqueName, useAppliance } from './support/suite.js';

const MISSING_ID = '5b7d5f0b-2d0c-4a53-9bd4-0c2f3c1f2a11';
const MTU_TOO_BIG = 'Invalid input for operation: Requested MTU is too big, maximum is 1450.';
const INJECTION = "'; DROP TABLE networks; --";

describe.each(DIALECTS)('API errors (%s)', (dialect) => {
  const ctx = useAppliance(dialect);
  let alice: ProjectUser;
  let aliceApi: ApiClient;

  beforeAll(async () => {
    alice = await createProjectUser(ctx().app, ctx().adminToken, { project: 'demo', user: 'alice' });
    aliceApi = apiClient(ctx().app.apiUrl, alice.token);
  });

  const namesOf = async (client: ApiClient, query: string): Promise<string[]> => {
    const res = await client.get(`/v2.0/networks?${query}`);
    expectStatus(res, 200);
    return res.body.networks.map((n: Json) => n.name);
  };

  describe('request bodies', () => {
    it('rejects an unknown attribute', async () => {
      const res = await ctx().admin.post('/v2.0/networks', { network: { name: 'x', foo: 1 } });
      expectNeutronError(res, 400, 'HTTPBadRequest', "Unrecognized attribute(s) 'foo'");
    });

    it('rejects a negative MTU with the non_negative validator message', async () => {
      const res = await ctx().admin.post('/v2.0/networks', { network: { name: 'x', mtu: -1 } });
      expectNeutronError(res, 400, 'HTTPBadRequest', "Invalid input for mtu. Reason: '-1' should be non-negative.");
    });

    it('rejects an MTU above the VXLAN maximum (API and CLI)', async () => {
      const res = await ctx().admin.post('/v2.0/networks', { network: { name: 'x', mtu: 9000 } });
      expectNeutronError(res, 400, 'InvalidInput', MTU_TOO_BIG);
      const err = await cliFailure(cliFor(ctx().app).openstack(['network', 'create', '--mtu', '9000', 'too-big', '-f', 'json']));
      expect(err.stderr).toContain('Requested MTU is too big, maximum is 1450.');
    });

    it.each(['2147483648', '9223372036854775808'])('rejects mtu %s (out of any integer column) with 400', async (mtu) => {
      const res = await ctx().admin.post('/v2.0/networks', null, { raw: `{"network": {"name": "big-mtu", "mtu": ${mtu}}}` });
      expectNeutronError(res, 400, 'InvalidInput', MTU_TOO_BIG);
      expect(await namesOf(ctx().admin, 'name=big-mtu')).toEqual([]);
    });

    it('rejects malformed JSON', async () => {
      const res = await ctx().admin.post('/v2.0/networks', null, { raw: '{"network": {"name": "x"' });
      expectNeutronError(res, 400, 'HTTPBadRequest', 'Body contains invalid data');
    });

    it('answers JSON nested 10,000 deep with a 4xx, and keeps serving', async () => {
      const deepArray = '['.repeat(10_000) + ']'.repeat(10_000);
      let res = await ctx().admin.post('/v2.0/networks', null, { raw: deepArray });
      expectNeutronError(res, 400, 'HTTPBadRequest', 'Body contains invalid data');

      res = await ctx().admin.post('/v2.0/networks', null, { raw: `{"network": {"name": "deep", "foo": ${deepArray}}}` });
      expectNeutronError(res, 400, 'HTTPBadRequest', "Unrecognized attribute(s) 'foo'");

      const deepObject = '{"a": '.repeat(10_000) + '1' + '}'.repeat(10_000);
      res = await ctx().admin.post('/v2.0/networks', null, { raw: deepObject });
      expectNeutronError(res, 400, 'HTTPBadRequest', "Unable to find 'network' in request body");

      expectStatus(await ctx().admin.get('/v2.0/networks'), 200);
    });

    it('refuses a 2 MiB body with 413', async () => {
      // The server answers as soon as it sees the length, and closes: a client still sending then gets a reset from the
      // kernel instead of the answer (a race fetch loses under load). So the body goes only once the answer is read.
      const res = await rawPost(ctx().app.apiUrl, '/v2.0/networks', ctx().adminToken, JSON.stringify({ network: { name: 'x'.repeat(2 * 1024 * 1024) } }));
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual({ NeutronError: { type: 'HTTPRequestEntityTooLarge', message: 'Request is too large.', detail: '' } });
      expectStatus(await ctx().admin.get('/v2.0/networks'), 200);
    });

    it('stores names with emoji and other 4-byte characters intact', async () => {
      const name = 'net-🚀-𝄞';
      const created = await createNetwork(ctx().admin, { name, description: 'ü-€-😀' });
      expect(created).toMatchObject({ name, description: 'ü-€-😀' });

      const shown = await ctx().admin.get(`/v2.0/networks/${created.id}`);
      expect(shown.body.network).toMatchObject({ name, description: 'ü-€-😀' });
      expect(await namesOf(ctx().admin, `name=${encodeURIComponent(name)}`)).toEqual([name]);

      const updated = await ctx().admin.put(`/v2.0/networks/${created.id}`, { network: { name: '𝔫𝔢𝔱-🧪' } });
      expectStatus(updated, 200);
      expect((await ctx().admin.get(`/v2.0/networks/${created.id}`)).body.network.name).toBe('𝔫𝔢𝔱-🧪');
    });

    it('creates nothing when the second item of a bulk create fails validation', async () => {
      const name = uniqueName('bulk-invalid');
      const res = await ctx().admin.post('/v2.0/networks', { networks: [{ name }, { name, mtu: -1 }] });
      expectNeutronError(res, 400, 'HTTPBadRequest', "Invalid input for mtu. Reason: '-1' should be non-negative.");
      expect(await namesOf(ctx().admin, `name=${name}`)).toEqual([]);
    });

    it('creates nothing when the second item of a bulk create fails in the plugin', async () => {
      const name = uniqueName('bulk-plugin');
      const res = await ctx().admin.post('/v2.0/networks', { networks: [{ name }, { name, mtu: 9000 }] });
      expectNeutronError(res, 400, 'InvalidInput', MTU_TOO_BIG);
      expect(await namesOf(ctx().admin, `name=${name}`)).toEqual([]);
    });
  });

  describe('query strings and paths', () => {
    it('rejects an unknown filter', async () => {
      const res = await ctx().admin.get('/v2.0/networks?foo=bar');
      expectNeutronError(res, 400, 'HTTPBadRequest', "['foo'] is invalid attribute for filtering");
    });

    it('rejects bad sorting', async () => {
      let res = await ctx().admin.get('/v2.0/networks?sort_key=foo&sort_dir=asc');
      expectNeutronError(res, 400, 'HTTPBadRequest', "['foo'] is invalid attribute for sort_keys");
      res = await ctx().admin.get('/v2.0/networks?sort_key=name&sort_dir=up');
      expectNeutronError(res, 400, 'HTTPBadRequest', "['up'] is invalid value for sort_dirs, valid value is 'asc' and 'desc'");
      res = await ctx().admin.get('/v2.0/networks?sort_key=name');
      expectNeutronError(res, 400, 'HTTPBadRequest', 'The number of sort_keys and sort_dirs must be same');
    });

    it.each(['x', '-1'])('rejects limit=%s', async (limit) => {
      const res = await ctx().admin.get(`/v2.0/networks?limit=${limit}`);
      expectNeutronError(res, 400, 'BadRequest', `Bad limit request: Limit must be an integer 0 or greater and not '${limit}'.`);
    });

    it('answers an unknown id with 404 NetworkNotFound on show, update and delete', async () => {
      const message = `Network ${MISSING_ID} could not be found.`;
      expectNeutronError(await ctx().admin.get(`/v2.0/networks/${MISSING_ID}`), 404, 'NetworkNotFound', message);
      expectNeutronError(await ctx().admin.put(`/v2.0/networks/${MISSING_ID}`, { network: { name: 'y' } }), 404, 'NetworkNotFound', message);
      expectNeutronError(await ctx().admin.del(`/v2.0/networks/${MISSING_ID}`), 404, 'NetworkNotFound', message);
    });

    it("treats SQL in a filter value and in an id as plain text", async () => {
      const keep = await createNetwork(ctx().admin, { name: uniqueName('survivor') });

      const filtered = await ctx().admin.get(`/v2.0/networks?name=${encodeURIComponent(INJECTION)}`);
      expectStatus(filtered, 200);
      expect(filtered.body).toEqual({ networks: [] });

      const byId = await ctx().admin.get(`/v2.0/networks/${encodeURIComponent(INJECTION)}`);
      expectNeutronError(byId, 404, 'NetworkNotFound', `Network ${INJECTION} could not be found.`);
      const delById = await ctx().admin.del(`/v2.0/networks/${encodeURIComponent(INJECTION)}`);
      expectNeutronError(delById, 404, 'NetworkNotFound', `Network ${INJECTION} could not be found.`);

      const named = await createNetwork(ctx().admin, { name: INJECTION });
      expect(named.name).toBe(INJECTION);
      const found = await ctx().admin.get(`/v2.0/networks?name=${encodeURIComponent(INJECTION)}`);
      expect(found.body.networks.map((n: Json) => n.id)).toEqual([named.id]);

      const all = await ctx().admin.get('/v2.0/networks');
      expectStatus(all, 200);
      expect(all.body.networks.map((n: Json) => n.id)).toContain(keep.id);
    });

    it('answers invalid UTF-8 in the path with a 4xx NeutronError', async () => {
      const res = await ctx().admin.get('/v2.0/networks/%ff%fe');
      expect([400, 404], res.text).toContain(res.status);
      expect(res.body?.NeutronError?.type, res.text).toEqual(expect.any(String));
      expect(res.body?.NeutronError?.message, res.text).toEqual(expect.any(String));
      expectStatus(await ctx().admin.get('/v2.0/networks'), 200);
    });
  });

  describe('HTTP layer', () => {
    it('answers repeated slashes as Neutron does, and the catalog gives the endpoint without a trailing slash', async () => {
      const name = uniqueName('slashes');
      const made = await ctx().admin.post('//v2.0//networks', { network: { name } });
      expectStatus(made, 201);
      expect(await namesOf(ctx().admin, `name=${name}`)).toEqual([name]);
      const listed = await ctx().admin.get(`//v2.0//networks//${made.body.network.id}`);
      expectStatus(listed, 200);
      const catalog = await fetch(`${ctx().app.identityUrl}//v3//auth/catalog`, { headers: { 'X-Auth-Token': ctx().adminToken } });
      const network = ((await catalog.json()) as Json).catalog.find((s: Json) => s.type === 'network');
      expect(network.endpoints.map((e: Json) => e.url)).toEqual(Array(3).fill(ctx().app.apiUrl));
    });

    it('refuses a limit past 2^53 with 400 on every list', async () => {
      for (const path of ['networks', 'ports', 'subnets', 'security-group-rules', 'routers']) {
        const res = await ctx().admin.get(`/v2.0/${path}?limit=99999999999999999999`);
        expectNeutronError(
          res,
          400,
          'BadRequest',
          "Bad limit request: Limit must be an integer between 0 and 9007199254740991 and not '99999999999999999999'.",
        );
      }
    });

    it('matches nothing with an integer filter past any column, rather than failing', async () => {
      for (const query of ['mtu=99999999999999999999', 'revision_number=2147483648', 'provider:segmentation_id=99999999999999999999']) {
        expect(await namesOf(ctx().admin, query)).toEqual([]);
      }
    });

    it('refuses a body that is not UTF-8 and stores nothing', async () => {
      const name = uniqueName('utf8');
      const raw = Buffer.concat([Buffer.from(`{"network": {"name": "${name}`), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]);
      expectNeutronError(await ctx().admin.post('/v2.0/networks', null, { raw }), 400, 'HTTPBadRequest', 'Body contains invalid data');
      expect(await namesOf(ctx().admin, `name=${name}`)).toEqual([]);
      const keystone = await fetch(`${ctx().app.identityUrl}/v3/users`, {
        method: 'POST',
        headers: { 'X-Auth-Token': ctx().adminToken, 'Content-Type': 'application/json' },
        body: Buffer.concat([Buffer.from('{"user": {"name": "'), Buffer.from([0xff]), Buffer.from('"}}')]),
      });
      expect(keystone.status).toBe(400);
      expect(((await keystone.json()) as Json).error.message).toMatch(/^Expecting to find valid JSON in request body/);
    });

    it('answers an unknown HTTP method with a 405 in each API’s own error body', async () => {
      expectNeutronError(await ctx().admin.request('FOO', '/v2.0/networks'), 405, 'HTTPMethodNotAllowed', 'The method FOO is not allowed for this resource.');
      const keystone = await fetch(`${ctx().app.identityUrl}/v3/users`, { method: 'FOO', headers: { 'X-Auth-Token': ctx().adminToken } });
      expect(keystone.status).toBe(405);
      expect(((await keystone.json()) as Json).error).toMatchObject({ code: 405, title: 'Method Not Allowed' });
      expectStatus(await ctx().admin.get('/v2.0/networks'), 200);
    });

    it('answers every method on every collection and item path with a NeutronError, never a 500', async () => {
      // `GET /v2.0/` lists the four core collections (as Neutron's does); the extensions' ones are named here.
      const index = await ctx().admin.get('/v2.0/');
      const core = (index.body.resources as Json[]).map((r) => new URL(r.links[0].href).pathname);
      const extensions = ['security-groups', 'security-group-rules', 'routers', 'floatingips', 'floatingip-pools', 'segments', 'agents',
        'network-ip-availabilities', 'availability_zones', 'quotas', 'extensions'].map((c) => `/v2.0/${c}`);
      const nested = ['ports/%s/bindings', 'floatingips/%s/port_forwardings', 'routers/%s/add_router_interface', 'networks/%s/tags/x']
        .map((p) => `/v2.0/${p.replace('%s', MISSING_ID)}`);
      expect(core).toHaveLength(4);
      const failures: string[] = [];
      for (const path of [...[...core, ...extensions].flatMap((p) => [p, `${p}/${MISSING_ID}`, `${p}/${MISSING_ID}/action`]), ...nested]) {
        for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'FOO']) {
          const res = await ctx().admin.request(method, path, method === 'POST' || method === 'PUT' ? { body: {} } : {});
          // 501 is Neutron's own answer to POST /v2.0/quotas (HTTPNotImplemented), not a failure.
          const serverError = res.status >= 500 && !(res.status === 501 && res.body?.NeutronError?.type === 'HTTPNotImplemented');
          if (serverError || (res.status >= 400 && !res.body?.NeutronError)) failures.push(`${method} ${path}: ${res.status} ${res.text}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it('refuses an object as a security group rule’s remote group, and a number or a list where text belongs', async () => {
      const sg = (await ctx().admin.post('/v2.0/security-groups', { security_group: { name: uniqueName('sg') } })).body.security_group;
      const rule = await ctx().admin.post('/v2.0/security-group-rules', {
        security_group_rule: { security_group_id: sg.id, direction: 'ingress', remote_group_id: { id: 1 } },
      });
      expectNeutronError(rule, 400, 'HTTPBadRequest', "Invalid input for remote_group_id. Reason: '{'id': 1}' is not a valid string.");
      const net = await createNetwork(ctx().admin, { name: uniqueName('bad-port') });
      for (const [attr, value, reason] of [
        ['mac_address', 123, "'123' is not a valid MAC address"],
        ['mac_address', true, "'True' is not a valid MAC address"],
        ['binding:host_id', ['a'], "'['a']' is not a valid string"],
        ['binding:host_id', { h: 1 }, "'{'h': 1}' is not a valid string"],
      ] as const) {
        const res = await ctx().admin.post('/v2.0/ports', { port: { network_id: net.id, [attr]: value } });
        expectNeutronError(res, 400, 'HTTPBadRequest', `Invalid input for ${attr}. Reason: ${reason}.`);
      }
      const ports = await ctx().admin.get(`/v2.0/ports?network_id=${net.id}`);
      expect(ports.body.ports).toEqual([]);
    });
  });

  describe('revision constraints', () => {
    it('answers an If-Match revision mismatch with 412 and leaves the network unchanged', async () => {
      const net = await createNetwork(ctx().admin, { name: uniqueName('rev') });
      const stale = net.revision_number - 1;
      const res = await ctx().admin.put(`/v2.0/networks/${net.id}`, { network: { name: 'changed' } }, {
        headers: { 'If-Match': `revision_number=${stale}` },
      });
      expectNeutronError(res, 412, 'RevisionNumberConstraintFailed', `Constrained to ${stale}, but current revision is ${net.revision_number}`);
      const del = await ctx().admin.del(`/v2.0/networks/${net.id}`, { headers: { 'If-Match': `revision_number=${stale}` } });
      expectNeutronError(del, 412, 'RevisionNumberConstraintFailed', `Constrained to ${stale}, but current revision is ${net.revision_number}`);
      expect((await ctx().admin.get(`/v2.0/networks/${net.id}`)).body.network.name).toBe(net.name);

      const ok = await ctx().admin.put(`/v2.0/networks/${net.id}`, { network: { name: 'changed' } }, {
        headers: { 'If-Match': `revision_number=${net.revision_number}` },
      });
      expectStatus(ok, 200);
      expect(ok.body.network.name).toBe('changed');
    });
  });

  describe('authentication', () => {
    const keystone401 = {
      error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
    };

    it.each([
      ['no token', null],
      ['a bad token', 'gAAAAAB-not-a-real-token'],
    ])('answers %s with 401 and the Keystone WWW-Authenticate header', async (_label, token) => {
      const res = await ctx().admin.get('/v2.0/networks', { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(keystone401);
      const port = new URL(ctx().app.identityUrl).port;
      expect(res.headers.get('www-authenticate')).toMatch(new RegExp(`^Keystone uri="http://127\\.0\\.0\\.1:${port}(/v3)?/?"$`));
    });
  });

  describe('authorization and visibility', () => {
    it("hides another project's network from alice: 404 on show, update and delete (API and CLI)", async () => {
      const net = await createNetwork(ctx().admin, { name: uniqueName('admins-only') });
      const message = `Network ${net.id} could not be found.`;
      expectNeutronError(await aliceApi.get(`/v2.0/networks/${net.id}`), 404, 'NetworkNotFound', message);
      expectNeutronError(await aliceApi.put(`/v2.0/networks/${net.id}`, { network: { name: 'mine' } }), 404, 'NetworkNotFound', message);
      expectNeutronError(await aliceApi.del(`/v2.0/networks/${net.id}`), 404, 'NetworkNotFound', message);
      expect((await ctx().admin.get(`/v2.0/networks/${net.id}`)).body.network.name).toBe(net.name);

      const as = { user: alice.user, password: alice.password, project: alice.project };
      const err = await cliFailure(cliFor(ctx().app).openstack(['network', 'show', net.id, '-f', 'json'], as));
      expect(err.stderr).toContain(net.id);
    });

    it('forbids a non-admin from sharing a network (API and CLI)', async () => {
      const res = await aliceApi.post('/v2.0/networks', { network: { name: 'shared-by-alice', shared: true } });
      expectNeutronError(res, 403, 'PolicyNotAuthorized', '(rule:create_network and rule:create_network:shared) is disallowed by policy');

      const as = { user: alice.user, password: alice.password, project: alice.project };
      const err = await cliFailure(cliFor(ctx().app).openstack(['network', 'create', '--share', 'shared-by-alice', '-f', 'json'], as));
      expect(err.stderr).toContain('(rule:create_network and rule:create_network:shared) is disallowed by policy');
      expect(await namesOf(ctx().admin, 'name=shared-by-alice')).toEqual([]);

      const own = await createNetwork(aliceApi, { name: uniqueName('alice-own') });
      const upd = await aliceApi.put(`/v2.0/networks/${own.id}`, { network: { shared: true } });
      expectNeutronError(upd, 403, 'PolicyNotAuthorized', '(rule:update_network and rule:update_network:shared) is disallowed by policy');
    });

    it('stops alice at her network quota with 409 OverQuota, checked before policy (API and CLI)', async () => {
      const quotaPath = `/v2.0/quotas/${alice.projectId}`;
      const mine = await aliceApi.get(`/v2.0/networks?project_id=${alice.projectId}`);
      const limit = mine.body.networks.length + 2;
      expectStatus(await ctx().admin.put(quotaPath, { quota: { network: limit } }), 200);
      try {
        await createNetwork(aliceApi, { name: uniqueName('q') });
        await createNetwork(aliceApi, { name: uniqueName('q') });
        const over = await aliceApi.post('/v2.0/networks', { network: { name: 'one-too-many' } });
        expectNeutronError(over, 409, 'OverQuota', "Quota exceeded for resources: ['network'].");

        // Quota is reserved before the policy check, so a forbidden request over quota still gets 409.
        const overShared = await aliceApi.post('/v2.0/networks', { network: { name: 'one-too-many', shared: true } });
        expectNeutronError(overShared, 409, 'OverQuota', "Quota exceeded for resources: ['network'].");

        const as = { user: alice.user, password: alice.password, project: alice.project };
        const err = await cliFailure(cliFor(ctx().app).openstack(['network', 'create', 'one-too-many', '-f', 'json'], as));
        expect(err.stderr).toContain("Quota exceeded for resources: ['network'].");
        expect(await namesOf(aliceApi, 'name=one-too-many')).toEqual([]);
      } finally {
        await ctx().admin.del(quotaPath);
      }
    });
  });
});

/** POST over a plain socket: the headers first, the body only if no answer came within a second; the answer until the close. */
function rawPost(apiUrl: string, path: string, token: string, body: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(apiUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nX-Auth-Token: ${token}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
      );
      setTimeout(() => chunks.length || socket.destroyed || socket.write(body), 1000);
    });
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      if (!status) return reject(new Error(`no HTTP answer: ${text.slice(0, 200)}`));
      const payload = text.slice(text.indexOf('\r\n\r\n') + 4);
      resolve({ status, body: /transfer-encoding: chunked/i.test(text) ? dechunk(payload) : payload });
    });
  });
}

function dechunk(payload: string): string {
  let out = '';
  for (let rest = payload; ; ) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}
