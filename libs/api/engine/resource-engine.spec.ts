// The generic engine as a client sees it, on networks: bodies, fields, filters, sorting, paging, revisions, bulk,
// and who gets a 404 or a 403.
import { describe, expect, it } from 'vitest';
import { errorOf, type Json, member, newProject, useCoreHarness } from '../../../test/support/core-harness.js';

const MISSING_ID = '5b7d5f0b-2d0c-4a53-9bd4-0c2f3c1f2a11';
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('ResourceEngine', () => {
  const h = useCoreHarness('engine_spec');
  const names = (body: Json): string[] => body.networks.map((n: Json) => n.name);
  const link = (body: Json, rel: string): string | undefined => body.networks_links?.find((l: Json) => l.rel === rel)?.href;
  /** A fresh project with `names` networks created by its member, in that order. */
  const projectWith = async (...netNames: string[]) => {
    const project = newProject();
    const auth = member(project);
    const nets: Json[] = [];
    for (const name of netNames) nets.push(await h().create('networks', { name }, auth));
    return { project, auth, nets };
  };

  describe('request bodies', () => {
    it('fills defaults and the standard attributes on create', async () => {
      const { auth, project } = await projectWith();
      const res = await h().call('POST', 'networks', { body: { network: {} }, auth });
      expect(res.status).toBe(201);
      const net = res.body.network;
      expect(net).toMatchObject({ name: '', description: '', admin_state_up: true, project_id: project, tenant_id: project, tags: [], revision_number: 1 });
      expect(net.created_at).toMatch(TIMESTAMP);
      expect(net.updated_at).toMatch(TIMESTAMP);
    });

    it('answers bad bodies with Neutron’s texts', async () => {
      const post = (rawBody: unknown) => h().call('POST', 'networks', { body: rawBody });
      expect(errorOf(await post({ network: { name: 'x', foo: 1 } }))).toEqual([400, 'HTTPBadRequest', "Unrecognized attribute(s) 'foo'"]);
      expect(errorOf(await post({ net: {} }))).toEqual([400, 'HTTPBadRequest', "Unable to find 'network' in request body"]);
      expect(errorOf(await post({ network: { mtu: -1 } }))).toEqual([400, 'HTTPBadRequest', "Invalid input for mtu. Reason: '-1' should be non-negative."]);
      expect(errorOf(await post({ network: { admin_state_up: 'maybe' } }))[0]).toBe(400);
      const { project } = await projectWith();
      const spoofed = await h().call('POST', 'networks', { body: { network: { project_id: 'someone-else' } }, auth: member(project) });
      expect(errorOf(spoofed)).toEqual([
        400,
        'HTTPBadRequest',
        "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin or advsvc privileges",
      ]);
    });

    it('refuses read-only attributes on update and a body on delete', async () => {
      const { nets, auth } = await projectWith('ro');
      const put = await h().call('PUT', `networks/${nets[0].id}`, { body: { network: { id: MISSING_ID } }, auth });
      expect(errorOf(put)).toEqual([400, 'HTTPBadRequest', 'Cannot update read-only attribute id']);
      const del = await h().call('DELETE', `networks/${nets[0].id}`, { body: { network: {} }, auth });
      expect(errorOf(del)).toEqual([400, 'HTTPBadRequest', 'Request body is not supported in DELETE.']);
    });

    it('answers unsupported methods with 405 and an unknown id with the resource’s 404', async () => {
      const { nets } = await projectWith('405');
      expect((await h().call('DELETE', 'networks')).status).toBe(405);
      expect((await h().call('PUT', 'networks', { body: { network: {} } })).status).toBe(405);
      expect((await h().call('POST', `networks/${nets[0].id}`, { body: { network: {} } })).status).toBe(405);
      const message = `Network ${MISSING_ID} could not be found.`;
      expect(errorOf(await h().call('GET', `networks/${MISSING_ID}`))).toEqual([404, 'NetworkNotFound', message]);
      expect(errorOf(await h().call('PUT', `networks/${MISSING_ID}`, { body: { network: { name: 'y' } } }))).toEqual([404, 'NetworkNotFound', message]);
      expect(errorOf(await h().call('DELETE', `networks/${MISSING_ID}`))).toEqual([404, 'NetworkNotFound', message]);
    });
  });

  describe('fields, filters and sorting', () => {
    it('returns only the requested fields on list and show', async () => {
      const { nets, auth } = await projectWith('fields');
      const listed = await h().call('GET', 'networks', { query: { fields: ['id', 'name'] }, auth });
      expect(listed.body.networks.map((n: Json) => Object.keys(n).sort())).toEqual([['id', 'name']]);
      const shown = await h().call('GET', `networks/${nets[0].id}`, { query: { fields: ['name', 'admin_state_up'] }, auth });
      expect(shown.body).toEqual({ network: { name: 'fields', admin_state_up: true } });
    });

    it('ORs a repeated filter key, ANDs different keys, and matches the empty string', async () => {
      const { auth, project } = await projectWith('a', 'b', 'c', '');
      await h().call('PUT', `networks/${(await h().call('GET', 'networks', { query: { name: 'b' }, auth })).body.networks[0].id}`, {
        body: { network: { admin_state_up: false } },
        auth,
      });
      const where = async (query: Record<string, string | string[]>) =>
        names((await h().call('GET', 'networks', { query: { ...query, project_id: project }, auth })).body).sort();
      expect(await where({ name: ['a', 'c'] })).toEqual(['a', 'c']);
      expect(await where({ name: ['a', 'b'], admin_state_up: 'false' })).toEqual(['b']);
      expect(await where({ admin_state_up: 'True' })).toEqual(['', 'a', 'c']);
      expect(await where({ name: '' })).toEqual(['']);
    });

    it('refuses unknown filters and bad sort parameters', async () => {
      const list = (query: Record<string, string>) => h().call('GET', 'networks', { query });
      expect(errorOf(await list({ foo: 'bar' }))).toEqual([400, 'HTTPBadRequest', "['foo'] is invalid attribute for filtering"]);
      expect(errorOf(await list({ sort_key: 'foo', sort_dir: 'asc' }))).toEqual([400, 'HTTPBadRequest', "['foo'] is invalid attribute for sort_keys"]);
      expect(errorOf(await list({ sort_key: 'name', sort_dir: 'up' }))).toEqual([
        400,
        'HTTPBadRequest',
        "['up'] is invalid value for sort_dirs, valid value is 'asc' and 'desc'",
      ]);
      expect(errorOf(await list({ sort_key: 'name' }))).toEqual([400, 'HTTPBadRequest', 'The number of sort_keys and sort_dirs must be same']);
      expect(errorOf(await list({ limit: 'x' }))).toEqual([400, 'BadRequest', "Bad limit request: Limit must be an integer 0 or greater and not 'x'."]);
    });

    it('sorts by several keys in both directions', async () => {
      const { auth, nets } = await projectWith('b', 'a', 'b', 'c', 'a');
      const sorted = (dir: 'asc' | 'desc') =>
        h().call('GET', 'networks', { query: { sort_key: ['name', 'id'], sort_dir: [dir, dir] }, auth });
      const cmp = (x: Json, y: Json) => x.name.localeCompare(y.name) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
      const asc = [...nets].sort(cmp).map((n) => n.id);
      expect((await sorted('asc')).body.networks.map((n: Json) => n.id)).toEqual(asc);
      expect((await sorted('desc')).body.networks.map((n: Json) => n.id)).toEqual([...asc].reverse());
    });
  });

  describe('pagination', () => {
    it('walks forward by next links and back by previous links', async () => {
      const { auth } = await projectWith('n4', 'n1', 'n7', 'n3', 'n6', 'n2', 'n5');
      const pages: string[][] = [];
      let body = (await h().call('GET', 'networks', { query: { sort_key: 'name', sort_dir: 'asc', limit: '3' }, auth })).body;
      for (let i = 0; i < 5; i++) {
        pages.push(names(body));
        const next = link(body, 'next');
        if (!next) break;
        expect(next).toContain('marker=');
        body = (await h().follow(next, auth)).body;
      }
      expect(pages).toEqual([['n1', 'n2', 'n3'], ['n4', 'n5', 'n6'], ['n7']]);

      const back: string[][] = [];
      for (let i = 0; i < 5; i++) {
        const previous = link(body, 'previous');
        if (!previous) break;
        body = (await h().follow(previous, auth)).body;
        back.push(names(body));
      }
      expect(back).toEqual([['n4', 'n5', 'n6'], ['n1', 'n2', 'n3'], []]);
    });

    it('gives everything and no links for limit=0 or no limit', async () => {
      const { auth } = await projectWith('x', 'y', 'z');
      for (const query of [{ limit: '0' }, {}]) {
        const body = (await h().call('GET', 'networks', { query, auth })).body;
        expect(body.networks).toHaveLength(3);
        expect(body).not.toHaveProperty('networks_links');
      }
    });
  });

  describe('revisions', () => {
    it('bumps revision_number on update and refuses a stale If-Match with 412, changing nothing', async () => {
      const { nets, auth } = await projectWith('rev');
      const net = nets[0];
      const stale = `revision_number=${net.revision_number - 1}`;
      const conflict = [412, 'RevisionNumberConstraintFailed', `Constrained to ${net.revision_number - 1}, but current revision is ${net.revision_number}`];
      const put = (headers: Record<string, string>) =>
        h().call('PUT', `networks/${net.id}`, { body: { network: { name: 'changed' } }, headers, auth });
      expect(errorOf(await put({ 'If-Match': stale }))).toEqual(conflict);
      expect(errorOf(await h().call('DELETE', `networks/${net.id}`, { headers: { 'If-Match': stale }, auth }))).toEqual(conflict);
      expect((await h().call('GET', `networks/${net.id}`, { auth })).body.network).toMatchObject({ name: 'rev', revision_number: net.revision_number });

      const ok = await put({ 'If-Match': `revision_number=${net.revision_number}` });
      expect(ok.status).toBe(200);
      expect(ok.body.network).toMatchObject({ name: 'changed', revision_number: net.revision_number + 1 });
      expect(
        (await h().call('DELETE', `networks/${net.id}`, { headers: { 'If-Match': `revision_number=${net.revision_number + 1}` }, auth })).status,
      ).toBe(204);
    });
  });

  describe('bulk create', () => {
    it('creates every item in order and answers with the collection', async () => {
      const { auth } = await projectWith();
      const res = await h().call('POST', 'networks', { body: { networks: [{ name: 'first' }, { name: 'second', mtu: 1400 }] }, auth });
      expect(res.status).toBe(201);
      expect(res.body.networks.map((n: Json) => [n.name, n.mtu])).toEqual([
        ['first', 1450],
        ['second', 1400],
      ]);
    });

    it('is one transaction: a failure in the second item leaves nothing of the first', async () => {
      const { auth, project } = await projectWith();
      const inPlugin = await h().call('POST', 'networks', { body: { networks: [{ name: 'kept?' }, { name: 'too-big', mtu: 9000 }] }, auth });
      expect(errorOf(inPlugin)).toEqual([400, 'InvalidInput', 'Invalid input for operation: Requested MTU is too big, maximum is 1450.']);
      const inBody = await h().call('POST', 'networks', { body: { networks: [{ name: 'kept?' }, { mtu: -1 }] }, auth });
      expect(inBody.status).toBe(400);
      expect((await h().call('GET', 'networks', { query: { project_id: project }, auth })).body.networks).toEqual([]);
    });
  });

  describe('visibility and policy', () => {
    it('hides another project’s network: 404 on show, update and delete, absent from lists', async () => {
      const { nets } = await projectWith('private');
      const stranger = member(newProject());
      const message = `Network ${nets[0].id} could not be found.`;
      expect(errorOf(await h().call('GET', `networks/${nets[0].id}`, { auth: stranger }))).toEqual([404, 'NetworkNotFound', message]);
      expect(errorOf(await h().call('PUT', `networks/${nets[0].id}`, { body: { network: { name: 'mine' } }, auth: stranger }))).toEqual([
        404,
        'NetworkNotFound',
        message,
      ]);
      expect(errorOf(await h().call('DELETE', `networks/${nets[0].id}`, { auth: stranger }))).toEqual([404, 'NetworkNotFound', message]);
      expect((await h().call('GET', 'networks', { query: { id: nets[0].id }, auth: stranger })).body.networks).toEqual([]);
      expect((await h().call('GET', `networks/${nets[0].id}`)).body.network.name).toBe('private');
    });

    it('answers 403 instead when the caller may read the item but not change it', async () => {
      const shared = await h().create('networks', { name: 'shared', shared: true, project_id: newProject() });
      const stranger = member(newProject());
      expect((await h().call('GET', `networks/${shared.id}`, { auth: stranger })).status).toBe(200);
      const put = await h().call('PUT', `networks/${shared.id}`, { body: { network: { name: 'mine' } }, auth: stranger });
      expect(errorOf(put)).toEqual([403, 'PolicyNotAuthorized', 'rule:update_network is disallowed by policy']);
      const del = await h().call('DELETE', `networks/${shared.id}`, { auth: stranger });
      expect(errorOf(del)).toEqual([403, 'PolicyNotAuthorized', 'rule:delete_network is disallowed by policy']);
    });

    it('checks attribute policies on create only for values other than the default', async () => {
      const { auth } = await projectWith();
      expect((await h().call('POST', 'networks', { body: { network: { shared: false } }, auth })).status).toBe(201);
      const res = await h().call('POST', 'networks', { body: { network: { shared: true } }, auth });
      expect(errorOf(res)).toEqual([403, 'PolicyNotAuthorized', '(rule:create_network and rule:create_network:shared) is disallowed by policy']);
    });
  });

  describe('tags', () => {
    it('adds, replaces and removes tags through the sub-resource, and filters on them', async () => {
      const { nets, auth, project } = await projectWith('red', 'blue');
      const [red, blue] = nets;
      expect((await h().call('PUT', `networks/${red.id}/tags/red`, { auth })).status).toBe(201);
      expect((await h().call('PUT', `networks/${blue.id}/tags`, { body: { tags: ['blue', 'sky'] }, auth })).status).toBe(200);
      const shown = (await h().call('GET', `networks/${red.id}`, { auth })).body.network;
      expect(shown.tags).toEqual(['red']);
      expect(shown.revision_number).toBeGreaterThan(red.revision_number);
      const tagged = async (query: Record<string, string>) =>
        names((await h().call('GET', 'networks', { query: { ...query, project_id: project }, auth })).body).sort();
      expect(await tagged({ tags: 'blue,sky' })).toEqual(['blue']);
      expect(await tagged({ 'tags-any': 'red,sky' })).toEqual(['blue', 'red']);
      expect(await tagged({ 'not-tags': 'red' })).toEqual(['blue']);
      expect((await h().call('DELETE', `networks/${red.id}/tags/red`, { auth })).status).toBe(204);
      expect(errorOf(await h().call('DELETE', `networks/${red.id}/tags/red`, { auth }))).toEqual([404, 'TagNotFound', 'Tag red could not be found.']);
    });
  });
});
