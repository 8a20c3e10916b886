// Floating IPs as clients see them: an address of the external network held by a network:floatingip port, the
// association through a router, Neutron's refusals, port_details, pools, and what deleting a port or network does.
import { describe, expect, it } from 'vitest';
import { errorOf, type Json, member, newProject, useCoreHarness } from '../../../test/support/core-harness.js';

const badFip = (msg: string) => [400, 'BadRequest', `Bad floatingip request: ${msg}.`];

describe('floating IPs', () => {
  const h = useCoreHarness('floatingips_spec');

  /** An external network, a project's network with a subnet and a port, and (unless told) a router joining them. */
  const setup = async (withRouter = true) => {
    const ext = await h().create('networks', { 'router:external': true });
    const extSubnet = await h().create('subnets', { network_id: ext.id, ip_version: 4, cidr: '172.24.4.0/24' });
    const auth = member(newProject());
    const net = await h().create('networks', {}, auth);
    const subnet = await h().create('subnets', { network_id: net.id, ip_version: 4, cidr: '10.0.0.0/24' }, auth);
    const port = await h().create('ports', { network_id: net.id, device_owner: 'compute:nova', device_id: 'vm-1' }, auth);
    let router: Json;
    if (withRouter) {
      router = await h().create('routers', { external_gateway_info: { network_id: ext.id } }, auth);
      await h().call('PUT', `routers/${router.id}/add_router_interface`, { body: { subnet_id: subnet.id }, auth });
    }
    const post = (attrs: Json) => h().call('POST', 'floatingips', { body: { floatingip: { floating_network_id: ext.id, ...attrs } }, auth });
    return { ext, extSubnet, auth, net, subnet, port, router: router!, post };
  };

  it('allocates an address of the external network, DOWN until an agent reports it, and associates it', async () => {
    const { ext, auth, port, router, post } = await setup();
    const res = await post({ port_id: port.id });
    expect(res.status).toBe(201);
    const fip = res.body.floatingip;
    expect(fip).toMatchObject({
      floating_network_id: ext.id,
      floating_ip_address: expect.stringMatching(/^172\.24\.4\./),
      port_id: port.id,
      fixed_ip_address: port.fixed_ips[0].ip_address,
      router_id: router.id,
      status: 'DOWN',
      project_id: auth.project_id,
      description: '',
      tags: [],
      port_details: {
        name: '',
        network_id: port.network_id,
        mac_address: port.mac_address,
        admin_state_up: true,
        status: 'DOWN',
        device_id: 'vm-1',
        device_owner: 'compute:nova',
      },
    });
    expect(fip).not.toHaveProperty('subnet_id');
    const held = await h().call('GET', 'ports', { query: { device_id: fip.id } });
    expect(held.body.ports[0]).toMatchObject({ device_owner: 'network:floatingip', project_id: '', network_id: ext.id });

    // One floating IP per fixed address and external network.
    const again = await post({ port_id: port.id });
    expect(errorOf(again)[0]).toBe(409);
    expect(errorOf(again)[1]).toBe('FloatingIPPortAlreadyAssociated');

    // An update that does not name port_id keeps the association.
    const described = await h().call('PUT', `floatingips/${fip.id}`, { body: { floatingip: { description: 'd2' } }, auth });
    expect(described.body.floatingip).toMatchObject({ description: 'd2', port_id: port.id, router_id: router.id });

    const blank = await h().call('PUT', `floatingips/${fip.id}`, { body: { floatingip: {} }, auth });
    expect(blank.body.floatingip).toMatchObject({ port_id: null, router_id: null });
    await h().call('PUT', `floatingips/${fip.id}`, { body: { floatingip: { port_id: port.id } }, auth });

    // Dissociate (port_id null), associate again, then delete the port: the floating IP stays, unassociated.
    const freed = await h().call('PUT', `floatingips/${fip.id}`, { body: { floatingip: { port_id: null } }, auth });
    expect(freed.body.floatingip).toMatchObject({ port_id: null, fixed_ip_address: null, router_id: null, port_details: null });
    await h().call('PUT', `floatingips/${fip.id}`, { body: { floatingip: { port_id: port.id } }, auth });
    expect((await h().call('DELETE', `ports/${port.id}`, { auth })).status).toBe(204);
    const after = await h().call('GET', `floatingips/${fip.id}`, { auth });
    expect(after.body.floatingip).toMatchObject({ port_id: null, fixed_ip_address: null, router_id: null });

    // Its port is not deleted through the port API; deleting the floating IP takes it.
    const fipPort = held.body.ports[0].id;
    expect(errorOf(await h().call('DELETE', `ports/${fipPort}`))[1]).toBe('ServicePortInUse');
    expect((await h().call('DELETE', `floatingips/${fip.id}`, { auth })).status).toBe(204);
    expect((await h().call('GET', `ports/${fipPort}`)).status).toBe(404);
  });

  it('needs a router between the port and the external network', async () => {
    const { ext, subnet, port, post } = await setup(false);
    expect(errorOf(await post({ port_id: port.id }))).toEqual([
      404,
      'ExternalGatewayForFloatingIPNotFound',
      `External network ${ext.id} is not reachable from subnet ${subnet.id}.  Therefore, cannot associate Port ${port.id} with a Floating IP.`,
    ]);
  });

  it('chooses among a port’s addresses with fixed_ip_address', async () => {
    const { net, subnet, auth, post } = await setup();
    const port = await h().create(
      'ports',
      { network_id: net.id, fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.0.0.20' }, { subnet_id: subnet.id, ip_address: '10.0.0.21' }] },
      auth,
    );
    expect(errorOf(await post({ port_id: port.id }))).toEqual(
      badFip(`Port ${port.id} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP`),
    );
    expect(errorOf(await post({ port_id: port.id, fixed_ip_address: '10.0.0.99' }))).toEqual(badFip(`Port ${port.id} does not have fixed ip 10.0.0.99`));
    expect(errorOf(await post({ fixed_ip_address: '10.0.0.21' }))).toEqual(badFip('fixed_ip_address cannot be specified without a port_id'));
    const res = await post({ port_id: port.id, fixed_ip_address: '10.0.0.21' });
    expect(res.body.floatingip).toMatchObject({ fixed_ip_address: '10.0.0.21', port_id: port.id });
    // The interface the floating IP goes through stays while it does.
    const router = res.body.floatingip.router_id;
    const remove = await h().call('PUT', `routers/${router}/remove_router_interface`, { body: { subnet_id: subnet.id }, auth });
    expect(errorOf(remove)[1]).toBe('RouterInterfaceInUseByFloatingIP');
    const gw = await h().call('PUT', `routers/${router}`, { body: { router: { external_gateway_info: null } }, auth });
    expect(errorOf(gw)[1]).toBe('RouterExternalGatewayInUseByFloatingIp');
  });

  it('refuses a network that is not external, and a given address for a member (policy)', async () => {
    const { net, auth, extSubnet, post } = await setup(false);
    const res = await h().call('POST', 'floatingips', { body: { floatingip: { floating_network_id: net.id } }, auth });
    expect(errorOf(res)).toEqual(badFip(`Network ${net.id} is not a valid external network`));
    expect(errorOf(await post({ floating_ip_address: '172.24.4.77' }))[0]).toBe(403);
    const admin = await h().call('POST', 'floatingips', {
      body: { floatingip: { floating_network_id: extSubnet.network_id, floating_ip_address: '172.24.4.77', project_id: auth.project_id } },
    });
    expect(admin.body.floatingip.floating_ip_address).toBe('172.24.4.77');
  });

  it('lists the pools and lets an external network go with its unassociated floating IPs', async () => {
    const { ext, extSubnet, post } = await setup(false);
    const pools = await h().call('GET', 'floatingip-pools');
    expect(pools.body.floatingip_pools).toContainEqual(
      expect.objectContaining({ subnet_id: extSubnet.id, network_id: ext.id, cidr: '172.24.4.0/24', subnet_name: '' }),
    );
    const fip = (await post({})).body.floatingip;
    expect((await h().call('DELETE', `networks/${ext.id}`)).status).toBe(204);
    expect((await h().call('GET', `floatingips/${fip.id}`)).status).toBe(404);
  });

  it('counts floating IPs against the floatingip quota', async () => {
    const { auth, post } = await setup(false);
    await h().call('PUT', `quotas/${auth.project_id}`, { body: { quota: { floatingip: 1 } } });
    expect((await post({})).status).toBe(201);
    expect(errorOf(await post({}))[1]).toBe('OverQuota');
  });
});
