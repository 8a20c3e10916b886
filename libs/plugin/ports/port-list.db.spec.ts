// A list reads its page as array rows and builds each dict in one go; a show reads one row as an object and loads
// every fragment on its own. Both must give the client the same port, byte for byte, on either database.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Json, member, newProject, useCoreHarness } from '../../../test/support/core-harness.js';
import { SPEC_DIALECTS } from '../../db/testing/scratch-database.js';

describe.each(SPEC_DIALECTS)('port and network lists give what show gives (%s)', (dialect) => {
  const h = useCoreHarness('port_list_spec', [], dialect);
  const owner = newProject();
  const s: { net: Json; ids: string[] } = { net: undefined, ids: [] };

  beforeAll(async () => {
    s.net = await h().create('networks', { name: 'list-net' });
    const v4 = await h().create('subnets', { network_id: s.net.id, cidr: '10.9.0.0/24', ip_version: 4 });
    await h().create('subnets', { network_id: s.net.id, cidr: 'fd09::/64', ip_version: 6 });
    const group = await h().create('security-groups', { name: 'list-sg' });
    const ports: Json[] = [
      { name: 'plain' },
      { name: 'dressed', description: 'd', security_groups: [group.id], allowed_address_pairs: [{ ip_address: '10.9.0.200' }], tags: ['b', 'a'] },
      { name: 'dhcp-opts', extra_dhcp_opts: [{ opt_name: 'mtu', opt_value: '1400' }], fixed_ips: [{ subnet_id: v4.id, ip_address: '10.9.0.77' }] },
      { name: 'no-security', port_security_enabled: false, security_groups: [], admin_state_up: false },
      { name: 'bound', 'binding:host_id': 'host-without-agent', 'binding:profile': { a: 1 }, device_owner: 'compute:nova', device_id: 'vm' },
      { name: 'addressless', fixed_ips: [] },
      { name: 'theirs', project_id: owner },
    ];
    for (const attrs of ports) s.ids.push((await h().create('ports', { network_id: s.net.id, ...attrs })).id);
  });

  const show = async (collection: string, id: string, query: Json = {}, auth = undefined as ReturnType<typeof member> | undefined) => {
    const res = await h().call('GET', `${collection}/${id}`, { query, auth });
    expect(res.status).toBe(200);
    return res.body[collection.slice(0, -1)];
  };

  it('every port of a list is its show, keys in the same order, as admin and as a member', async () => {
    for (const auth of [undefined, member(owner)]) {
      const listed: Json[] = (await h().call('GET', 'ports', { query: { network_id: s.net.id }, auth })).body.ports;
      expect(listed.length).toBe(auth ? 1 : s.ids.length);
      for (const port of listed) expect(JSON.stringify(port)).toBe(JSON.stringify(await show('ports', port.id, {}, auth)));
    }
    const dressed: Json[] = (await h().call('GET', 'ports', { query: { name: 'dressed' } })).body.ports;
    expect(dressed[0]).toMatchObject({ tags: ['a', 'b'], allowed_address_pairs: [{ ip_address: '10.9.0.200' }] });
    expect(dressed[0].fixed_ips).toHaveLength(2);
  });

  it('with fields=, sorted and paged, a list still shows what show shows', async () => {
    const fields = ['id', 'fixed_ips', 'binding:profile', 'port_security_enabled', 'tags', 'tenant_id'];
    const query = { network_id: s.net.id, fields, sort_key: 'name', sort_dir: 'desc', limit: '3' };
    const page: Json[] = (await h().call('GET', 'ports', { query })).body.ports;
    expect(page.map((p) => p.id)).toHaveLength(3);
    for (const port of page) expect(JSON.stringify(port)).toBe(JSON.stringify(await show('ports', port.id, { fields })));
  });

  it('every network of a list is its show', async () => {
    const listed: Json[] = (await h().call('GET', 'networks', {})).body.networks;
    expect(listed.length).toBeGreaterThan(0);
    for (const net of listed) expect(JSON.stringify(net)).toBe(JSON.stringify(await show('networks', net.id)));
    expect(listed.find((n) => n.id === s.net.id)?.subnets).toHaveLength(2);
  });
});
