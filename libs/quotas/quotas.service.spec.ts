// Quotas as clients see them: limits and usage through /v2.0/quotas, and enforcement on create (409 OverQuota,
// checked after the parent network's visibility and before policy, per project, for a whole bulk request).
import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../identity/auth-context.js';
import { errorOf, type Json, member, newProject, useCoreHarness } from '../../test/support/core-harness.js';

const DEFAULTS = { network: 100, subnet: 100, port: 500, router: 10, floatingip: 50, security_group: 10, security_group_rule: 100, subnetpool: -1, rbac_policy: 10 };
const overQuota = (resource: string) => [409, 'OverQuota', `Quota exceeded for resources: ['${resource}'].`];

describe('quotas', () => {
  const h = useCoreHarness('quotas_spec');
  const setQuota = async (project: string, quota: Record<string, unknown>) => {
    const res = await h().call('PUT', `quotas/${project}`, { body: { quota } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.quota;
  };
  const postNetwork = (network: Json, auth?: AuthContext) => h().call('POST', 'networks', { body: { network }, auth });
  const networksOf = async (project: string) =>
    (await h().call('GET', 'networks', { query: { project_id: project } })).body.networks.map((n: Json) => n.name).sort();

  describe('the /v2.0/quotas API', () => {
    it('shows defaults, sets, lists, resets and then has nothing to delete', async () => {
      const project = newProject();
      const listed = async () => (await h().call('GET', 'quotas')).body.quotas.find((q: Json) => q.project_id === project);
      expect((await h().call('GET', `quotas/${project}`)).body.quota).toEqual(DEFAULTS);
      expect(await listed()).toBeUndefined();

      expect(await setQuota(project, { network: 5, port: 7 })).toEqual({ ...DEFAULTS, network: 5, port: 7 });
      expect((await h().call('GET', `quotas/${project}`, { auth: member(project) })).body.quota).toEqual({ ...DEFAULTS, network: 5, port: 7 });
      expect(await listed()).toEqual({ ...DEFAULTS, network: 5, port: 7, project_id: project, tenant_id: project });
      expect((await h().call('GET', `quotas/${project}/default`)).body.quota).toEqual(DEFAULTS);

      expect((await h().call('DELETE', `quotas/${project}`)).status).toBe(204);
      expect((await h().call('GET', `quotas/${project}`)).body.quota).toEqual(DEFAULTS);
      expect(await listed()).toBeUndefined();
      expect(errorOf(await h().call('DELETE', `quotas/${project}`))).toEqual([404, 'TenantQuotaNotFound', `Quota for tenant ${project} could not be found.`]);
    });

    it('details the limit and what the project uses', async () => {
      const project = newProject();
      const auth = member(project);
      await setQuota(project, { network: 5 });
      const net = await h().create('networks', {}, auth);
      await h().create('networks', {}, auth);
      await h().create('subnets', { network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4 }, auth);
      const details = (await h().call('GET', `quotas/${project}/details`, { auth })).body.quota;
      expect(details.network).toEqual({ limit: 5, used: 2, reserved: 0 });
      expect(details.subnet).toEqual({ limit: 100, used: 1, reserved: 0 });
      expect(details.router).toEqual({ limit: 10, used: 0, reserved: 0 });
      expect(errorOf(await h().call('GET', `quotas/${project}/details`, { auth: member(newProject()) }))).toEqual([
        403,
        'AdminRequired',
        'User does not have admin privileges: Only admin is authorized to access quotas for another project.',
      ]);
    });

    it('validates new limits with Neutron’s texts and keeps the old ones', async () => {
      const project = newProject();
      await setQuota(project, { network: 5 });
      await h().create('networks', {}, member(project));
      await h().create('networks', {}, member(project));
      const put = (quota: Json) => h().call('PUT', `quotas/${project}`, { body: { quota } });
      expect(errorOf(await put({ network: 'value' }))).toEqual([400, 'InvalidInput', "Invalid input for operation: 'value' is not an integer."]);
      expect(errorOf(await put({ network: -2 }))).toEqual([400, 'HTTPBadRequest', "Invalid input for network. Reason: '-2' is too small - must be at least '-1'."]);
      expect(errorOf(await put({ foo: 1 }))).toEqual([400, 'HTTPBadRequest', "Unrecognized attribute(s) 'foo'"]);
      expect(errorOf(await put({ network: 1, check_limit: true }))).toEqual([
        400,
        'HTTPBadRequest',
        'Quota limit 1 for network must be greater than or equal to already used 2',
      ]);
      expect((await h().call('GET', `quotas/${project}`)).body.quota.network).toBe(5);
      expect((await put({ network: 1 })).body.quota.network).toBe(1);
    });

    it('lets a member read its own limits only, and change none', async () => {
      const project = newProject();
      const auth = member(project);
      expect((await h().call('GET', `quotas/${project}`, { auth })).status).toBe(200);
      const denied = [403, 'PolicyNotAuthorized', 'rule:get_quota is disallowed by policy'];
      expect(errorOf(await h().call('GET', `quotas/${newProject()}`, { auth }))).toEqual(denied);
      expect(errorOf(await h().call('GET', 'quotas', { auth }))).toEqual(denied);
      expect(errorOf(await h().call('PUT', `quotas/${project}`, { body: { quota: { network: 50 } }, auth }))).toEqual([
        403,
        'PolicyNotAuthorized',
        'rule:update_quota is disallowed by policy',
      ]);
      expect((await h().call('GET', `quotas/${project}`)).body.quota.network).toBe(DEFAULTS.network);
    });
  });

  describe('enforcement on create', () => {
    it('stops at the limit with OverQuota, before the policy check, and a delete frees a slot', async () => {
      const project = newProject();
      const auth = member(project);
      await setQuota(project, { network: 2 });
      const first = await h().create('networks', { name: 'one' }, auth);
      await h().create('networks', { name: 'two' }, auth);
      expect(errorOf(await postNetwork({ name: 'three' }, auth))).toEqual(overQuota('network'));
      // Forbidden (a member may not share) and over quota: the quota answers first.
      expect(errorOf(await postNetwork({ name: 'three', shared: true }, auth))).toEqual(overQuota('network'));
      expect(await networksOf(project)).toEqual(['one', 'two']);

      expect((await h().call('DELETE', `networks/${first.id}`, { auth })).status).toBe(204);
      expect((await postNetwork({ name: 'three' }, auth)).status).toBe(201);
    });

    it('counts a bulk request as a whole: over the limit, nothing is created', async () => {
      const project = newProject();
      const auth = member(project);
      await setQuota(project, { network: 2 });
      const bulk = (n: number) => h().call('POST', 'networks', { body: { networks: Array.from({ length: n }, (_, i) => ({ name: `b${i}` })) }, auth });
      expect(errorOf(await bulk(3))).toEqual(overQuota('network'));
      expect(await networksOf(project)).toEqual([]);
      expect((await bulk(2)).status).toBe(201);
    });

    it('charges the project that will own the resource, not the caller', async () => {
      const project = newProject();
      await setQuota(project, { network: 0 });
      expect(errorOf(await postNetwork({ project_id: project }))).toEqual(overQuota('network'));
      expect((await postNetwork({ project_id: newProject() })).status).toBe(201);
    });

    it('applies to subnets and ports, after the network’s visibility (404/403 before 409)', async () => {
      const project = newProject();
      const auth = member(project);
      const net = await h().create('networks', {}, auth);
      await setQuota(project, { subnet: 0, port: 0 });
      const subnet = await h().call('POST', 'subnets', { body: { subnet: { network_id: net.id, cidr: '10.1.0.0/24', ip_version: 4 } }, auth });
      expect(errorOf(subnet)).toEqual(overQuota('subnet'));
      expect(errorOf(await h().call('POST', 'ports', { body: { port: { network_id: net.id } }, auth }))).toEqual(overQuota('port'));

      const hidden = await h().create('networks', { project_id: newProject() });
      const onHidden = await h().call('POST', 'ports', { body: { port: { network_id: hidden.id } }, auth });
      expect(errorOf(onHidden)).toEqual([404, 'NetworkNotFound', `Network ${hidden.id} could not be found.`]);
    });

    it('never limits a resource set to -1', async () => {
      const project = newProject();
      const auth = member(project);
      await setQuota(project, { network: -1, security_group: 1 });
      for (let i = 0; i < 3; i++) await h().create('networks', {}, auth);
      expect((await h().call('GET', `quotas/${project}/details`, { auth })).body.quota.network).toEqual({ limit: -1, used: 3, reserved: 0 });
      // The default group was created with the first network and fills the security-group quota of 1.
      const group = await h().call('POST', 'security-groups', { body: { security_group: { name: 'web' } }, auth });
      expect(errorOf(group)).toEqual(overQuota('security_group'));
    });
  });
});
