// Ports as users, Nova and the CLI see them: addresses, MACs, security groups, port security, filters, ownership.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from './support/appliance.js';
import { cliFailure, cliFor } from './support/cli.js';
import { type ApiClient, apiClient, created, expectNeutronError, expectStatus, type Json } from './support/http.js';
import { createProjectUser, type ProjectUser } from './support/identity.js';
import { PortsService } from '../../libs/plugin/ports/ports.service.js';
import { type InProcessAppliance, startInProcess } from './support/in-process.js';
import { createNetwork, useAppliance } from './support/suite.js';

const MISSING_ID = '5b7d5f0b-2d0c-4a53-9bd4-0c2f3c1f2a11';

describe.each(DIALECTS)('ports (%s)', (dialect) => {
  const ctx = useAppliance(dialect);
  const cli = () => cliFor(ctx().app);
  const admin = () => ctx().admin;
  let alice: ProjectUser;
  let bob: ProjectUser;
  let aliceApi: ApiClient;
  let bobApi: ApiClient;
  const s: Record<string, Json> = {};

  const portsWhere = async (client: ApiClient, query: string): Promise<string[]> => {
    const res = await client.get(`/v2.0/ports?${query}`);
    expectStatus(res, 200);
    return res.body.ports.map((p: Json) => p.name).sort();
  };
  const subnet = (client: ApiClient, network: Json, name: string, cidr: string, extra: Json = {}) =>
    created(client.post('/v2.0/subnets', { subnet: { network_id: network.id, name, cidr, ip_version: 4, ...extra } }), 'subnet');
  const port = (client: ApiClient, attrs: Json) => created(client.post('/v2.0/ports', { port: attrs }), 'port');

  beforeAll(async () => {
    [alice, bob] = await Promise.all([
      createProjectUser(ctx().app, ctx().adminToken, { project: 'ports-alice', user: 'ports-alice' }),
      createProjectUser(ctx().app, ctx().adminToken, { project: 'ports-bob', user: 'ports-bob' }),
    ]);
    aliceApi = apiClient(ctx().app.apiUrl, alice.token);
    bobApi = apiClient(ctx().app.apiUrl, bob.token);
    s.net1 = await createNetwork(admin(), { name: 'net1' });
    s.sub1 = await subnet(admin(), s.net1, 'sub1', '10.0.0.0/24', { allocation_pools: [{ start: '10.0.0.10', end: '10.0.0.200' }] });
    s.web = await created(admin().post('/v2.0/security-groups', { security_group: { name: 'web' } }), 'security_group');
    // The p1, made here so that no test below leans on another having run before it.
    const args = ['port', 'create', '--network', 'net1', '--fixed-ip', 'subnet=sub1,ip-address=10.0.0.50'];
    s.p1 = await cli().openstack([...args, '--mac-address', 'fa:16:3e:00:00:01', 'p1', '-f', 'json']);
  });

  describe('the issue’s CLI commands', () => {
    it('port create --network net1 --fixed-ip subnet=sub1,ip-address=10.0.0.50 --mac-address fa:16:3e:00:00:01 p1', async () => {
      const p1 = s.p1;
      expect(p1).toMatchObject({
        name: 'p1',
        network_id: s.net1.id,
        mac_address: 'fa:16:3e:00:00:01',
        fixed_ips: [{ subnet_id: s.sub1.id, ip_address: '10.0.0.50' }],
        status: 'DOWN',
        admin_state_up: true,
        port_security_enabled: true,
        binding_vif_type: 'unbound',
        binding_vnic_type: 'normal',
      });
      // No group asked for: the project's default group, which exists from now on.
      const groups = await admin().get(`/v2.0/security-groups?name=default&project_id=${p1.project_id}`);
      expect(p1.security_group_ids).toEqual([groups.body.security_groups[0].id]);
    });

    it('port list --fixed-ip ip-address=10.0.0.50 finds p1 only', async () => {
      await port(admin(), { network_id: s.net1.id, name: 'p-other', fixed_ips: [{ ip_address: '10.0.0.51' }] });
      const rows: Json[] = await cli().openstack(['port', 'list', '--fixed-ip', 'ip-address=10.0.0.50', '-f', 'json']);
      expect(rows.map((r) => r.ID)).toEqual([s.p1.id]);
    });

    it('port list --device-id X finds the port of that device', async () => {
      const vm = await port(admin(), { network_id: s.net1.id, name: 'p-vm', device_id: 'X' });
      const rows: Json[] = await cli().openstack(['port', 'list', '--device-id', 'X', '-f', 'json']);
      expect(rows.map((r) => r.ID)).toEqual([vm.id]);
    });

    it('port list --long shows addresses, owner and tags (no groups: the CLI asks for a field Neutron lacks)', async () => {
      const rows: Json[] = await cli().openstack(['port', 'list', '--long', '-f', 'json']);
      const row = rows.find((r) => r.ID === s.p1.id);
      expect(row).toMatchObject({
        Name: 'p1',
        'MAC Address': 'fa:16:3e:00:00:01',
        'Fixed IP Addresses': [{ subnet_id: s.sub1.id, ip_address: '10.0.0.50' }],
        Status: 'DOWN',
        // The CLI asks for fields=security_group_ids, which Neutron does not know either: empty there too.
        'Security Groups': null,
        'Device Owner': '',
        Tags: [],
      });
    });

    it('port set --security-group web --allowed-address ip-address=10.0.0.99 p1', async () => {
      expect(await cli().openstack(['port', 'set', '--security-group', 'web', '--allowed-address', 'ip-address=10.0.0.99', 'p1'])).toBeNull();
      const p1 = (await admin().get(`/v2.0/ports/${s.p1.id}`)).body.port;
      expect([...p1.security_groups].sort()).toEqual([...s.p1.security_group_ids, s.web.id].sort());
      // The pair's MAC defaults to the port's.
      expect(p1.allowed_address_pairs).toEqual([{ ip_address: '10.0.0.99', mac_address: 'fa:16:3e:00:00:01' }]);
      expect(p1.revision_number).toBeGreaterThan(s.p1.revision_number);
      expect(await portsWhere(admin(), `security_groups=${s.web.id}`)).toEqual(['p1']);
    });

    it('port create with a MAC in use fails in the CLI with Neutron’s message', async () => {
      const err = await cliFailure(cli().openstack(['port', 'create', '--network', 'net1', '--mac-address', 'FA:16:3E:00:00:01', 'dup', '-f', 'json']));
      expect(err.stderr).toContain(`Unable to complete operation for network ${s.net1.id}. The mac address fa:16:3e:00:00:01 is in use.`);
    });
  });

  describe('the errors users make', () => {
    it('an address outside the subnet, an address in use and a MAC in use', async () => {
      const outside = await admin().post('/v2.0/ports', { port: { network_id: s.net1.id, fixed_ips: [{ subnet_id: s.sub1.id, ip_address: '10.9.0.5' }] } });
      expectNeutronError(outside, 400, 'InvalidIpForSubnet', 'IP address 10.9.0.5 is not a valid IP for the specified subnet.');
      const inUse = await admin().post('/v2.0/ports', { port: { network_id: s.net1.id, fixed_ips: [{ ip_address: '10.0.0.50' }] } });
      expectNeutronError(inUse, 409, 'IpAddressAlreadyAllocated', `IP address 10.0.0.50 already allocated in subnet ${s.sub1.id}`);
      const mac = await admin().post('/v2.0/ports', { port: { network_id: s.net1.id, mac_address: 'fa-16-3e-00-00-01' } });
      expectNeutronError(mac, 409, 'MacAddressInUse', `Unable to complete operation for network ${s.net1.id}. The mac address fa:16:3e:00:00:01 is in use.`);
      const badMac = await admin().post('/v2.0/ports', { port: { network_id: s.net1.id, mac_address: 'ff:ff:ff:ff:ff:ff' } });
      expectNeutronError(badMac, 400, 'HTTPBadRequest', "Invalid input for mac_address. Reason: 'ff:ff:ff:ff:ff:ff' is not a valid MAC address.");
    });

    it('concurrent creates with one MAC: the unique index lets exactly one win', async () => {
      const net = await createNetwork(admin(), { name: 'mac-race' });
      // Different projects, so the per-project quota lock does not serialise them.
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          admin().post('/v2.0/ports', { port: { network_id: net.id, project_id: `race-${i}`, mac_address: 'fa:16:3e:77:77:77', fixed_ips: [] } }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      const message = `Unable to complete operation for network ${net.id}. The mac address fa:16:3e:77:77:77 is in use.`;
      for (const r of results.filter((res) => res.status !== 201)) expectNeutronError(r, 409, 'MacAddressInUse', message);
    });

    it('checks the network’s ownership before the quota, as Neutron does (404/403 before 409)', async () => {
      expectStatus(await admin().put(`/v2.0/quotas/${alice.projectId}`, { quota: { port: 0 } }), 200);
      try {
        const hidden = await aliceApi.post('/v2.0/ports', { port: { network_id: s.net1.id } });
        expectNeutronError(hidden, 404, 'NetworkNotFound', `Network ${s.net1.id} could not be found.`);
        const own = await createNetwork(aliceApi, { name: 'alice-quota-order' });
        const over = await aliceApi.post('/v2.0/ports', { port: { network_id: own.id } });
        expectNeutronError(over, 409, 'OverQuota', "Quota exceeded for resources: ['port'].");
      } finally {
        expectStatus(await admin().del(`/v2.0/quotas/${alice.projectId}`), 204);
      }
    });

    it('another project’s private network is not found, an external one is forbidden, a shared one is fine', async () => {
      const res = await aliceApi.post('/v2.0/ports', { port: { network_id: s.net1.id } });
      expectNeutronError(res, 404, 'NetworkNotFound', `Network ${s.net1.id} could not be found.`);
      const ext = await createNetwork(admin(), { name: 'ext', 'router:external': true });
      const forbidden = await aliceApi.post('/v2.0/ports', { port: { network_id: ext.id } });
      expectNeutronError(forbidden, 403, 'HTTPForbidden', `Tenant ${alice.projectId} not allowed to create port on this network`);
      const shared = await createNetwork(admin(), { name: 'shared', shared: true });
      const mine = await port(aliceApi, { network_id: shared.id, name: 'alice-on-shared' });
      expect(mine.project_id).toBe(alice.projectId);
      // Setting an address needs the network owner; picking a subnet on a shared network does not.
      const denied = await aliceApi.post('/v2.0/ports', { port: { network_id: shared.id, mac_address: 'fa:16:3e:aa:bb:cc' } });
      expectNeutronError(denied, 403, 'PolicyNotAuthorized', '(rule:create_port and rule:create_port:mac_address) is disallowed by policy');
      // The attribute map's order, not the body's, shows in the message.
      const both = await aliceApi.post('/v2.0/ports', {
        port: { fixed_ips: [{ ip_address: '10.0.0.9' }], network_id: shared.id, mac_address: 'fa:16:3e:aa:bb:cc' },
      });
      expectNeutronError(
        both,
        403,
        'PolicyNotAuthorized',
        '((rule:create_port and rule:create_port:mac_address) and (rule:create_port:fixed_ips and (rule:create_port:fixed_ips:ip_address))) is disallowed by policy',
      );
      const missing = await admin().post('/v2.0/ports', { port: { network_id: MISSING_ID } });
      expectNeutronError(missing, 404, 'NetworkNotFound', `Network ${MISSING_ID} could not be found.`);
    });

    it('an unknown security group is not found; a duplicate one is refused', async () => {
      const res = await admin().post('/v2.0/ports', { port: { network_id: s.net1.id, security_groups: [MISSING_ID] } });
      expectNeutronError(res, 404, 'SecurityGroupNotFound', `Security group ${MISSING_ID} does not exist`);
      const twice = await admin().put(`/v2.0/ports/${s.p1.id}`, { port: { security_groups: [s.web.id, s.web.id] } });
      expectNeutronError(twice, 400, 'HTTPBadRequest', `Invalid input for security_groups. Reason: Duplicate items in the list: '${s.web.id}'.`);
    });

    it('port security: no groups or address pairs without it', async () => {
      const plain = await port(admin(), { network_id: s.net1.id, name: 'psec', fixed_ips: [] });
      const off = await admin().put(`/v2.0/ports/${plain.id}`, { port: { port_security_enabled: false } });
      expectNeutronError(
        off,
        409,
        'PortSecurityPortHasSecurityGroup',
        'Port has security group associated. Cannot disable port security or IP address until security group is removed.',
      );
      const both = await admin().put(`/v2.0/ports/${plain.id}`, { port: { port_security_enabled: false, security_groups: [] } });
      expectStatus(both, 200);
      expect(both.body.port).toMatchObject({ port_security_enabled: false, security_groups: [] });
      const groups = await admin().post('/v2.0/ports', { port: { network_id: s.net1.id, port_security_enabled: false, security_groups: [s.web.id] } });
      expectNeutronError(
        groups,
        400,
        'PortSecurityAndIPRequiredForSecurityGroups',
        'Port security must be enabled and port must have an IP address in order to use security groups.',
      );
      const pairs = await admin().put(`/v2.0/ports/${plain.id}`, { port: { allowed_address_pairs: [{ ip_address: '10.0.0.7' }] } });
      expectNeutronError(pairs, 409, 'AddressPairAndPortSecurityRequired', 'Port Security must be enabled in order to have allowed address pairs on a port.');
      const unsecured = await port(admin(), { network_id: s.net1.id, port_security_enabled: false, fixed_ips: [] });
      expect(unsecured.security_groups).toEqual([]);
    });
  });

  describe('filters', () => {
    it('fixed_ips by address, substring and subnet; MAC in any case; owner and host', async () => {
      await port(admin(), {
        network_id: s.net1.id,
        name: 'p-host',
        device_owner: 'compute:nova',
        'binding:host_id': 'compute-1',
        fixed_ips: [{ ip_address: '10.0.0.150' }],
      });
      expect(await portsWhere(admin(), 'fixed_ips=ip_address%3D10.0.0.150')).toEqual(['p-host']);
      expect(await portsWhere(admin(), 'fixed_ips=ip_address_substr%3D0.0.15')).toEqual(['p-host']);
      expect(await portsWhere(admin(), 'fixed_ips=ip_address_substr%3D0.0.15&fixed_ips=ip_address_substr%3D0.0.50')).toEqual(['p-host', 'p1']);
      expect(await portsWhere(admin(), `fixed_ips=subnet_id%3D${s.sub1.id}&fixed_ips=ip_address%3D10.0.0.150`)).toEqual(['p-host']);
      expect(await portsWhere(admin(), 'mac_address=FA:16:3E:00:00:01')).toEqual(['p1']);
      expect(await portsWhere(admin(), 'device_owner=compute:nova')).toEqual(['p-host']);
      expect(await portsWhere(admin(), 'binding:host_id=compute-1')).toEqual(['p-host']);
      const bad = await admin().get('/v2.0/ports?fixed_ips=10.0.0.150');
      expectNeutronError(bad, 400, 'InvalidInput', "Invalid input for operation: '10.0.0.150' is not of the form <key>=[value].");
    });
  });

  describe('ownership and visibility', () => {
    it('owners and network owners see a port; binding:* is for admins only', async () => {
      const aliceNet = await createNetwork(aliceApi, { name: 'alice-net' });
      const bobsPort = await port(admin(), { network_id: aliceNet.id, name: 'bobs-port', project_id: bob.projectId, 'binding:host_id': 'h1' });
      // No L2 agent runs on h1: ML2 cannot bind there.
      expect(bobsPort).toMatchObject({ 'binding:host_id': 'h1', 'binding:vif_type': 'binding_failed', 'binding:vif_details': {}, 'binding:profile': {} });
      expect(await portsWhere(aliceApi, `network_id=${aliceNet.id}`)).toEqual(['bobs-port']);
      expect(await portsWhere(bobApi, `network_id=${aliceNet.id}`)).toEqual(['bobs-port']);
      const seen = (await bobApi.get(`/v2.0/ports/${bobsPort.id}`)).body.port;
      expect(Object.keys(seen).filter((k) => k.startsWith('binding:'))).toEqual(['binding:vnic_type']);
      expectNeutronError(await bobApi.get(`/v2.0/ports/${s.p1.id}`), 404, 'PortNotFound', `Port ${s.p1.id} could not be found.`);
      // The network owner may delete a port on its network.
      expectStatus(await aliceApi.del(`/v2.0/ports/${bobsPort.id}`), 204);
    });
  });

  describe('attributes', () => {
    it('extra_dhcp_opts: stored, merged by (opt_name, ip_version), deleted with null', async () => {
      const p = await port(admin(), {
        network_id: s.net1.id,
        fixed_ips: [],
        extra_dhcp_opts: [
          { opt_name: 'bootfile-name', opt_value: 'pxelinux.0' },
          { opt_name: 'tftp-server', opt_value: '10.0.0.5' },
        ],
      });
      expect(p.extra_dhcp_opts).toEqual([
        { opt_name: 'bootfile-name', opt_value: 'pxelinux.0', ip_version: 4 },
        { opt_name: 'tftp-server', opt_value: '10.0.0.5', ip_version: 4 },
      ]);
      const upd = await admin().put(`/v2.0/ports/${p.id}`, {
        port: {
          extra_dhcp_opts: [
            { opt_name: 'bootfile-name', opt_value: null },
            { opt_name: 'tftp-server', opt_value: '10.0.0.6' },
            { opt_name: 'tftp-server', opt_value: '2001:db8::6', ip_version: 6 },
          ],
        },
      });
      expectStatus(upd, 200);
      const shown = (await admin().get(`/v2.0/ports/${p.id}`)).body.port;
      expect(shown.extra_dhcp_opts).toEqual([
        { opt_name: 'tftp-server', opt_value: '10.0.0.6', ip_version: 4 },
        { opt_name: 'tftp-server', opt_value: '2001:db8::6', ip_version: 6 },
      ]);
    });

    it('bulk create with tags (tag-ports-during-bulk-creation), generated MACs from base_mac', async () => {
      const res = await admin().post('/v2.0/ports', {
        ports: [
          { network_id: s.net1.id, name: 'bulk-a', tags: ['blue', 'a'], fixed_ips: [] },
          { network_id: s.net1.id, name: 'bulk-b', tags: ['blue'], fixed_ips: [] },
        ],
      });
      expectStatus(res, 201);
      expect(res.body.ports.map((p: Json) => p.tags)).toEqual([['a', 'blue'], ['blue']]);
      for (const p of res.body.ports) expect(p.mac_address).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
      expect(await portsWhere(admin(), 'tags=blue')).toEqual(['bulk-a', 'bulk-b']);
      const rejected = await admin().post('/v2.0/ports', { ports: [{ network_id: s.net1.id, name: 'ok' }, { network_id: MISSING_ID }] });
      expect(rejected.status).toBe(404);
      expect(await portsWhere(admin(), 'name=ok')).toEqual([]);
    });

    it('a SLAAC address follows the MAC: EUI-64 on create, derived again when an admin changes the MAC', async () => {
      const net = await createNetwork(admin(), { name: 'v6' });
      const slaac = await created(
        admin().post('/v2.0/subnets', {
          subnet: { network_id: net.id, cidr: '2001:db8:5::/64', ip_version: 6, ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' },
        }),
        'subnet',
      );
      const p = await port(admin(), { network_id: net.id, mac_address: 'fa:16:3e:11:22:33' });
      expect(p.fixed_ips).toEqual([{ subnet_id: slaac.id, ip_address: '2001:db8:5:0:f816:3eff:fe11:2233' }]);
      const moved = await admin().put(`/v2.0/ports/${p.id}`, { port: { mac_address: 'FA:16:3E:11:22:44' } });
      expectStatus(moved, 200);
      expect(moved.body.port).toMatchObject({
        mac_address: 'fa:16:3e:11:22:44',
        fixed_ips: [{ subnet_id: slaac.id, ip_address: '2001:db8:5:0:f816:3eff:fe11:2244' }],
      });
      const regenerated = await admin().put(`/v2.0/ports/${p.id}`, { port: { mac_address: null } });
      expect(regenerated.body.port.mac_address).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
      expect(regenerated.body.port.mac_address).not.toBe('fa:16:3e:11:22:44');
    });

    it('deleting a port frees its address', async () => {
      const p = await port(admin(), { network_id: s.net1.id, fixed_ips: [{ ip_address: '10.0.0.60' }] });
      expectStatus(await admin().del(`/v2.0/ports/${p.id}`), 204);
      const again = await port(admin(), { network_id: s.net1.id, fixed_ips: [{ ip_address: '10.0.0.60' }] });
      expect(again.fixed_ips).toEqual([{ subnet_id: s.sub1.id, ip_address: '10.0.0.60' }]);
      const moved = await admin().put(`/v2.0/ports/${again.id}`, { port: { fixed_ips: [{ ip_address: '10.0.0.61' }] } });
      expectStatus(moved, 200);
      expect(moved.body.port.fixed_ips).toEqual([{ subnet_id: s.sub1.id, ip_address: '10.0.0.61' }]);
      expect(moved.body.port.revision_number).toBeGreaterThan(again.revision_number);
      await port(admin(), { network_id: s.net1.id, fixed_ips: [{ ip_address: '10.0.0.60' }] });
    });
  });

  describe('network delete', () => {
    it('is refused while ports are in use (NetworkInUse names them); DHCP ports go with the network', async () => {
      const net = await createNetwork(admin(), { name: 'doomed' });
      const vm = await port(admin(), { network_id: net.id, name: 'vm' });
      const dhcp = await port(admin(), { network_id: net.id, device_owner: 'network:dhcp' });
      expect(dhcp).toMatchObject({ port_security_enabled: false, security_groups: [] });
      const res = await admin().del(`/v2.0/networks/${net.id}`);
      expectNeutronError(
        res,
        409,
        'NetworkInUse',
        `Unable to complete operation on network ${net.id}. There are one or more ports still in use on the network, id for these ports is: ${vm.id}.`,
      );
      expectStatus(await admin().del(`/v2.0/ports/${vm.id}`), 204);
      expectStatus(await admin().del(`/v2.0/networks/${net.id}`), 204);
      expectNeutronError(await admin().get(`/v2.0/ports/${dhcp.id}`), 404, 'PortNotFound', `Port ${dhcp.id} could not be found.`);
    });
  });

  describe('Nova', () => {
    it('boot sequence steps 1–4 with openstacksdk, as nova-compute sends them', async () => {
      const net = await createNetwork(aliceApi, { name: 'nova-net' });
      const sub = await subnet(aliceApi, net, 'nova-sub', '192.168.77.0/24');
      const script = `
import json, os, openstack
admin = openstack.connect()
user = openstack.connect(auth_url=os.environ['OS_AUTH_URL'], username='${alice.user}', password='${alice.password}',
    project_name='${alice.project}', user_domain_name='Default', project_domain_name='Default')
project = '${alice.projectId}'
out = {}
out['extensions'] = [e['alias'] for e in user.network.get('/extensions').json()['extensions']]
out['networks'] = user.network.get('/networks', params={'id': '${net.id}'}).json()['networks']
out['quota'] = user.network.get('/quotas/' + project).json()['quota']
out['port_ids'] = user.network.get('/ports', params={'tenant_id': project, 'fields': 'id'}).json()['ports']
sgs = user.network.get('/security-groups', params={'tenant_id': project, 'fields': ['id', 'name']}).json()['security_groups']
out['sgs'] = sgs
default = [g['id'] for g in sgs if g['name'] == 'default']
r = user.network.post('/ports', json={'port': {'network_id': '${net.id}', 'admin_state_up': True, 'tenant_id': project,
    'security_groups': default}})
out['create'] = [r.status_code, r.json()['port']]
port_id = r.json()['port']['id']
r = admin.network.put('/ports/' + port_id, json={'port': {'device_id': 'f7a2c1d4-0d1e-4c1b-9a55-1b2a3c4d5e6f',
    'device_owner': 'compute:nova', 'binding:host_id': 'compute1'}})
out['bind'] = [r.status_code, r.json()['port']]
out['by_device'] = admin.network.get('/ports', params={'tenant_id': project,
    'device_id': 'f7a2c1d4-0d1e-4c1b-9a55-1b2a3c4d5e6f'}).json()['ports']
out['nets'] = admin.network.get('/networks', params={'id': '${net.id}'}).json()['networks']
out['subnets'] = admin.network.get('/subnets', params={'id': '${sub.id}'}).json()['subnets']
out['dhcp'] = admin.network.get('/ports', params={'network_id': '${net.id}', 'device_owner': 'network:dhcp'}).json()['ports']
print(json.dumps(out))
`;
      const out = JSON.parse(await cli().sdk(script));
      expect(out.extensions).toEqual(expect.arrayContaining(['binding', 'port-security', 'security-group', 'allowed-address-pairs', 'extra_dhcp_opt']));
      expect(out.networks.map((n: Json) => n.id)).toEqual([net.id]);
      expect(out.quota.port).toBe(500);
      for (const p of out.port_ids) expect(Object.keys(p)).toEqual(['id']);
      expect(out.sgs.map((g: Json) => g.name)).toContain('default');
      const defaultSg = out.sgs.find((g: Json) => g.name === 'default').id;

      const [createStatus, created] = out.create;
      expect(createStatus).toBe(201);
      expect(created).toMatchObject({ status: 'DOWN', device_id: '', security_groups: [defaultSg], project_id: alice.projectId });
      expect(created.fixed_ips).toEqual([{ subnet_id: sub.id, ip_address: expect.stringMatching(/^192\.168\.77\./) }]);
      expect(Object.keys(created).filter((k) => k.startsWith('binding:'))).toEqual(['binding:vnic_type']);

      const [bindStatus, bound] = out.bind;
      expect(bindStatus).toBe(200);
      expect(bound).toMatchObject({
        id: created.id,
        device_owner: 'compute:nova',
        'binding:host_id': 'compute1',
        'binding:vif_type': 'bridge',
        'binding:vnic_type': 'normal',
        status: 'DOWN',
        mac_address: created.mac_address,
        fixed_ips: created.fixed_ips,
      });
      expect(bound.revision_number).toBeGreaterThan(created.revision_number);

      expect(out.by_device.map((p: Json) => p.id)).toEqual([created.id]);
      expect(out.nets.map((n: Json) => n.id)).toEqual([net.id]);
      expect(out.subnets.map((n: Json) => n.id)).toEqual([sub.id]);
      // The appliance's DHCP agent serves the network through its port (Nova reads the DHCP server address from it).
      expect(out.dhcp).toHaveLength(1);
      expect(out.dhcp[0]).toMatchObject({ device_owner: 'network:dhcp', network_id: net.id, fixed_ips: [{ subnet_id: sub.id }] });
    });
  });
});

describe.each(DIALECTS)('ports in-process: query count and MAC collisions (%s)', (dialect) => {
  let app: InProcessAppliance;
  beforeAll(async () => {
    app = await startInProcess(dialect);
  });
  afterAll(async () => {
    await app?.close();
  });

  /** A network with `count` ports, each with an address, a group, a tag, an address pair and a DHCP option. */
  const networkWithPorts = async (count: number): Promise<string> => {
    const net = await app.call('POST', 'networks', { body: { network: { name: `n${count}` } } });
    const netId = net.body.network.id;
    const sub = await app.call('POST', 'subnets', { body: { subnet: { network_id: netId, cidr: '10.1.0.0/16', ip_version: 4, enable_dhcp: false } } });
    expect(sub.status).toBe(201); // no DHCP: the list holds exactly the ports made here
    const item = {
      network_id: netId,
      tags: ['t'],
      allowed_address_pairs: [{ ip_address: '10.1.255.1' }],
      extra_dhcp_opts: [{ opt_name: 'tftp-server', opt_value: '10.1.0.2' }],
    };
    const res = await app.call('POST', 'ports', { body: { ports: Array.from({ length: count }, () => item) } });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    return netId;
  };

  const queriesToList = async (netId: string, expected: number): Promise<number> => {
    // The creates' after-commit work (DHCP agent notices, batched per event-loop turn) must not count as the list's.
    await new Promise((r) => setTimeout(r, 50));
    const before = app.db.queryCount;
    const res = await app.call('GET', 'ports', { query: { network_id: netId } });
    const used = app.db.queryCount - before;
    expect(res.body.ports).toHaveLength(expected);
    expect(res.body.ports[0]).toMatchObject({ tags: ['t'], security_groups: [expect.any(String)], fixed_ips: [expect.any(Object)] });
    expect(res.body.ports[0].allowed_address_pairs).toHaveLength(1);
    expect(res.body.ports[0].extra_dhcp_opts).toHaveLength(1);
    return used;
  };

  it('one query for the page plus one batched load per kind of related row', async () => {
    const small = await queriesToList(await networkWithPorts(10), 10);
    const large = await queriesToList(await networkWithPorts(100), 100);
    expect(large).toBe(small);
    // ports, fixed_ips, security groups, address pairs, DHCP options, tags.
    expect(small).toBeLessThanOrEqual(6);
  });

  it('a page after a marker costs the queries the first page does: the page reads the marker row itself', async () => {
    const netId = await networkWithPorts(30);
    await new Promise((r) => setTimeout(r, 50));
    const page = async (query: Record<string, string>) => {
      const before = app.db.queryCount;
      const res = await app.call('GET', 'ports', { query: { network_id: netId, limit: '10', ...query } });
      return { used: app.db.queryCount - before, ids: (res.body.ports as { id: string }[]).map((p) => p.id) };
    };
    const first = await page({});
    const second = await page({ marker: first.ids[9] });
    expect(second.ids).toHaveLength(10);
    expect(second.ids[0] > first.ids[9]).toBe(true);
    expect(second.used).toBe(first.used);
  });

  it('a generated MAC that is already taken on the network is drawn again, not refused', async () => {
    const net = (await app.call('POST', 'networks', { body: { network: { name: 'macs' } } })).body.network;
    const first = await app.call('POST', 'ports', { body: { port: { network_id: net.id, fixed_ips: [] } } });
    const service = app.get(PortsService) as unknown as { nextMac: () => string };
    const draws = [first.body.port.mac_address, first.body.port.mac_address, 'fa:16:3e:12:34:56'];
    const original = service.nextMac;
    service.nextMac = () => draws.shift() ?? original();
    try {
      const second = await app.call('POST', 'ports', { body: { port: { network_id: net.id, fixed_ips: [] } } });
      expect(second.status).toBe(201);
      expect(second.body.port.mac_address).toBe('fa:16:3e:12:34:56');
      expect(draws).toEqual([]);
    } finally {
      service.nextMac = original;
    }
  });
});
