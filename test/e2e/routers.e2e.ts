// Routers and floating IPs with the real `openstack` CLI: the commands, in order, on both databases.
import { describe, expect, it } from 'vitest';
import { DIALECTS } from './support/appliance.js';
import { cliFailure, cliFor } from './support/cli.js';
import type { Json } from './support/http.js';
import { useAppliance } from './support/suite.js';

describe.each(DIALECTS)('routers and floating IPs (%s)', (dialect) => {
  const ctx = useAppliance(dialect);
  const cli = () => cliFor(ctx().app);
  const os = (...args: string[]) => cli().openstack([...args, '-f', 'json']);
  const run = (...args: string[]) => cli().openstack(args);

  it('runs the issue’s router and floating IP commands', async () => {
    await os('network', 'create', '--provider-network-type', 'flat', '--provider-physical-network', 'public', '--external', 'public');
    const extSubnet = await os('subnet', 'create', '--network', 'public', '--subnet-range', '172.24.4.0/24', '--no-dhcp', 'public-sub');
    await os('network', 'create', 'net1');
    const sub1 = await os('subnet', 'create', '--network', 'net1', '--subnet-range', '10.0.0.0/24', 'sub1');
    const vm = await os('port', 'create', '--network', 'net1', '--device-owner', 'compute:nova', '--device', 'vm-1', 'vm-port');

    const r1 = await os('router', 'create', 'r1');
    expect(r1).toMatchObject({ name: 'r1', status: 'ACTIVE', admin_state_up: true });
    await run('router', 'set', '--external-gateway', 'public', 'r1');
    await run('router', 'add', 'subnet', 'r1', 'sub1');
    await run('router', 'set', '--route', 'destination=10.9.0.0/16,gateway=10.0.0.254', 'r1');

    const shown: Json = await os('router', 'show', 'r1');
    expect(shown.external_gateway_info).toMatchObject({ network_id: extSubnet.network_id, enable_snat: true });
    expect(shown.external_gateway_info.external_fixed_ips[0]).toMatchObject({ subnet_id: extSubnet.id });
    expect(shown.routes).toEqual([{ destination: '10.9.0.0/16', nexthop: '10.0.0.254' }]);
    expect(shown.interfaces_info).toEqual([{ port_id: expect.any(String), ip_address: '10.0.0.1', subnet_id: sub1.id }]);

    const fip = await os('floating', 'ip', 'create', '--port', vm.id, 'public');
    expect(fip).toMatchObject({ port_id: vm.id, fixed_ip_address: vm.fixed_ips[0].ip_address, router_id: r1.id, status: 'DOWN' });
    expect(fip.floating_ip_address).toMatch(/^172\.24\.4\./);

    const fips: Json[] = await os('floating', 'ip', 'list');
    expect(fips).toEqual([expect.objectContaining({ ID: fip.id, 'Floating IP Address': fip.floating_ip_address, Port: vm.id })]);

    const routers: Json[] = await os('router', 'list', '--long');
    expect(routers).toEqual([
      expect.objectContaining({ ID: r1.id, Name: 'r1', Status: 'ACTIVE', State: true, Routes: [{ destination: '10.9.0.0/16', nexthop: '10.0.0.254' }] }),
    ]);
    expect(routers[0]['External gateway info']).toMatchObject({ network_id: extSubnet.network_id });

    // A port forwarding on a second floating IP, to a port without one.
    const vm2 = await os('port', 'create', '--network', 'net1', 'vm2-port');
    const fip2 = await os('floating', 'ip', 'create', 'public');
    const address = vm2.fixed_ips[0].ip_address;
    const pf = await os(
      'floating', 'ip', 'port', 'forwarding', 'create', '--internal-ip-address', address, '--port', vm2.id,
      '--internal-protocol-port', '22', '--external-protocol-port', '2222', '--protocol', 'tcp', fip2.id,
    );
    expect(pf).toMatchObject({ internal_ip_address: address, internal_port: 22, external_port: 2222, protocol: 'tcp', internal_port_id: vm2.id });
    const pfs: Json[] = await os('floating', 'ip', 'port', 'forwarding', 'list', fip2.id);
    expect(pfs.map((p) => p.ID)).toEqual([pf.id]);
    expect(await os('floating', 'ip', 'show', fip2.id)).toMatchObject({ router_id: r1.id, port_id: null });
    await run('floating', 'ip', 'port', 'forwarding', 'delete', fip2.id, pf.id);
    await run('floating', 'ip', 'delete', fip2.id);
    await run('port', 'delete', 'vm2-port');

    // The router's subnet and interface are in use, with Neutron's messages.
    const subnetDelete = await cliFailure(run('subnet', 'delete', 'sub1'));
    expect(subnetDelete.stderr).toMatch(/One or more ports have an IP allocation from this subnet/);
    const routerDelete = await cliFailure(run('router', 'delete', 'r1'));
    expect(routerDelete.stderr).toMatch(new RegExp(`Router ${r1.id} still has ports`));

    // Undo: floating IP, route, interface, gateway, router.
    await run('floating', 'ip', 'delete', fip.id);
    await run('router', 'unset', '--route', 'destination=10.9.0.0/16,gateway=10.0.0.254', 'r1');
    await run('router', 'remove', 'subnet', 'r1', 'sub1');
    await run('router', 'unset', '--external-gateway', 'r1');
    await run('router', 'delete', 'r1');
    expect(await os('router', 'list')).toEqual([]);
    await run('port', 'delete', 'vm-port');
    await run('subnet', 'delete', 'sub1');
  });
});
