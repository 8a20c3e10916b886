// Security groups and rules as users and the CLI see them: the default group, rule validation, ownership, quotas, use by ports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from './support/appliance.js';
import { cliFor } from './support/cli.js';
import { type ApiClient, apiClient, created, expectNeutronError, expectStatus, type Json } from './support/http.js';
import { createProjectUser, type ProjectUser } from './support/identity.js';
import { type InProcessAppliance, startInProcess } from './support/in-process.js';
import { createNetwork, once, useAppliance } from './support/suite.js';

const MISSING_ID = '0e2c7a51-4c0e-4d43-9d55-6f0a5f2b7c01';

const newGroup = (client: ApiClient, attrs: Json) => created(client.post('/v2.0/security-groups', { security_group: attrs }), 'security_group');
const newRule = (client: ApiClient, attrs: Json) => created(client.post('/v2.0/security-group-rules', { security_group_rule: attrs }), 'security_group_rule');
const postRule = (client: ApiClient, attrs: Json) => client.post('/v2.0/security-group-rules', { security_group_rule: attrs });

/** The groups a client lists (this GET also creates the caller's default group, as in Neutron). */
async function listGroups(client: ApiClient, query = ''): Promise<Json[]> {
  const res = await client.get(`/v2.0/security-groups${query}`);
  expectStatus(res, 200);
  return res.body.security_groups;
}

/** The four rules of a default group, in a comparable form. */
const shape = (rules: Json[]) =>
  rules
    .map((r) => `${r.direction} ${r.ethertype} group=${r.remote_group_id ?? '-'} proto=${r.protocol} prefix=${r.remote_ip_prefix}`)
    .sort();

