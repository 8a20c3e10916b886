// Port forwardings of a floating IP (/floatingips/{id}/port_forwardings), as clients see them: the floating IP takes
// the router, shows its forwardings, and is then neither associated with a port nor deleted; Neutron's refusals.
import { describe, expect, it } from 'vitest';
import { errorOf, type Json, member, newProject, useCoreHarness } from '../../../test/support/core-harness.js';

const badPf = (msg: string) => [400, 'BadRequest', `Bad port_forwarding request: ${msg}.`];

describe('port forwardings', () => {
  const h = useCoreHarness('port_forwardings_spec');

  const setup = async () => {
    const ext = await h().create('networks', { 'router:external': true });
    await h().create('subnets', { network_id: ext.id, ip_version: 4, cidr: '172.24.4.0/24' });
    const auth = member(newProject());
    const net = await h().create('networks', {}, auth);
    const subnet = await h().create('subnets', { network_id: net.id, ip_version: 4, cidr: '10.0.0.0/24' }, auth);
    const port = await h().create('ports', { network_id: net.id }, auth);
    const router = await h().create('routers', { external_gateway_info: { network_id: ext.id } }, auth);
    await h().call('PUT', `routers/${router.id}/add_router_interface`, { body: { subnet_id: subnet.id }, auth });
    const fip = await h().create('floatingips', { floating_network_id: ext.id }, auth);
    const pfs = `floatingips/${fip.id}/port_forwardings`;
    const post = (attrs: Json) =>
      h().call('POST', pfs, {
        body: { port_forwarding: { internal_port_id: port.id, internal_ip_address: port.fixed_ips[0].ip_address, protocol: 'tcp', ...attrs } },
        auth,
      });
    return { ext, auth, net, subnet, port, router, fip, pfs, post };
  };

  it('forwards a port, gives the floating IP the router and shows the forwarding on it', async () => {
    const { auth, port, router, fip, pfs, post } = await setup();
    const res = await post({ internal_port: 22, external_port: 2222, description: 'ssh' });
    expect(res.status).toBe(201);
    const pf = res.body.port_forwarding;
    expect(pf).toEqual({
      id: expect.any(String),
      external_port: 2222,
      internal_port: 22,
      external_port_range: '2222:2222',
      internal_port_range: '22:22',
      internal_ip_address: port.fixed_ips[0].ip_address,
      protocol: 'tcp',
      internal_port_id: port.id,
      description: 'ssh',
    });
    const shown = (await h().call('GET', `floatingips/${fip.id}`, { auth })).body.floatingip;
    expect(shown).toMatchObject({ router_id: router.id, port_id: null });
    expect(shown.port_forwardings).toEqual([
      { id: pf.id, internal_ip_address: pf.internal_ip_address, protocol: 'tcp', internal_port: 22, external_port: 2222, internal_port_id: port.id },
    ]);
    expect((await h().call('GET', pfs, { auth })).body.port_forwardings).toEqual([pf]);

    // The same external port and protocol again collides; another protocol does not.
    expect(errorOf(await post({ internal_port: 23, external_port: 2222 }))).toEqual(
      badPf('There is a port collision with the external_port_range. The following ranges collides: 2222:2222 and 2222:2222'),
    );
    expect((await post({ internal_port: 22, external_port: 2222, protocol: 'udp' })).status).toBe(201);

    // A floating IP forwarding ports is neither associated with a port nor deleted.
    const assoc = await h().call('PUT', `floatingips/${fip.id}`, { body: { floatingip: { port_id: port.id } }, auth });
    expect(errorOf(assoc)).toEqual([409, 'FipInUseByPortForwarding', `Floating IP ${fip.id} in use by Port Forwarding resources.`]);
    expect(errorOf(await h().call('DELETE', `floatingips/${fip.id}`, { auth }))[1]).toBe('FipInUseByPortForwarding');

    const updated = await h().call('PUT', `${pfs}/${pf.id}`, { body: { port_forwarding: { external_port: 2200 } }, auth });
    expect(updated.body.port_forwarding).toMatchObject({ external_port: 2200, internal_port: 22 });
    for (const item of (await h().call('GET', pfs, { auth })).body.port_forwardings) {
      expect((await h().call('DELETE', `${pfs}/${item.id}`, { auth })).status).toBe(204);
    }
    expect((await h().call('GET', `floatingips/${fip.id}`, { auth })).body.floatingip).toMatchObject({ router_id: null, port_forwardings: [] });
    expect(errorOf(await h().call('GET', `${pfs}/${pf.id}`, { auth }))).toEqual([404, 'PortForwardingNotFound', `Port Forwarding ${pf.id} could not be found.`]);
  });

  it('forwards port ranges N-N and 1-N, refusing overlaps and other relations (floating-ip-port-forwarding-port-ranges)', async () => {
    const { auth, fip, pfs, post } = await setup();
    const nn = await post({ external_port_range: '2000:2010', internal_port_range: '3000:3010' });
    expect(nn.status).toBe(201);
    expect(nn.body.port_forwarding).toMatchObject({ external_port: null, internal_port: null, external_port_range: '2000:2010', internal_port_range: '3000:3010' });
    // 1-N: a range of external ports to one internal port; the single port wins over a range given beside it.
    const oneN = await post({ external_port_range: '4000:4005', internal_port: 80, internal_port_range: '1:9' });
    expect(oneN.status).toBe(201);
    expect(oneN.body.port_forwarding).toMatchObject({ internal_port: 80, internal_port_range: '80:80', external_port_range: '4000:4005' });

    expect(errorOf(await post({ external_port: 2005, internal_port: 22 }))).toEqual(
      badPf('There is a port collision with the external_port_range. The following ranges collides: 2000:2010 and 2005:2005'),
    );
    expect(errorOf(await post({ external_port_range: '5000:5001', internal_port_range: '3010:3011' }))).toEqual(
      badPf('There is a port collision with the internal_port_range. The following ranges collides: 3000:3010 and 3010:3011'),
    );
    const relation = 'Invalid ranges of internal and/or external ports. The relation between internal and external ports must be N-N or 1-N';
    expect(errorOf(await post({ external_port_range: '6000:6002', internal_port_range: '7000:7005' }))).toEqual(badPf(relation));
    expect(errorOf(await post({ external_port: 6000, internal_port_range: '7000:7005' }))).toEqual(badPf(relation));
    expect(errorOf(await post({ external_port_range: '6002:6000', internal_port: 1 }))).toEqual([
      400,
      'HTTPBadRequest',
      "Invalid input for external_port_range. Reason: First port in a port range must be lower than the second port.",
    ]);
    expect(errorOf(await post({ internal_port: 22 }))).toEqual(badPf('external_port or external_port_range must be given'));

    // An update moves a whole range; the floating IP shows range forwardings without single ports.
    const moved = await h().call('PUT', `${pfs}/${nn.body.port_forwarding.id}`, {
      body: { port_forwarding: { external_port_range: '2100:2110' } },
      auth,
    });
    expect(moved.body.port_forwarding).toMatchObject({ external_port_range: '2100:2110', internal_port_range: '3000:3010' });
    const shown = (await h().call('GET', `floatingips/${fip.id}`, { auth })).body.floatingip.port_forwardings;
    expect(shown.find((p: Json) => p.id === nn.body.port_forwarding.id)).not.toHaveProperty('external_port');
  });

  it('validates protocol, ports and the internal address', async () => {
    const { port, post } = await setup();
    expect(errorOf(await post({ internal_port: 22, external_port: 70000 }))[0]).toBe(400);
    expect(errorOf(await post({ internal_port: 22, external_port: 22, protocol: 'gre' }))[0]).toBe(400);
    expect(errorOf(await post({ internal_port: 22, external_port: 22, internal_ip_address: '10.0.0.250' }))).toEqual(
      badPf(
        `Requested internal IP address 10.0.0.250 is not suitable for internal neutron port ${port.id}, as its fixed_ips are ` +
          `[{'subnet_id': '${port.fixed_ips[0].subnet_id}', 'ip_address': '${port.fixed_ips[0].ip_address}'}]`,
      ),
    );
  });

  it('refuses a port that has a floating IP, and a floating IP associated with a port', async () => {
    const { ext, auth, port, fip, post } = await setup();
    const other = await h().create('floatingips', { floating_network_id: ext.id, port_id: port.id }, auth);
    expect(errorOf(await post({ internal_port: 22, external_port: 22 }))[1]).toBe('PortHasBindingFloatingIP');
    const res = await h().call('POST', `floatingips/${other.id}/port_forwardings`, {
      body: { port_forwarding: { internal_port_id: port.id, internal_ip_address: port.fixed_ips[0].ip_address, protocol: 'tcp', internal_port: 22, external_port: 22 } },
      auth,
    });
    expect(errorOf(res)[1]).toBe('PortHasBindingFloatingIP');
    expect(fip.port_forwardings).toEqual([]);
  });
});
