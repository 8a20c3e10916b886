// The generic API engine as clients see it on networks: pagination, sorting, fields, filters, tags, discovery, quotas.
import { describe, expect, it } from 'vitest';
import { DIALECTS } from './support/appliance.js';
import { type ApiClient, expectNeutronError, expectStatus, type Json } from './support/http.js';
import { createNetwork, newProject, uniqueName, useAppliance } from './support/suite.js';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe.each(DIALECTS)('API engine (%s)', (dialect) => {
  const ctx = useAppliance(dialect);

  const list = async (client: ApiClient, query: string): Promise<Json> => {
    const res = await client.get(`/v2.0/networks${query}`);
    expectStatus(res, 200);
    return res.body;
  };
  const link = (body: Json, rel: string): string | undefined =>
    (body.networks_links ?? []).find((l: Json) => l.rel === rel)?.href;

  describe('pagination and sorting', () => {
    it('walks 7 networks forward with limit=3 via next links, then back via previous links', async () => {
      const { api } = await newProject(ctx(), 'pager');
      for (const name of ['n4', 'n1', 'n7', 'n3', 'n6', 'n2', 'n5']) await createNetwork(api, { name });

      const forward: string[][] = [];
      let body = await list(api, '?sort_key=name&sort_dir=asc&limit=3');
      expect(link(body, 'previous'), 'the first page already has a previous link').toBeDefined();
      for (let i = 0; ; i++) {
        expect(i).toBeLessThan(5);
        forward.push(body.networks.map((n: Json) => n.name));
        const next = link(body, 'next');
        if (!next) break;
        expect(next.startsWith(`${ctx().app.apiUrl}/v2.0/networks?`), next).toBe(true);
        body = (await api.get(next)).body;
      }
      expect(forward).toEqual([['n1', 'n2', 'n3'], ['n4', 'n5', 'n6'], ['n7']]);

      const backward: string[][] = [];
      for (let i = 0; ; i++) {
        expect(i).toBeLessThan(5);
        const previous = link(body, 'previous');
        if (!previous) break;
        expect(previous).toContain('page_reverse=True');
        body = (await api.get(previous)).body;
        backward.push(body.networks.map((n: Json) => n.name));
      }
      // Reverse pages come back in ascending order; the walk ends on an empty page without a previous link.
      expect(backward).toEqual([['n4', 'n5', 'n6'], ['n1', 'n2', 'n3'], []]);
      expect(link(body, 'next')).toBeDefined();
    });

    it('returns everything and no links for limit=0', async () => {
      const { api } = await newProject(ctx(), 'nolimit');
      for (const name of ['a', 'b', 'c']) await createNetwork(api, { name });
      const body = await list(api, '?limit=0');
      expect(body.networks).toHaveLength(3);
      expect(body).not.toHaveProperty('networks_links');
    });

    it('sorts by name asc/desc with id breaking ties, also while paginating', async () => {
      const { api } = await newProject(ctx(), 'sorter');
      const created: Json[] = [];
      for (const name of ['b', 'a', 'b', 'c', 'a', 'b']) created.push(await createNetwork(api, { name }));
      const key = (n: Json) => [n.name, n.id] as const;
      const asc = [...created].sort((x, y) => byString(key(x)[0], key(y)[0]) || byString(key(x)[1], key(y)[1]));
      const ids = (body: Json) => body.networks.map((n: Json) => n.id);

      expect(ids(await list(api, '?sort_key=name&sort_dir=asc&sort_key=id&sort_dir=asc'))).toEqual(asc.map((n) => n.id));
      expect(ids(await list(api, '?sort_key=name&sort_dir=desc&sort_key=id&sort_dir=desc'))).toEqual(
        [...asc].reverse().map((n) => n.id),
      );

      // Paginating appends `id asc` as the tie-breaker: name desc, then id asc within a name.
      const nameDescIdAsc = [...created].sort((x, y) => byString(y.name, x.name) || byString(x.id, y.id)).map((n) => n.id);
      const walked: string[] = [];
      let body = await list(api, '?sort_key=name&sort_dir=desc&limit=2');
      for (let i = 0; i < 10; i++) {
        walked.push(...ids(body));
        const next = link(body, 'next');
        if (!next) break;
        body = (await api.get(next)).body;
      }
      expect(walked).toEqual(nameDescIdAsc);
    });
  });

  describe('fields and filters', () => {
    it('returns only the requested fields on list and show', async () => {
      const net = await createNetwork(ctx().admin, { name: uniqueName('fields') });
      const body = await list(ctx().admin, '?fields=id&fields=name');
      expect(body.networks.length).toBeGreaterThan(0);
      for (const n of body.networks) expect(Object.keys(n).sort()).toEqual(['id', 'name']);

      const shown = await ctx().admin.get(`/v2.0/networks/${net.id}?fields=name&fields=mtu`);
      expect(shown.body).toEqual({ network: { name: net.name, mtu: 1450 } });
    });

    it('ORs a repeated filter key', async () => {
      const { api } = await newProject(ctx(), 'or');
      for (const name of ['a', 'b', 'c']) await createNetwork(api, { name });
      const names = (await list(api, '?name=a&name=c')).networks.map((n: Json) => n.name).sort();
      expect(names).toEqual(['a', 'c']);
    });

    it('filters on booleans, shared networks and the empty string', async () => {
      const { api } = await newProject(ctx(), 'flags');
      const down = await createNetwork(api, { name: 'down', admin_state_up: false });
      const up = await createNetwork(api, { name: 'up' });
      const unnamed = await createNetwork(api, {});
      const shared = await createNetwork(ctx().admin, { name: uniqueName('shared'), shared: true });
      const ids = (body: Json) => body.networks.map((n: Json) => n.id).sort();

      expect(ids(await list(api, '?admin_state_up=false'))).toEqual([down.id]);
      expect(ids(await list(api, '?admin_state_up=true'))).toEqual([up.id, unnamed.id, shared.id].sort());
      expect(ids(await list(api, '?shared=True'))).toEqual([shared.id]);
      expect(ids(await list(api, '?shared=False'))).toEqual([down.id, up.id, unnamed.id].sort());
      expect(ids(await list(api, '?name='))).toEqual([unnamed.id]);
      expect(unnamed.name).toBe('');
    });

    it('filters on tags with tags, tags-any, not-tags and not-tags-any', async () => {
      const { api, projectId } = await newProject(ctx(), 'tagger');
      const nets: Record<string, Json> = {};
      const tagsOf: Record<string, string[]> = { A: ['red', 'blue'], B: ['red'], C: ['blue'], D: [] };
      for (const [name, tags] of Object.entries(tagsOf)) {
        nets[name] = await createNetwork(api, { name });
        expectStatus(await api.put(`/v2.0/networks/${nets[name].id}/tags`, { tags }), 200);
      }
      // Scoped to the project: networks shared by others are visible too, and rightly match the not-* filters.
      const names = async (q: string) => (await list(api, `${q}&project_id=${projectId}`)).networks.map((n: Json) => n.name).sort();

      expect(await names('?tags=red,blue')).toEqual(['A']);
      expect(await names('?tags=red&tags=blue')).toEqual(['A']);
      expect(await names('?tags=red')).toEqual(['A', 'B']);
      expect(await names('?tags-any=red,blue')).toEqual(['A', 'B', 'C']);
      expect(await names('?not-tags=red,blue')).toEqual(['B', 'C', 'D']);
      expect(await names('?not-tags-any=red,blue')).toEqual(['D']);
    });
  });

  describe('tags sub-resource', () => {
    it('adds, shows, lists, replaces and deletes tags with Neutron status codes', async () => {
      const admin = ctx().admin;
      const net = await createNetwork(admin, { name: uniqueName('tags') });
      const base = `/v2.0/networks/${net.id}/tags`;

      const put = await admin.request('PUT', `${base}/red`);
      expectStatus(put, 201);
      expect(put.text).toBe('');
      expectStatus(await admin.request('PUT', `${base}/red`), 201);
      expectStatus(await admin.get(`${base}/red`), 204);
      expect((await admin.get(base)).body).toEqual({ tags: ['red'] });
      const afterTag = (await admin.get(`/v2.0/networks/${net.id}`)).body.network;
      expect(afterTag.tags).toEqual(['red']);
      expect(afterTag.revision_number).toBeGreaterThan(net.revision_number);

      const replaced = await admin.put(base, { tags: ['x', 'y'] });
      expectStatus(replaced, 200);
      expect([...replaced.body.tags].sort()).toEqual(['x', 'y']);
      expect([...(await admin.get(base)).body.tags].sort()).toEqual(['x', 'y']);
      expectNeutronError(await admin.get(`${base}/red`), 404, 'TagNotFound', 'Tag red could not be found.');

      expectStatus(await admin.del(`${base}/x`), 204);
      expectNeutronError(await admin.del(`${base}/x`), 404, 'TagNotFound', 'Tag x could not be found.');
      expect((await admin.get(base)).body).toEqual({ tags: ['y'] });

      expectStatus(await admin.del(base), 204);
      expect((await admin.get(base)).body).toEqual({ tags: [] });

      expect((await admin.get('/v2.0/networks/5b7d5f0b-2d0c-4a53-9bd4-0c2f3c1f2a11/tags')).status).toBe(404);
    });
  });

  describe('discovery and conventions', () => {
    it('serves GET / without a token, GET /v2.0/ with one, and 404 for /v2.0 without the slash', async () => {
      const { app, admin } = ctx();
      const root = await admin.get('/', { token: null });
      expectStatus(root, 200);
      expect(root.body).toEqual({
        versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${app.apiUrl}/v2.0/` }] }],
      });

      const v2 = await admin.get('/v2.0/');
      expectStatus(v2, 200);
      expect(v2.body.resources).toContainEqual({
        name: 'network',
        collection: 'networks',
        links: [{ rel: 'self', href: `${app.apiUrl}/v2.0/networks` }],
      });
      expect((await admin.get('/v2.0/', { token: null })).status).toBe(401);

      expectNeutronError(await admin.get('/v2.0'), 404, 'HTTPNotFound', 'The resource could not be found.');
    });

    it('answers JSON as application/json; charset=utf-8 with the length of its UTF-8 bytes', async () => {
      const admin = ctx().admin;
      const name = uniqueName('r\u00e9seau-\u2014-\u{1F310}');
      const net = await createNetwork(admin, { name });
      const shown = await admin.get(`/v2.0/networks/${net.id}`);
      expectStatus(shown, 200);
      expect(shown.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(Number(shown.headers.get('content-length'))).toBe(Buffer.byteLength(shown.text, 'utf8'));
      expect(shown.body.network.name).toBe(name);
      const listed = await admin.get(`/v2.0/networks?name=${encodeURIComponent(name)}`);
      expect(listed.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(Number(listed.headers.get('content-length'))).toBe(Buffer.byteLength(listed.text, 'utf8'));
    });

    it('answers unsupported methods with 405', async () => {
      const admin = ctx().admin;
      const net = await createNetwork(admin, { name: uniqueName('405') });
      expect((await admin.del('/v2.0/networks')).status).toBe(405);
      expect((await admin.put('/v2.0/networks', { network: {} })).status).toBe(405);
      expect((await admin.post(`/v2.0/networks/${net.id}`, { network: {} })).status).toBe(405);
      expect((await admin.get(`/v2.0/networks/${net.id}`)).status).toBe(200);
    });

    it('accepts the .json suffix', async () => {
      const net = await createNetwork(ctx().admin, { name: uniqueName('json') });
      const listed = await ctx().admin.get('/v2.0/networks.json');
      expectStatus(listed, 200);
      expect(listed.body.networks.map((n: Json) => n.id)).toContain(net.id);
      const shown = await ctx().admin.get(`/v2.0/networks/${net.id}.json`);
      expectStatus(shown, 200);
      expect(shown.body.network.id).toBe(net.id);
    });

    it('lists extensions, shows each one identically, and 404s an unknown alias', async () => {
      const admin = ctx().admin;
      const res = await admin.get('/v2.0/extensions');
      expectStatus(res, 200);
      const exts: Json[] = res.body.extensions;
      const aliases = exts.map((e) => e.alias);
      for (const alias of [
        'quotas', 'quota_details', 'quota-check-limit', 'standard-attr-tag', 'pagination', 'sorting', 'project-id',
        'net-mtu', 'net-mtu-writable', 'external-net', 'revision-if-match', 'standard-attr-revisions',
        'standard-attr-timestamp', 'standard-attr-description', 'filter-validation', 'empty-string-filtering',
      ]) {
        expect(aliases, alias).toContain(alias);
      }
      for (const ext of exts) {
        expect(Object.keys(ext).sort()).toEqual(['alias', 'description', 'links', 'name', 'updated']);
        const shown = await admin.get(`/v2.0/extensions/${ext.alias}`);
        expectStatus(shown, 200);
        expect(shown.body).toEqual({ extension: ext });
      }
      expectNeutronError(await admin.get('/v2.0/extensions/no-such-ext'), 404, 'HTTPNotFound', 'Extension with alias no-such-ext does not exist');

      // Only what is implemented is listed: an advertised resource extension must answer.
      const backing: Record<string, string> = {
        router: '/v2.0/routers', 'security-group': '/v2.0/security-groups', agent: '/v2.0/agents',
        metering: '/v2.0/metering/metering-labels', subnet_allocation: '/v2.0/subnetpools',
        'address-scope': '/v2.0/address-scopes', 'rbac-policies': '/v2.0/rbac-policies',
        availability_zone: '/v2.0/availability_zones', 'network-ip-availability': '/v2.0/network-ip-availabilities',
      };
      for (const [alias, path] of Object.entries(backing)) {
        if (aliases.includes(alias)) expect((await admin.get(path)).status, `${alias} is listed but ${path}`).toBe(200);
      }
    });

    it('bulk-creates with 201 and a networks list', async () => {
      const [a, b] = [uniqueName('bulk'), uniqueName('bulk')];
      const res = await ctx().admin.post('/v2.0/networks', { networks: [{ name: a }, { network: { name: b, mtu: 1400 } }] });
      expectStatus(res, 201);
      expect(res.body.networks.map((n: Json) => [n.name, n.mtu])).toEqual([[a, 1450], [b, 1400]]);
    });

    it('stamps every response with X-Openstack-Request-Id', async () => {
      const ok = await ctx().admin.get('/v2.0/networks');
      const bad = await ctx().admin.get('/v2.0/networks?foo=bar');
      const ids = [ok.headers.get('x-openstack-request-id'), bad.headers.get('x-openstack-request-id')];
      for (const id of ids) expect(id).toMatch(REQUEST_ID);
      expect(ids[0]).not.toBe(ids[1]);
    });

    it('shows tenant_id and project_id and second-precision UTC timestamps', async () => {
      const admin = ctx().admin;
      const net = await createNetwork(admin, { name: uniqueName('std') });
      const shown = (await admin.get(`/v2.0/networks/${net.id}`)).body.network;
      const listed = (await list(admin, `?id=${net.id}`)).networks[0];
      for (const n of [net, shown, listed]) {
        expect(n.project_id).toEqual(expect.any(String));
        expect(n.tenant_id).toBe(n.project_id);
        expect(n.created_at).toMatch(TIMESTAMP);
        expect(n.updated_at).toMatch(TIMESTAMP);
        expect(n.revision_number).toEqual(expect.any(Number));
      }
    });

    it('answers /healthcheck with OK and no token', async () => {
      const res = await fetch(`${ctx().app.apiUrl}/healthcheck`);
      expect(res.status).toBe(200);
      expect((await res.text()).trim()).toBe('OK');
    });
  });

  describe('quotas API', () => {
    it('sets, lists, details, validates, resets and authorizes project quotas', async () => {
      const admin = ctx().admin;
      const { api, projectId } = await newProject(ctx(), 'quota');
      const path = `/v2.0/quotas/${projectId}`;
      const defaults = { network: 100, subnet: 100, port: 500, router: 10, floatingip: 50, security_group: 10, security_group_rule: 100, subnetpool: -1, rbac_policy: 10 };
      const listed = async () => ((await admin.get('/v2.0/quotas')).body.quotas as Json[]).find((q) => q.project_id === projectId);

      expect(await listed()).toBeUndefined();
      const set = await admin.put(path, { quota: { network: 5 } });
      expectStatus(set, 200);
      expect(set.body.quota).toMatchObject({ ...defaults, network: 5 });
      expect(await listed()).toMatchObject({ project_id: projectId, tenant_id: projectId, network: 5 });

      const shown = await admin.get(path);
      expect(shown.body.quota).toMatchObject({ ...defaults, network: 5 });
      expect(shown.body.quota).not.toHaveProperty('project_id');
      expect((await api.get(path)).body.quota.network).toBe(5);
      expect((await admin.get(`${path}/default`)).body.quota).toMatchObject(defaults);

      await createNetwork(api, { name: 'q1' });
      await createNetwork(api, { name: 'q2' });
      const details = await admin.get(`${path}/details.json`);
      expectStatus(details, 200);
      expect(details.body.quota.network).toEqual({ limit: 5, used: 2, reserved: 0 });
      expect(details.body.quota.router).toEqual({ limit: 10, used: 0, reserved: 0 });

      expectNeutronError(await admin.put(path, { quota: { network: 'value' } }), 400, 'InvalidInput', "Invalid input for operation: 'value' is not an integer.");
      expectNeutronError(await admin.put(path, { quota: { network: -2 } }), 400, 'HTTPBadRequest', "Invalid input for network. Reason: '-2' is too small - must be at least '-1'.");
      expectNeutronError(await admin.put(path, { quota: { network: 2147483648 } }), 400, 'HTTPBadRequest', "Invalid input for network. Reason: '2147483648' is too large - must be no larger than '2147483647'.");
      expectNeutronError(await admin.put(path, { quota: { foo: 1 } }), 400, 'HTTPBadRequest', "Unrecognized attribute(s) 'foo'");
      expectNeutronError(
        await admin.put(path, { quota: { network: 1, check_limit: true } }), 400, 'HTTPBadRequest',
        'Quota limit 1 for network must be greater than or equal to already used 2',
      );
      expect((await admin.get(path)).body.quota.network).toBe(5);
      const lowered = await admin.put(path, { quota: { network: 1 } });
      expectStatus(lowered, 200);
      expect(lowered.body.quota.network).toBe(1);

      expectNeutronError(await api.get(`/v2.0/quotas/${ctx().app.dialect}-someone-else`), 403, 'PolicyNotAuthorized', 'rule:get_quota is disallowed by policy');
      expectNeutronError(await api.get('/v2.0/quotas'), 403, 'PolicyNotAuthorized', 'rule:get_quota is disallowed by policy');
      expectNeutronError(await api.put(path, { quota: { network: 50 } }), 403, 'PolicyNotAuthorized', 'rule:update_quota is disallowed by policy');

      expectStatus(await admin.del(path), 204);
      expect((await admin.get(path)).body.quota).toMatchObject(defaults);
      expect(await listed()).toBeUndefined();
      expectNeutronError(await admin.del(path), 404, 'TenantQuotaNotFound', `Quota for tenant ${projectId} could not be found.`);
    });
  });
});
