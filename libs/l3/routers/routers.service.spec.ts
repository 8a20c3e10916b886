// Routers as clients see them: defaults, the gateway port, interfaces by subnet and by port, extra routes, and
// Neutron's errors for each refusal, including the core resources' reactions (port, subnet, network deletes).
import { describe, expect, it } from 'vitest';
import { errorOf, type Json, member, newProject, useCoreHarness } from '../../../test/support/core-harness.js';

const badRouter = (msg: string) => [400, 'BadRequest', `Bad router request: ${msg}.`];

describe('routers', () => {
  const h = useCoreHarness('routers_spec');

  /** An external network with an IPv4 subnet (admin), and a project with a network, a subnet and a router. */
  const setup = async (cidr = '10.0.0.0/24') => {
    const ext = await h().create('networks', { 'router:external': true });
    const extSubnet = await h().create('subnets', { network_id: ext.id, ip_version: 4, cidr: '172.24.4.0/24' });
    const auth = member(newProject());
    const net = await h().create('networks', {}, auth);
    const subnet = await h().create('subnets', { network_id: net.id, ip_version: 4, cidr }, auth);
    const router = await h().create('routers', { name: 'r1' }, auth);
    const action = (name: string, body: Json, as = auth) => h().call('PUT', `routers/${router.id}/${name}`, { body, auth: as });
    return { ext, extSubnet, auth, net, subnet, router, action };
  };

  it('creates a router with Neutron defaults', async () => {
    const { router, auth } = await setup();
    expect(router).toMatchObject({
      name: 'r1',
      status: 'ACTIVE',
      admin_state_up: true,
      external_gateway_info: null,
      routes: [],
      availability_zone_hints: [],
      availability_zones: [],
      flavor_id: null,
      description: '',
      tags: [],
      project_id: auth.project_id,
      tenant_id: auth.project_id,
      revision_number: 1,
    });
    const list = await h().call('GET', 'routers', { auth });
    expect(list.body.routers.map((r: Json) => r.id)).toEqual([router.id]);
  });

  it('sets a gateway: a network:router_gateway port of no project with an address of the external subnet', async () => {
    const { ext, extSubnet, router, auth } = await setup();
    const res = await h().call('PUT', `routers/${router.id}`, { body: { router: { external_gateway_info: { network_id: ext.id } } }, auth });
    expect(res.status).toBe(200);
    const gw = res.body.router.external_gateway_info;
    expect(gw).toMatchObject({ network_id: ext.id, enable_snat: true });
    expect(gw.external_fixed_ips).toEqual([{ subnet_id: extSubnet.id, ip_address: expect.stringMatching(/^172\.24\.4\./) }]);
    const ports = await h().call('GET', 'ports', { query: { device_id: router.id } });
    expect(ports.body.ports).toHaveLength(1);
    expect(ports.body.ports[0]).toMatchObject({ device_owner: 'network:router_gateway', project_id: '', network_id: ext.id });

    // enable_snat is the admin's (policy), the admin may set it.
    const snat = await h().call('PUT', `routers/${router.id}`, { body: { router: { external_gateway_info: { network_id: ext.id, enable_snat: false } } }, auth });
    expect(errorOf(snat)).toEqual([
      403,
      'PolicyNotAuthorized',
      '(rule:update_router and (rule:update_router:external_gateway_info and (rule:update_router:external_gateway_info:network_id and ' +
        'rule:update_router:external_gateway_info:enable_snat))) is disallowed by policy',
    ]);
    const admin = await h().call('PUT', `routers/${router.id}`, { body: { router: { external_gateway_info: { network_id: ext.id, enable_snat: false } } } });
    expect(admin.body.router.external_gateway_info).toMatchObject({ enable_snat: false, external_fixed_ips: gw.external_fixed_ips });

    // The gateway port is the router's: not deleted through the port API; the external network is in use.
    const portId = ports.body.ports[0].id;
    expect(errorOf(await h().call('DELETE', `ports/${portId}`))).toEqual([
      409,
      'ServicePortInUse',
      `Port ${portId} cannot be deleted directly via the port API: has device owner network:router_gateway.`,
    ]);
    expect((await h().call('DELETE', `networks/${ext.id}`)).status).toBe(409);

    const cleared = await h().call('PUT', `routers/${router.id}`, { body: { router: { external_gateway_info: {} } }, auth });
    expect(cleared.body.router.external_gateway_info).toBeNull();
    expect((await h().call('GET', 'ports', { query: { device_id: router.id } })).body.ports).toEqual([]);
  });

  it('refuses a gateway on a network that is not external', async () => {
    const { net, router, auth } = await setup();
    const res = await h().call('PUT', `routers/${router.id}`, { body: { router: { external_gateway_info: { network_id: net.id } } }, auth });
    expect(errorOf(res)).toEqual(badRouter(`Network ${net.id} is not an external network`));
  });

  it('adds and removes an interface by subnet on the gateway address', async () => {
    const { net, subnet, router, action, auth } = await setup();
    const added = await action('add_router_interface', { subnet_id: subnet.id });
    expect(added.status).toBe(200);
    // A new interface is a new revision of the router.
    expect((await h().call('GET', `routers/${router.id}`, { auth })).body.router.revision_number).toBe(2);
    expect(added.body).toEqual({
      id: router.id,
      tenant_id: auth.project_id,
      port_id: expect.any(String),
      network_id: net.id,
      subnet_id: subnet.id,
      subnet_ids: [subnet.id],
    });
    const port = (await h().call('GET', `ports/${added.body.port_id}`, { auth })).body.port;
    expect(port).toMatchObject({
      device_owner: 'network:router_interface',
      device_id: router.id,
      fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.0.0.1' }],
      project_id: auth.project_id,
    });

    expect(errorOf(await action('add_router_interface', { subnet_id: subnet.id }))).toEqual(badRouter(`Router already has a port on subnet ${subnet.id}`));
    expect(errorOf(await action('add_router_interface', {}))).toEqual(badRouter('Either subnet_id or port_id must be specified'));
    expect(errorOf(await action('add_router_interface', { subnet_id: subnet.id, port_id: port.id }))).toEqual(badRouter('Cannot specify both subnet-id and port-id'));
    expect(errorOf(await action('add_router_interface', { subnet_id: 'nope' }))).toEqual(badRouter("'nope' is not a valid UUID"));

    // The router's port and subnet are in use; so is the router.
    expect(errorOf(await h().call('DELETE', `ports/${port.id}`, { auth }))).toEqual([
      409,
      'ServicePortInUse',
      `Port ${port.id} cannot be deleted directly via the port API: has device owner network:router_interface.`,
    ]);
    expect(errorOf(await h().call('DELETE', `subnets/${subnet.id}`, { auth }))[1]).toBe('SubnetInUse');
    expect(errorOf(await h().call('DELETE', `routers/${router.id}`, { auth }))).toEqual([409, 'RouterInUse', `Router ${router.id} still has ports`]);
    // Its IPv4 address is the router's to change; naming its subnet again changes nothing.
    const same = await h().call('PUT', `ports/${port.id}`, { body: { port: { fixed_ips: [{ subnet_id: subnet.id }] } } });
    expect(same.body.port.fixed_ips).toEqual([{ subnet_id: subnet.id, ip_address: '10.0.0.1' }]);
    const ipChange = await h().call('PUT', `ports/${port.id}`, { body: { port: { fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.0.0.9' }] } } });
    expect(errorOf(ipChange)).toEqual([400, 'IPAddressChangeNotAllowed', `IP updates for port ${port.id} are not allowed`]);

    const removed = await action('remove_router_interface', { subnet_id: subnet.id });
    expect(removed.body).toMatchObject({ id: router.id, port_id: port.id, subnet_id: subnet.id, subnet_ids: [subnet.id] });
    expect((await h().call('GET', `ports/${port.id}`, { auth })).status).toBe(404);
    expect(errorOf(await action('remove_router_interface', { subnet_id: subnet.id }))).toEqual([
      404,
      'RouterInterfaceNotFoundForSubnet',
      `Router ${router.id} has no interface on subnet ${subnet.id}`,
    ]);
    expect(errorOf(await action('remove_router_interface', { port_id: port.id }))).toEqual([
      404,
      'RouterInterfaceNotFound',
      `Router ${router.id} does not have an interface with id ${port.id}`,
    ]);
    expect((await h().call('DELETE', `routers/${router.id}`, { auth })).status).toBe(204);
  });

  it('lets only who sees the router add or remove its interfaces; the admin’s interface is the owner’s port', async () => {
    const { net, subnet, router, action, auth } = await setup();
    // The action reads only the router's id and owner; a show afterwards still has everything.
    await h().call('PUT', `routers/${router.id}/tags/blue`, { auth });
    const other = member(newProject());
    const notFound = [404, 'RouterNotFound', `Router ${router.id} could not be found`];
    expect(errorOf(await action('add_router_interface', { subnet_id: subnet.id }, other))).toEqual(notFound);
    expect(errorOf(await action('remove_router_interface', { subnet_id: subnet.id }, other))).toEqual(notFound);
    expect((await h().call('GET', 'ports', { query: { device_id: router.id } })).body.ports).toEqual([]);

    const added = await h().call('PUT', `routers/${router.id}/add_router_interface`, { body: { subnet_id: subnet.id } });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ id: router.id, tenant_id: auth.project_id, network_id: net.id, subnet_ids: [subnet.id] });
    const shown = (await h().call('GET', `routers/${router.id}`, { auth })).body.router;
    expect(shown).toMatchObject({ tags: ['blue'], routes: [], revision_number: 3 });
    const removed = await action('remove_router_interface', { port_id: added.body.port_id });
    expect(removed.body).toMatchObject({ id: router.id, tenant_id: auth.project_id, port_id: added.body.port_id, subnet_id: subnet.id });
  });

  it('adds an interface by port, and refuses a port in use or an overlapping subnet', async () => {
    const { net, subnet, router, action, auth } = await setup();
    const port = await h().create('ports', { network_id: net.id }, auth);
    const added = await action('add_router_interface', { port_id: port.id });
    expect(added.body).toMatchObject({ port_id: port.id, subnet_ids: [subnet.id] });
    const shown = (await h().call('GET', `ports/${port.id}`, { auth })).body.port;
    expect(shown).toMatchObject({ device_owner: 'network:router_interface', device_id: router.id });

    const other = await h().create('ports', { network_id: net.id, device_id: 'vm-1' }, auth);
    expect(errorOf(await action('add_router_interface', { port_id: other.id }))).toEqual([
      409,
      'PortInUse',
      `Unable to complete operation on port ${other.id} for network ${net.id}. Port already has an attached device vm-1.`,
    ]);
    const net2 = await h().create('networks', {}, auth);
    const overlapping = await h().create('subnets', { network_id: net2.id, ip_version: 4, cidr: '10.0.0.0/16' }, auth);
    expect(errorOf(await action('add_router_interface', { subnet_id: overlapping.id }))).toEqual(
      badRouter(`Cidr 10.0.0.0/16 of subnet ${overlapping.id} overlaps with cidr 10.0.0.0/24 of subnet ${subnet.id}`),
    );
    const removed = await action('remove_router_interface', { port_id: port.id });
    expect(removed.status).toBe(200);
  });

  it('validates extra routes against the connected subnets and keeps an interface a route needs', async () => {
    const { subnet, router, action, auth } = await setup();
    const route = { destination: '10.9.0.0/16', nexthop: '10.0.0.254' };
    const unreachable = await h().call('PUT', `routers/${router.id}`, { body: { router: { routes: [route] } }, auth });
    expect(errorOf(unreachable)).toEqual([
      400,
      'InvalidRoutes',
      "Invalid format for routes: [{'destination': '10.9.0.0/16', 'nexthop': '10.0.0.254'}], the nexthop is not connected with router",
    ]);
    await action('add_router_interface', { subnet_id: subnet.id });
    const own = await h().call('PUT', `routers/${router.id}`, { body: { router: { routes: [{ destination: '10.9.0.0/16', nexthop: '10.0.0.1' }] } }, auth });
    expect(errorOf(own)[2]).toMatch(/the nexthop is used by router$/);
    const set = await h().call('PUT', `routers/${router.id}`, { body: { router: { routes: [route] } }, auth });
    expect(set.body.router.routes).toEqual([route]);

    const more = { destination: '10.8.0.0/16', nexthop: '10.0.0.253' };
    const added = await action('add_extraroutes', { router: { routes: [more, route] } });
    expect(added.status).toBe(200);
    expect(added.body.router.routes).toEqual([more, route]);
    const removed = await action('remove_extraroutes', { router: { routes: [more] } });
    expect(removed.body.router.routes).toEqual([route]);

    expect(errorOf(await action('remove_router_interface', { subnet_id: subnet.id }))).toEqual([
      409,
      'RouterInterfaceInUseByRoute',
      `Router interface for subnet ${subnet.id} on router ${router.id} cannot be deleted, as it is required by one or more routes.`,
    ]);
    await h().call('PUT', `routers/${router.id}`, { body: { router: { routes: null } }, auth });
    expect((await action('remove_router_interface', { subnet_id: subnet.id })).status).toBe(200);
  });

  it('keeps another project from claiming a router with a port of its own', async () => {
    const { router } = await setup();
    const other = member(newProject());
    const net = await h().create('networks', {}, other);
    const claim = { network_id: net.id, device_owner: 'network:router_interface', device_id: router.id };
    expect(errorOf(await h().call('POST', 'ports', { body: { port: claim }, auth: other }))).toEqual([
      409,
      'DeviceIDNotOwnedByTenant',
      `The following device_id ${router.id} is not owned by your tenant or matches another tenants router.`,
    ]);
    const port = await h().create('ports', { network_id: net.id }, other);
    const update = await h().call('PUT', `ports/${port.id}`, { body: { port: { device_owner: 'network:router_interface', device_id: router.id } }, auth: other });
    expect(errorOf(update)[1]).toBe('DeviceIDNotOwnedByTenant');
  });

  it('counts routers against the router quota', async () => {
    const auth = member(newProject());
    await h().call('PUT', `quotas/${auth.project_id}`, { body: { quota: { router: 1 } } });
    await h().create('routers', {}, auth);
    const res = await h().call('POST', 'routers', { body: { router: {} }, auth });
    expect(errorOf(res)[0]).toBe(409);
    expect(errorOf(res)[1]).toBe('OverQuota');
  });
});