describe.each(DIALECTS)('security groups (%s)', (dialect) => {
  const ctx = useAppliance(dialect);
  const cli = () => cliFor(ctx().app);
  const admin = () => ctx().admin;
  let alice: ProjectUser;
  let bob: ProjectUser;
  let aliceApi: ApiClient;
  let bobApi: ApiClient;
  const user = async (name: string) => {
    const u = await createProjectUser(ctx().app, ctx().adminToken, { project: `sg-${name}`, user: `sg-${name}` });
    return { u, api: apiClient(ctx().app.apiUrl, u.token) };
  };

  const asAlice = () => ({ user: alice.user, password: alice.password, project: alice.project });
  /** Alice's default group (listing makes it, as in Neutron). */
  const aliceDefault = async (): Promise<Json> => (await listGroups(aliceApi, '?name=default'))[0];
  /** The issue's `web` group of alice's with its tcp/80 rule, made with the CLI. */
  const aliceWeb = once(async () => {
    const web = await cli().openstack(['security', 'group', 'create', 'web', '-f', 'json'], asAlice());
    const rule = await cli().openstack(['security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '80:80', 'web', '-f', 'json'], asAlice());
    return { web, web80: rule };
  });

  beforeAll(async () => {
    const [a, b] = await Promise.all([user('alice'), user('bob')]);
    [alice, aliceApi, bob, bobApi] = [a.u, a.api, b.u, b.api];
  });

  describe('the issue’s CLI commands', () => {
    it('a new project’s `security group list` shows its default group, whose 4 rules `security group rule list` shows', async () => {
      const as = asAlice();
      const groups: Json[] = await cli().openstack(['security', 'group', 'list', '-f', 'json'], as);
      expect(groups).toEqual([expect.objectContaining({ Name: 'default', Description: 'Default security group', Project: alice.projectId })]);
      const defaultId = groups[0].ID;
      const rules: Json[] = await cli().openstack(['security', 'group', 'rule', 'list', 'default', '-f', 'json'], as);
      expect(rules.map((r) => `${r.Direction} ${r.Ethertype} ${r['Remote Security Group'] ?? r['IP Range']}`).sort()).toEqual([
        'egress IPv4 0.0.0.0/0',
        'egress IPv6 ::/0',
        `ingress IPv4 ${defaultId}`,
        `ingress IPv6 ${defaultId}`,
      ]);
      const shown = await aliceApi.get(`/v2.0/security-groups/${defaultId}`);
      expect(shape(shown.body.security_group.security_group_rules)).toEqual([
        'egress IPv4 group=- proto=null prefix=null',
        'egress IPv6 group=- proto=null prefix=null',
        `ingress IPv4 group=${defaultId} proto=null prefix=null`,
        `ingress IPv6 group=${defaultId} proto=null prefix=null`,
      ]);
    });

    it('security group create web && security group rule create --protocol tcp --dst-port 80:80 web', async () => {
      const { web, web80: rule } = await aliceWeb();
      expect(web).toMatchObject({ name: 'web', stateful: true, revision_number: 1 });
      expect(shape(web.rules)).toEqual(['egress IPv4 group=- proto=null prefix=null', 'egress IPv6 group=- proto=null prefix=null']);
      expect(rule).toMatchObject({
        security_group_id: web.id,
        direction: 'ingress',
        ether_type: 'IPv4',
        protocol: 'tcp',
        port_range_min: 80,
        port_range_max: 80,
        remote_ip_prefix: '0.0.0.0/0',
        remote_group_id: null,
      });
    });

    it('security group list / show and security group rule list web show the new rule', async () => {
      const { web, web80 } = await aliceWeb();
      const rows: Json[] = await cli().openstack(['security', 'group', 'list', '-f', 'json'], asAlice());
      expect(rows.filter((r) => r.ID === web.id)).toEqual([expect.objectContaining({ Name: 'web' })]);
      const shown = await cli().openstack(['security', 'group', 'show', 'web', '-f', 'json'], asAlice());
      // The rule bumped the group's revision.
      expect(shown).toMatchObject({ id: web.id, name: 'web', revision_number: 2 });
      expect(shown.rules.map((r: Json) => r.id).sort()).toEqual([...web.rules.map((r: Json) => r.id), web80.id].sort());
      const rules: Json[] = await cli().openstack(['security', 'group', 'rule', 'list', 'web', '-f', 'json'], asAlice());
      expect(rules).toHaveLength(3);
      expect(rules.find((r) => r.ID === web80.id)).toMatchObject({ 'IP Protocol': 'tcp', 'Port Range': '80:80', Direction: 'ingress', Ethertype: 'IPv4' });
    });
  });

  describe('rule validation (Neutron’s types and messages)', () => {
    let g: Json;
    beforeAll(async () => {
      g = await newGroup(aliceApi, { name: 'rules' });
    });
    const rule = (attrs: Json) => postRule(aliceApi, { security_group_id: g.id, direction: 'ingress', ...attrs });

    it('refuses a duplicate with the existing rule’s id, also when the protocol is given by number', async () => {
      const http = await newRule(aliceApi, { security_group_id: g.id, direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22 });
      for (const protocol of ['tcp', '6', 'TCP']) {
        const again = await rule({ protocol, port_range_min: 22, port_range_max: 22 });
        expectNeutronError(again, 409, 'SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${http.id}.`);
      }
      // 0.0.0.0/0 is the same as no prefix: the group's egress rule already allows it.
      const egress = g.security_group_rules.find((r: Json) => r.direction === 'egress' && r.ethertype === 'IPv4');
      expectNeutronError(await rule({ direction: 'egress', remote_ip_prefix: '0.0.0.0/0' }), 409, 'SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${egress.id}.`);
    });

    it('checks ports, ICMP type and code, protocols, ethertypes and prefixes', async () => {
      const cases: [Json, number, string, string][] = [
        [{ protocol: 'tcp', port_range_min: 80, port_range_max: 65536 }, 400, 'SecurityGroupInvalidPortValue', 'Invalid value for port 65536'],
        [{ protocol: 'tcp', port_range_min: 90, port_range_max: 80 }, 400, 'SecurityGroupInvalidPortRange', 'For TCP/UDP protocols, port_range_min must be <= port_range_max'],
        [{ protocol: 'udp', port_range_min: 0, port_range_max: 80 }, 400, 'SecurityGroupInvalidPortValue', 'Invalid value for port 0'],
        [{ port_range_min: 80, port_range_max: 80 }, 400, 'SecurityGroupProtocolRequiredWithPorts', 'Must also specify protocol if port range is given.'],
        [{ protocol: 'icmp', port_range_min: 300 }, 400, 'SecurityGroupInvalidIcmpValue', 'Invalid value for ICMP type (port_range_min) 300. It must be 0 to 255.'],
        [{ protocol: 'icmp', port_range_min: 8, port_range_max: 256 }, 400, 'SecurityGroupInvalidIcmpValue', 'Invalid value for ICMP code (port_range_max) 256. It must be 0 to 255.'],
        [{ protocol: 'icmp', port_range_max: 6 }, 400, 'SecurityGroupMissingIcmpType', 'ICMP code (port-range-max) 6 is provided but ICMP type (port-range-min) is missing.'],
        [{ ethertype: 'IPv6', remote_ip_prefix: '10.0.0.0/24' }, 400, 'SecurityGroupRuleParameterConflict', 'Conflicting value ethertype IPv6 for CIDR 10.0.0.0/24'],
        [{ remote_ip_prefix: '10.0.0.0/24', remote_group_id: g.id }, 400, 'SecurityGroupMultipleRemoteEntites', 'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.'],
        [{ protocol: 'icmpv6' }, 400, 'SecurityGroupEthertypeConflictWithProtocol', 'Invalid ethertype IPv4 for protocol icmpv6.'],
        [{ protocol: 'gre', port_range_min: 1, port_range_max: 2 }, 400, 'SecurityGroupInvalidProtocolForPort', 'Ports cannot be specified for protocol 47. Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE.'],
        [{ ethertype: 'IPv5' }, 400, 'SecurityGroupRuleInvalidEtherType', "Security group rule for ethertype 'IPv5' not supported. Allowed values are ['IPv4', 'IPv6']."],
        [{ remote_ip_prefix: '10.0.0.0/33' }, 400, 'InvalidCIDR', 'Invalid CIDR 10.0.0.0/33 given as IP prefix.'],
        [{ direction: 'sideways' }, 400, 'HTTPBadRequest', 'Invalid input for direction. Reason: sideways is not in valid_values.'],
        [{ remote_group_id: MISSING_ID }, 404, 'SecurityGroupNotFound', `Security group ${MISSING_ID} does not exist`],
      ];
      for (const [attrs, status, type, message] of cases) expectNeutronError(await rule(attrs), status, type, message);
      for (const protocol of ['foo', 256]) {
        expectNeutronError(await rule({ protocol }), 400, 'SecurityGroupRuleInvalidProtocol', new RegExp(`^Security group rule protocol ${protocol} not supported. Only protocol values \\[None, 'ah'`));
      }
      const unknown = await postRule(aliceApi, { security_group_id: MISSING_ID, direction: 'ingress' });
      expectNeutronError(unknown, 404, 'SecurityGroupNotFound', `Security group ${MISSING_ID} does not exist`);
    });

    it('stores canonical forms: legacy IPv6 ICMP names, the full port range, prefixes with their normalized CIDR', async () => {
      const icmp6 = await newRule(aliceApi, { security_group_id: g.id, direction: 'ingress', ethertype: 'ipv6', protocol: 'icmp' });
      expect(icmp6).toMatchObject({ ethertype: 'IPv6', protocol: 'ipv6-icmp' });
      expectNeutronError(await rule({ ethertype: 'IPv6', protocol: 'icmpv6' }), 409, 'SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${icmp6.id}.`);
      const all = await newRule(aliceApi, { security_group_id: g.id, direction: 'ingress', protocol: 'udp', port_range_min: 1, port_range_max: 65535 });
      expect(all).toMatchObject({ protocol: 'udp', port_range_min: null, port_range_max: null });
      const host = await newRule(aliceApi, { security_group_id: g.id, direction: 'ingress', remote_ip_prefix: '10.9.8.7/24' });
      expect(host).toMatchObject({ remote_ip_prefix: '10.9.8.7/24', normalized_cidr: '10.9.8.0/24' });
      const single = await newRule(aliceApi, { security_group_id: g.id, direction: 'ingress', remote_ip_prefix: '192.168.1.10' });
      expect(single).toMatchObject({ remote_ip_prefix: '192.168.1.10/32', normalized_cidr: '192.168.1.10/32' });
      const byCidr = await aliceApi.get(`/v2.0/security-group-rules?normalized_cidr=10.9.8.0/24&security_group_id=${g.id}`);
      expect(byCidr.body.security_group_rules.map((r: Json) => r.id)).toEqual([host.id]);
    });

    it('a bulk POST is all or nothing, for one group, without repeats', async () => {
      const ownDefault = await aliceDefault();
      const item = { security_group_id: g.id, direction: 'ingress', protocol: 'udp', port_range_min: 53, port_range_max: 53 };
      const dup = await aliceApi.post('/v2.0/security-group-rules', { security_group_rules: [item, { ...item, protocol: '17' }] });
      expectNeutronError(dup, 409, 'DuplicateSecurityGroupRuleInPost', 'Duplicate Security Group Rule in POST.');
      const two = await aliceApi.post('/v2.0/security-group-rules', { security_group_rules: [item, { ...item, security_group_id: ownDefault.id }] });
      expectNeutronError(two, 400, 'SecurityGroupNotSingleGroupRules', 'Only allowed to update rules for one security profile at a time');
      const none = await aliceApi.get(`/v2.0/security-group-rules?port_range_min=53`);
      expect(none.body.security_group_rules).toEqual([]);
      const ok = await aliceApi.post('/v2.0/security-group-rules', { security_group_rules: [item, { ...item, protocol: 'tcp' }] });
      expectStatus(ok, 201);
      expect(ok.body.security_group_rules.map((r: Json) => r.protocol)).toEqual(['udp', 'tcp']);
    });

    it('rule create and delete bump the group’s revision; deleting a group deletes its rules', async () => {
      const before = (await aliceApi.get(`/v2.0/security-groups/${g.id}`)).body.security_group;
      const r = await newRule(aliceApi, { security_group_id: g.id, direction: 'egress', protocol: 'tcp', port_range_min: 443, port_range_max: 443 });
      expectStatus(await aliceApi.del(`/v2.0/security-group-rules/${r.id}`), 204);
      const after = (await aliceApi.get(`/v2.0/security-groups/${g.id}`)).body.security_group;
      expect(after.revision_number).toBe(before.revision_number + 2);
      expectNeutronError(await aliceApi.get(`/v2.0/security-group-rules/${r.id}`), 404, 'SecurityGroupRuleNotFound', `Security group rule ${r.id} does not exist`);

      // A rule elsewhere naming the group as remote goes with it too (Neutron's cascade).
      const other = await newGroup(aliceApi, { name: 'other' });
      const remote = await newRule(aliceApi, { security_group_id: other.id, direction: 'ingress', remote_group_id: g.id });
      const ruleIds = after.security_group_rules.map((x: Json) => x.id);
      expectStatus(await aliceApi.del(`/v2.0/security-groups/${g.id}`), 204);
      expectNeutronError(await aliceApi.get(`/v2.0/security-groups/${g.id}`), 404, 'SecurityGroupNotFound', `Security group ${g.id} does not exist`);
      const left = await aliceApi.get(`/v2.0/security-group-rules?${[...ruleIds, remote.id].map((id: string) => `id=${id}`).join('&')}`);
      expect(left.body.security_group_rules).toEqual([]);
    });
  });

  describe('the default group', () => {
    it('cannot be created twice, renamed, or deleted by its project; its description may change', async () => {
      const { web } = await aliceWeb();
      const ownDefault = await aliceDefault();
      for (const name of ['default', 'DEFAULT']) {
        expectNeutronError(await aliceApi.post('/v2.0/security-groups', { security_group: { name } }), 409, 'SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
      }
      const path = `/v2.0/security-groups/${ownDefault.id}`;
      expectNeutronError(await aliceApi.put(path, { security_group: { name: 'x' } }), 409, 'SecurityGroupCannotUpdateDefault', 'Updating default security group not allowed.');
      expectNeutronError(await aliceApi.del(path), 409, 'SecurityGroupCannotRemoveDefault', 'Insufficient rights for removing default security group.');
      const described = await aliceApi.put(path, { security_group: { description: 'ours' } });
      expect(described.body.security_group).toMatchObject({ name: 'default', description: 'ours' });
      expectNeutronError(await aliceApi.put(`/v2.0/security-groups/${web.id}`, { security_group: { name: 'Default' } }), 409, 'SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
    });

    it('is created by a project’s first network, and once only however many first requests race', async () => {
      const erin = await user('erin');
      await createNetwork(erin.api, { name: 'erin-net' });
      // An admin list without a project filter creates only the admin's own default group.
      const all = await listGroups(admin(), '?name=default');
      expect(all.filter((g) => g.project_id === erin.u.projectId)).toHaveLength(1);

      const frank = await user('frank');
      const answers = await Promise.all(Array.from({ length: 12 }, () => listGroups(frank.api)));
      const ids = new Set(answers.map((groups) => (groups.length === 1 ? groups[0].id : `bad:${groups.length}`)));
      expect([...ids]).toHaveLength(1);
      expect([...ids][0]).toMatch(/^[0-9a-f-]{36}$/);
      const rules = await frank.api.get('/v2.0/security-group-rules');
      expect(rules.body.security_group_rules).toHaveLength(4);
    });

    it('an admin listing another project’s groups creates that project’s default group', async () => {
      const gina = await user('gina');
      const groups = await listGroups(admin(), `?project_id=${gina.u.projectId}`);
      expect(groups).toEqual([expect.objectContaining({ name: 'default', project_id: gina.u.projectId, tenant_id: gina.u.projectId })]);
      expect(groups[0].security_group_rules).toHaveLength(4);
    });
  });

  describe('visibility', () => {
    it('a project sees only its own groups, and rules it owns or that are in its groups', async () => {
      const { web, web80 } = await aliceWeb();
      const bobs = await listGroups(bobApi);
      expect(bobs.map((g) => g.name)).toEqual(['default']);
      expectNeutronError(await bobApi.get(`/v2.0/security-groups/${web.id}`), 404, 'SecurityGroupNotFound', `Security group ${web.id} does not exist`);
      expectNeutronError(await bobApi.get(`/v2.0/security-group-rules/${web80.id}`), 404, 'SecurityGroupRuleNotFound', `Security group rule ${web80.id} does not exist`);
      expectNeutronError(await bobApi.del(`/v2.0/security-group-rules/${web80.id}`), 404, 'SecurityGroupRuleNotFound', `Security group rule ${web80.id} does not exist`);
      expectNeutronError(await bobApi.del(`/v2.0/security-groups/${web.id}`), 404, 'SecurityGroupNotFound', `Security group ${web.id} does not exist`);
      const intoAlice = await postRule(bobApi, { security_group_id: web.id, direction: 'ingress', protocol: 'udp' });
      expectNeutronError(intoAlice, 404, 'SecurityGroupNotFound', `Security group ${web.id} does not exist`);
      const bobRules = await bobApi.get('/v2.0/security-group-rules');
      expect(bobRules.body.security_group_rules.every((r: Json) => r.security_group_id === bobs[0].id)).toBe(true);
      expect((await listGroups(admin())).map((g) => g.id)).toEqual(expect.arrayContaining([web.id, bobs[0].id]));
    });

    it('an admin creates a group and rules for another project; the project reads but may not delete the admin’s rule', async () => {
      const forBob = await newGroup(admin(), { name: 'from-admin', tenant_id: bob.projectId });
      expect(forBob).toMatchObject({ project_id: bob.projectId, tenant_id: bob.projectId });
      const adminRule = await newRule(admin(), { security_group_id: forBob.id, direction: 'ingress', protocol: 'tcp', port_range_min: 8080, port_range_max: 8080 });
      expect(adminRule.project_id).not.toBe(bob.projectId);
      expect((await bobApi.get(`/v2.0/security-group-rules/${adminRule.id}`)).body.security_group_rule).toMatchObject({ id: adminRule.id });
      const listed = await bobApi.get(`/v2.0/security-group-rules?security_group_id=${forBob.id}`);
      expect(listed.body.security_group_rules.map((r: Json) => r.id)).toContain(adminRule.id);
      expectNeutronError(await bobApi.del(`/v2.0/security-group-rules/${adminRule.id}`), 403, 'PolicyNotAuthorized', 'rule:delete_security_group_rule is disallowed by policy');
      const notMine = await bobApi.post('/v2.0/security-groups', { security_group: { name: 'x', tenant_id: alice.projectId } });
      expectNeutronError(notMine, 400, 'HTTPBadRequest', "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin or advsvc privileges");
    });
  });

  describe('use by ports', () => {
    it('a group in use cannot be deleted; ports filter by group; stateful and stateless groups do not mix', async () => {
      const { web } = await aliceWeb();
      const net = await createNetwork(aliceApi, { name: 'sg-net' });
      const p = await created(aliceApi.post('/v2.0/ports', { port: { network_id: net.id, security_groups: [web.id] } }), 'port');
      expectNeutronError(await aliceApi.del(`/v2.0/security-groups/${web.id}`), 409, 'SecurityGroupInUse', `Security Group ${web.id} in use.`);
      expectNeutronError(await aliceApi.put(`/v2.0/security-groups/${web.id}`, { security_group: { stateful: false } }), 409, 'SecurityGroupInUse', `Security Group ${web.id} in use.`);
      const filtered = await aliceApi.get(`/v2.0/ports?security_groups=${web.id}`);
      expect(filtered.body.ports.map((x: Json) => x.id)).toEqual([p.id]);

      const stateless = await newGroup(aliceApi, { name: 'stateless', stateful: false });
      expect(stateless.stateful).toBe(false);
      const mixed = await aliceApi.put(`/v2.0/ports/${p.id}`, { port: { security_groups: [web.id, stateless.id] } });
      expectNeutronError(mixed, 409, 'SecurityGroupConflict', 'Error Cannot apply both stateful and stateless security groups on the same port at the same time while attempting the operation.');
      const foreign = await bobApi.post('/v2.0/ports', { port: { network_id: (await createNetwork(bobApi)).id, security_groups: [web.id] } });
      expectNeutronError(foreign, 404, 'SecurityGroupNotFound', `Security group ${web.id} does not exist`);

      expectStatus(await aliceApi.del(`/v2.0/ports/${p.id}`), 204);
      const web2 = await newGroup(aliceApi, { name: 'web2' });
      expectStatus(await aliceApi.del(`/v2.0/security-groups/${web2.id}`), 204);
      expectStatus(await aliceApi.del(`/v2.0/security-groups/${web.id}`), 204);
    });
  });

  describe('quotas, tags, extensions', () => {
    it('a new group’s own rules count against security_group_rule (409 before anything is created)', async () => {
      const carol = await user('carol');
      expectStatus(await admin().put(`/v2.0/quotas/${carol.u.projectId}`, { quota: { security_group: 2, security_group_rule: 7 } }), 200);
      const g1 = await newGroup(carol.api, { name: 'g1' }); // plus the default group: 2 groups, 6 rules
      const tooMany = await carol.api.post('/v2.0/security-groups', { security_group: { name: 'g2' } });
      expectNeutronError(tooMany, 409, 'OverQuota', "Quota exceeded for resources: ['security_group'].");
      expectStatus(await admin().put(`/v2.0/quotas/${carol.u.projectId}`, { quota: { security_group: 10 } }), 200);
      const noRoom = await carol.api.post('/v2.0/security-groups', { security_group: { name: 'g2' } });
      expectNeutronError(noRoom, 409, 'OverQuota', "Quota exceeded for resources: ['security_group_rule'].");
      await newRule(carol.api, { security_group_id: g1.id, direction: 'ingress', protocol: 'tcp' });
      const eighth = await postRule(carol.api, { security_group_id: g1.id, direction: 'ingress', protocol: 'udp' });
      expectNeutronError(eighth, 409, 'OverQuota', "Quota exceeded for resources: ['security_group_rule'].");
      expect((await listGroups(carol.api)).map((g) => g.name).sort()).toEqual(['default', 'g1']);
    });

    it('groups carry tags, filterable, and bump their revision', async () => {
      const g = await newGroup(aliceApi, { name: 'tagged' });
      expectStatus(await aliceApi.put(`/v2.0/security-groups/${g.id}/tags/blue`, undefined), 201);
      const tagged = await listGroups(aliceApi, '?tags=blue');
      expect(tagged.map((x) => [x.id, x.tags, x.revision_number])).toEqual([[g.id, ['blue'], 2]]);
    });

    it('equal rules created at once: exactly one is created', async () => {
      const g = await newGroup(aliceApi, { name: 'race' });
      const attrs = { security_group_id: g.id, direction: 'ingress', protocol: 'tcp', port_range_min: 5000, port_range_max: 5001 };
      const results = await Promise.all(Array.from({ length: 10 }, () => postRule(aliceApi, attrs)));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      const winner = results.find((r) => r.status === 201)!.body.security_group_rule.id;
      for (const r of results.filter((x) => x.status !== 201)) {
        expectNeutronError(r, 409, 'SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${winner}.`);
      }
    });

    it('lists the extensions it implements', async () => {
      const aliases = (await admin().get('/v2.0/extensions')).body.extensions.map((e: Json) => e.alias);
      expect(aliases).toEqual(expect.arrayContaining(['security-group', 'stateful-security-group', 'security-groups-normalized-cidr', 'port-security-groups-filtering']));
      const sg = await admin().get('/v2.0/extensions/security-group');
      expect(sg.body.extension).toMatchObject({ name: 'security-group', description: 'The security groups extension.', updated: '2012-10-05T10:00:00-00:00' });
    });
  });
});

describe.each(DIALECTS)('security group lists cost (%s)', (dialect) => {
  let app: InProcessAppliance;
  beforeAll(async () => {
    app = await startInProcess(dialect);
  });
  afterAll(async () => {
    await app?.close();
  });

  const queriesToList = async (expected: number): Promise<number> => {
    const before = app.db.queryCount;
    const res = await app.call('GET', 'security-groups');
    const used = app.db.queryCount - before;
    expect(res.body.security_groups).toHaveLength(expected);
    expect(res.body.security_groups.every((g: Json) => g.security_group_rules.length >= 2)).toBe(true);
    return used;
  };

  it('one query for the page plus one batched load of rules and one of tags, whatever the number of groups', async () => {
    await app.call('GET', 'security-groups'); // creates the default group
    for (let i = 0; i < 2; i++) expect((await app.call('POST', 'security-groups', { body: { security_group: { name: `a${i}` } } })).status).toBe(201);
    const small = await queriesToList(3);
    for (let i = 0; i < 7; i++) expect((await app.call('POST', 'security-groups', { body: { security_group: { name: `b${i}` } } })).status).toBe(201);
    const large = await queriesToList(10);
    expect(large).toBe(small);
    // the default-group lookup, the groups, their rules, their tags
    expect(large).toBe(4);
  });
});
