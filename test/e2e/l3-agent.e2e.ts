// The appliance's own L3 agent (simulated driver) with the real `openstack` CLI: it is listed, hosts the router
// (`agent list --router`), binds the router's ports to its host (the L2 agent plugs them: ACTIVE) and reports the
// floating IP ACTIVE once synced.
import { describe, expect, it, vi } from 'vitest';
import { DIALECTS } from './support/appliance.js';
import { cliFor } from './support/cli.js';
import type { Json } from './support/http.js';
import { useAppliance } from './support/suite.js';

describe.each(DIALECTS)('L3 agent (%s)', (dialect) => {
  const ctx = useAppliance(dialect);
  const cli = () => cliFor(ctx().app);
  const os = (...args: string[]) => cli().openstack([...args, '-f', 'json']);
  const run = (...args: string[]) => cli().openstack(args);

  it('hosts a router and makes its floating IP ACTIVE', async () => {
    const agents: Json[] = await os('network', 'agent', 'list');
    const l3 = agents.find((a) => a['Agent Type'] === 'L3 agent');
    expect(l3).toMatchObject({ Alive: true, State: true, Binary: 'neutron-l3-agent' });

    await os('network', 'create', '--provider-network-type', 'flat', '--provider-physical-network', 'public', '--external', 'l3a-public');
    await os('subnet', 'create', '--network', 'l3a-public', '--subnet-range', '172.24.6.0/24', '--no-dhcp', 'l3a-public-sub');
    await os('network', 'create', 'l3a-net');
    await os('subnet', 'create', '--network', 'l3a-net', '--subnet-range', '10.6.0.0/24', 'l3a-sub');
    const vm = await os('port', 'create', '--network', 'l3a-net', '--device-owner', 'compute:nova', '--device', 'vm-l3a', 'l3a-vm');
    const router = await os('router', 'create', 'l3a-r1');
    await run('router', 'set', '--external-gateway', 'l3a-public', 'l3a-r1');
    await run('router', 'add', 'subnet', 'l3a-r1', 'l3a-sub');
    const fip = await os('floating', 'ip', 'create', '--port', vm.id, 'l3a-public');

    const hosting: Json[] = await os('network', 'agent', 'list', '--router', 'l3a-r1');
    expect(hosting).toEqual([expect.objectContaining({ ID: l3!.ID, Host: l3!.Host, 'Agent Type': 'L3 agent' })]);
    await vi.waitFor(async () => expect(await os('floating', 'ip', 'show', fip.id)).toMatchObject({ status: 'ACTIVE' }), { timeout: 15_000, interval: 200 });
    const ports: Json[] = await os('port', 'list', '--router', router.id, '--long');
    expect(ports.length).toBeGreaterThanOrEqual(1);
    for (const p of ports) expect((await os('port', 'show', p.ID))['binding_host_id']).toBe(l3!.Host);
    // The L2 agent on that host plugs them: the router's interface goes ACTIVE.
    const [iface] = ports.filter((p) => p['Device Owner'] === 'network:router_interface');
    await vi.waitFor(async () => expect(await os('port', 'show', iface.ID)).toMatchObject({ status: 'ACTIVE' }), { timeout: 15_000, interval: 200 });

    await run('floating', 'ip', 'delete', fip.id);
    await run('router', 'remove', 'subnet', 'l3a-r1', 'l3a-sub');
    await run('router', 'unset', '--external-gateway', 'l3a-r1');
    await run('router', 'delete', 'l3a-r1');
    await run('port', 'delete', 'l3a-vm');
  });
});
