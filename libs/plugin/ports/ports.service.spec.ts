// Ports as clients see them: defaults, MACs, fixed IPs, address pairs, DHCP options, port security with groups,
// binding:* for admins, filters, bulk create, and who may see or touch a port.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthContext } from '../../identity/auth-context.js';
import { errorOf, type Json, member, newProject, useCoreHarness } from '../../../test/support/core-harness.js';

const MAC = /^fa:16:3e(:[0-9a-f]{2}){3}$/;
const MISSING_ID = '5b7d5f0b-2d0c-4a53-9bd4-0c2f3c1f2a11';

describe('ports', () => {
  const h = useCoreHarness('ports_spec');
  /** Admin-owned network 10.0.0.0/24 (pool .10–.200) shared by the tests that only need somewhere to put ports. */
  const s: { net: Json; sub: Json } = { net: undefined, sub: undefined };
  beforeAll(async () => {
    s.net = await h().create('networks', { name: 'ports-net' });
    s.sub = await h().create('subnets', {
      network_id: s.net.id,
      cidr: '10.0.0.0/24',
      ip_version: 4,
      allocation_pools: [{ start: '10.0.0.10', end: '10.0.0.200' }],
    });
  });
  const post = (attrs: Json, auth?: AuthContext) => h().call('POST', 'ports', { body: { port: { network_id: s.net.id, ...attrs } }, auth });
  const put = (id: string, attrs: Json, auth?: AuthContext) => h().call('PUT', `ports/${id}`, { body: { port: attrs }, auth });
  const port = async (attrs: Json = {}, auth?: AuthContext): Promise<Json> => {
    const res = await post(attrs, auth);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.port;
  };

  it('creates a port with a generated MAC, the first free address and the project’s default group', async () => {
    const project = newProject();
    const auth = member(project);
    const net = await h().create('networks', {}, auth);
    const sub = await h().create('subnets', { network_id: net.id, cidr: '192.168.5.0/24', ip_version: 4 }, auth);
    const p = (await h().call('POST', 'ports', { body: { port: { network_id: net.id } }, auth })).body.port;
    const groups = (await h().call('GET', 'security-groups', { query: { project_id: project, name: 'default' }, auth })).body.security_groups;
    expect(p).toMatchObject({
      name: '',
      status: 'DOWN',
      admin_state_up: true,
      device_id: '',
      device_owner: '',
      fixed_ips: [{ subnet_id: sub.id, ip_address: '192.168.5.2' }],
      security_groups: [groups[0].id],
      port_security_enabled: true,
      allowed_address_pairs: [],
      extra_dhcp_opts: [],
      project_id: project,
    });
    expect(p.mac_address).toMatch(MAC);
    // A member sees only binding:vnic_type of the binding attributes.
    expect(Object.keys(p).filter((k) => k.startsWith('binding:'))).toEqual(['binding:vnic_type']);
  });

  describe('MAC addresses', () => {
    it('stores a given MAC in lower case and refuses it again on the same network only', async () => {
      const [net, other] = [await h().create('networks', {}), await h().create('networks', {})];
      const create = (networkId: string, mac: string) => h().call('POST', 'ports', { body: { port: { network_id: networkId, mac_address: mac } } });
      expect((await create(net.id, 'FA:16:3E:00:00:01')).body.port.mac_address).toBe('fa:16:3e:00:00:01');
      expect(errorOf(await create(net.id, 'fa-16-3e-00-00-01'))).toEqual([
        409,
        'MacAddressInUse',
        `Unable to complete operation for network ${net.id}. The mac address fa:16:3e:00:00:01 is in use.`,
      ]);
      expect((await create(other.id, 'fa:16:3e:00:00:01')).status).toBe(201);
    });

    it('refuses a MAC that is not a unicast address', async () => {
      expect(errorOf(await post({ mac_address: 'ff:ff:ff:ff:ff:ff' }))).toEqual([
        400,
        'HTTPBadRequest',
        "Invalid input for mac_address. Reason: 'ff:ff:ff:ff:ff:ff' is not a valid MAC address.",
      ]);
    });

    it('draws a fresh MAC for every port, and again when an admin sets it to null', async () => {
      const macs = new Set<string>();
      for (let i = 0; i < 5; i++) macs.add((await port({ fixed_ips: [] })).mac_address);
      expect(macs.size).toBe(5);
      const p = await port({ mac_address: 'fa:16:3e:aa:00:01', fixed_ips: [] });
      const regenerated = (await put(p.id, { mac_address: null })).body.port.mac_address;
      expect(regenerated).toMatch(MAC);
      expect(regenerated).not.toBe('fa:16:3e:aa:00:01');
    });
  });

  describe('fixed IPs', () => {
    it('gives the address asked for, and refuses one outside the subnet or already taken', async () => {
      const p = await port({ fixed_ips: [{ ip_address: '10.0.0.50' }] });
      expect(p.fixed_ips).toEqual([{ subnet_id: s.sub.id, ip_address: '10.0.0.50' }]);
      expect(errorOf(await post({ fixed_ips: [{ subnet_id: s.sub.id, ip_address: '10.9.0.5' }] }))).toEqual([
        400,
        'InvalidIpForSubnet',
        'IP address 10.9.0.5 is not a valid IP for the specified subnet.',
      ]);
      expect(errorOf(await post({ fixed_ips: [{ ip_address: '10.0.0.50' }] }))).toEqual([
        409,
        'IpAddressAlreadyAllocated',
        `IP address 10.0.0.50 already allocated in subnet ${s.sub.id}`,
      ]);
    });

    it('moves to a new address on update and frees the old one', async () => {
      const p = await port({ fixed_ips: [{ ip_address: '10.0.0.60' }] });
      const moved = await put(p.id, { fixed_ips: [{ ip_address: '10.0.0.61' }] });
      expect(moved.body.port.fixed_ips).toEqual([{ subnet_id: s.sub.id, ip_address: '10.0.0.61' }]);
      expect(moved.body.port.revision_number).toBeGreaterThan(p.revision_number);
      expect((await port({ fixed_ips: [{ ip_address: '10.0.0.60' }] })).fixed_ips).toEqual([{ subnet_id: s.sub.id, ip_address: '10.0.0.60' }]);
    });

    it('filters on fixed_ips by address, substring and subnet', async () => {
      const name = `filtered-${newProject()}`;
      await port({ name, fixed_ips: [{ ip_address: '10.0.0.150' }], device_id: name });
      const names = async (fixedIps: string[]) =>
        (await h().call('GET', 'ports', { query: { fixed_ips: fixedIps, device_id: name } })).body.ports.map((p: Json) => p.name);
      expect(await names(['ip_address=10.0.0.150'])).toEqual([name]);
      expect(await names(['ip_address_substr=0.0.15'])).toEqual([name]);
      expect(await names([`subnet_id=${s.sub.id}`, 'ip_address=10.0.0.151'])).toEqual([]);
      expect(errorOf(await h().call('GET', 'ports', { query: { fixed_ips: '10.0.0.150' } }))).toEqual([
        400,
        'InvalidInput',
        "Invalid input for operation: '10.0.0.150' is not of the form <key>=[value].",
      ]);
    });
  });

  describe('extensions on ports', () => {
    it('allowed_address_pairs take the port’s MAC unless given one', async () => {
      const p = await port({ mac_address: 'fa:16:3e:bb:00:01', fixed_ips: [] });
      const updated = await put(p.id, { allowed_address_pairs: [{ ip_address: '10.0.0.99' }, { ip_address: '10.0.1.0/24', mac_address: 'fa:16:3e:bb:00:02' }] });
      expect(updated.body.port.allowed_address_pairs).toEqual([
        { ip_address: '10.0.0.99', mac_address: 'fa:16:3e:bb:00:01' },
        { ip_address: '10.0.1.0/24', mac_address: 'fa:16:3e:bb:00:02' },
      ]);
    });

    it('extra_dhcp_opts default to IPv4, merge by (opt_name, ip_version) and go with null', async () => {
      const p = await port({ fixed_ips: [], extra_dhcp_opts: [{ opt_name: 'bootfile-name', opt_value: 'pxelinux.0' }, { opt_name: 'tftp-server', opt_value: '10.0.0.5' }] });
      expect(p.extra_dhcp_opts).toEqual([
        { opt_name: 'bootfile-name', opt_value: 'pxelinux.0', ip_version: 4 },
        { opt_name: 'tftp-server', opt_value: '10.0.0.5', ip_version: 4 },
      ]);
      await put(p.id, {
        extra_dhcp_opts: [
          { opt_name: 'bootfile-name', opt_value: null },
          { opt_name: 'tftp-server', opt_value: '10.0.0.6' },
          { opt_name: 'tftp-server', opt_value: '2001:db8::6', ip_version: 6 },
        ],
      });
      expect((await h().call('GET', `ports/${p.id}`)).body.port.extra_dhcp_opts).toEqual([
        { opt_name: 'tftp-server', opt_value: '10.0.0.6', ip_version: 4 },
        { opt_name: 'tftp-server', opt_value: '2001:db8::6', ip_version: 6 },
      ]);
    });

    it('port security: no groups or address pairs without it, and an unknown group is not found', async () => {
      const web = await h().create('security-groups', { name: 'web' });
      const p = await port({ fixed_ips: [], security_groups: [web.id] });
      expect(p.security_groups).toEqual([web.id]);
      expect(errorOf(await put(p.id, { port_security_enabled: false }))).toEqual([
        409,
        'PortSecurityPortHasSecurityGroup',
        'Port has security group associated. Cannot disable port security or IP address until security group is removed.',
      ]);
      const off = await put(p.id, { port_security_enabled: false, security_groups: [] });
      expect(off.body.port).toMatchObject({ port_security_enabled: false, security_groups: [] });
      expect(errorOf(await put(p.id, { allowed_address_pairs: [{ ip_address: '10.0.0.7' }] }))).toEqual([
        409,
        'AddressPairAndPortSecurityRequired',
        'Port Security must be enabled in order to have allowed address pairs on a port.',
      ]);
      expect(errorOf(await post({ port_security_enabled: false, security_groups: [web.id] }))).toEqual([
        400,
        'PortSecurityAndIPRequiredForSecurityGroups',
        'Port security must be enabled and port must have an IP address in order to use security groups.',
      ]);
      expect((await port({ port_security_enabled: false, fixed_ips: [] })).security_groups).toEqual([]);
      expect(errorOf(await post({ security_groups: [MISSING_ID] }))).toEqual([404, 'SecurityGroupNotFound', `Security group ${MISSING_ID} does not exist`]);
    });

    it('a DHCP port has no port security and no groups', async () => {
      expect(await port({ device_owner: 'network:dhcp', fixed_ips: [] })).toMatchObject({ port_security_enabled: false, security_groups: [] });
    });

    it('binding:* is set and shown for admins only; a host without an agent fails to bind', async () => {
      const project = newProject();
      const auth = member(project);
      const net = await h().create('networks', {}, auth);
      const denied = await h().call('POST', 'ports', { body: { port: { network_id: net.id, 'binding:host_id': 'h1' } }, auth });
      expect(errorOf(denied)).toEqual([403, 'PolicyNotAuthorized', '(rule:create_port and rule:create_port:binding:host_id) is disallowed by policy']);
      const bound = await h().create('ports', { network_id: net.id, project_id: project, 'binding:host_id': 'h1' });
      expect(bound).toMatchObject({
        'binding:host_id': 'h1',
        'binding:vif_type': 'binding_failed',
        'binding:vnic_type': 'normal',
        'binding:vif_details': {},
        'binding:profile': {},
      });
      const seen = (await h().call('GET', `ports/${bound.id}`, { auth })).body.port;
      expect(Object.keys(seen).filter((k) => k.startsWith('binding:'))).toEqual(['binding:vnic_type']);
      const filtered = await h().call('GET', 'ports', { query: { 'binding:host_id': 'h1', network_id: net.id } });
      expect(filtered.body.ports.map((p: Json) => p.id)).toEqual([bound.id]);
    });
  });

  describe('who may do what', () => {
    it('the port’s project and the network’s owner see it; others get PortNotFound', async () => {
      const owner = newProject();
      const tenant = newProject();
      const net = await h().create('networks', {}, member(owner));
      const p = await h().create('ports', { network_id: net.id, project_id: tenant });
      expect((await h().call('GET', `ports/${p.id}`, { auth: member(tenant) })).status).toBe(200);
      expect((await h().call('GET', 'ports', { query: { network_id: net.id }, auth: member(owner) })).body.ports.map((x: Json) => x.id)).toEqual([p.id]);
      expect(errorOf(await h().call('GET', `ports/${p.id}`, { auth: member(newProject()) }))).toEqual([404, 'PortNotFound', `Port ${p.id} could not be found.`]);
      expect((await h().call('DELETE', `ports/${p.id}`, { auth: member(owner) })).status).toBe(204);
    });

    it('a private network of another project is not found, an external one is forbidden, a shared one is open', async () => {
      const project = newProject();
      const auth = member(project);
      expect(errorOf(await post({}, auth))).toEqual([404, 'NetworkNotFound', `Network ${s.net.id} could not be found.`]);
      const ext = await h().create('networks', { 'router:external': true });
      const onExt = await h().call('POST', 'ports', { body: { port: { network_id: ext.id } }, auth });
      expect(errorOf(onExt)).toEqual([403, 'HTTPForbidden', `Tenant ${project} not allowed to create port on this network`]);
      const shared = await h().create('networks', { shared: true });
      const onShared = await h().call('POST', 'ports', { body: { port: { network_id: shared.id } }, auth });
      expect(onShared.body.port.project_id).toBe(project);
      const withMac = await h().call('POST', 'ports', { body: { port: { network_id: shared.id, mac_address: 'fa:16:3e:aa:bb:cc' } }, auth });
      expect(errorOf(withMac)).toEqual([403, 'PolicyNotAuthorized', '(rule:create_port and rule:create_port:mac_address) is disallowed by policy']);
    });
  });

  it('bulk create is all or nothing', async () => {
    const name = `bulk-${newProject()}`;
    const ok = await h().call('POST', 'ports', { body: { ports: [{ network_id: s.net.id, name, tags: ['b', 'a'] }, { network_id: s.net.id, name }] } });
    expect(ok.status).toBe(201);
    expect(ok.body.ports.map((p: Json) => p.tags)).toEqual([['a', 'b'], []]);
    const [a, b] = ok.body.ports.map((p: Json) => p.fixed_ips[0].ip_address);
    expect(a).not.toBe(b);
    const failed = await h().call('POST', 'ports', { body: { ports: [{ network_id: s.net.id, name: `${name}-x` }, { network_id: MISSING_ID, name: `${name}-x` }] } });
    expect(errorOf(failed)).toEqual([404, 'NetworkNotFound', `Network ${MISSING_ID} could not be found.`]);
    expect((await h().call('GET', 'ports', { query: { name: `${name}-x` } })).body.ports).toEqual([]);
  });
});
