// Distributed routers (dvr, router-admin-state-down-before-update) with the real `openstack` CLI, on an appliance
// whose only L3 agent is its own legacy one: the admin creates and migrates them, a project member neither sets nor
// sees `distributed`, a distributed router's interface is a network:router_interface_distributed port, and no agent
// hosts a distributed router (Neutron with legacy agents only), while the legacy agent takes it back once centralized.
import { describe, expect, it, vi } from 'vitest';
import { DIALECTS } from './support/appliance.js';
import { cliFailure, cliFor } from './support/cli.js';
import { apiClient, type Json } from './support/http.js';
import { createProjectUser } from './support/identity.js';
import { useAppliance } from './support/suite.js';

const WAIT = { timeout: 15_000, interval: 200 };

describe.each(DIALECTS)('distributed routers with a legacy L3 agent (%s)', (dialect) => {
  const ctx = useAppliance(dialect);
  const cli = () => cliFor(ctx().app);
  const os = (...args: string[]) => cli().openstack([...args, '-f', 'json']);
  const run = (...args: string[]) => cli().openstack(args);

  it('lists the extensions, creates distributed routers as admin only, and shows the flag to admins only', async () => {
    const aliases = ((await os('extension', 'list', '--network')) as Json[]).map((e) => e.Alias);
    expect(aliases).toEqual(expect.arrayContaining(['dvr', 'router-admin-state-down-before-update']));

    const dvr = await os('router', 'create', '--distributed', 'dvr-create');
    expect(dvr).toMatchObject({ name: 'dvr-create', distributed: true, admin_state_up: true });
    expect(await os('router', 'create', '--centralized', 'dvr-centralized')).toMatchObject({ distributed: false });
    expect(await os('router', 'create', 'dvr-default')).toMatchObject({ distributed: false });

    const alice = await createProjectUser(ctx().app, ctx().adminToken, { project: 'dvr-demo', user: 'dvr-alice' });
    const as = { user: alice.user, password: alice.password, project: alice.project };
    const refused = await cliFailure(cli().openstack(['router', 'create', '--distributed', 'alice-dvr'], as));
    expect(refused.stderr).toContain('(rule:create_router and rule:create_router:distributed) is disallowed by policy');
    const own = await cli().openstack(['router', 'create', 'alice-r', '-f', 'json'], as);
    const setRefused = await cliFailure(cli().openstack(['router', 'set', '--distributed', own.id], as));
    expect(setRefused.stderr).toContain('(rule:update_router and rule:update_router:distributed) is disallowed by policy');
    // The member's own router over HTTP: no `distributed` key at all (get_router:distributed is the admin's).
    const shown = await apiClient(ctx().app.apiUrl, alice.token).get(`/v2.0/routers/${own.id}`);
    expect(shown.status).toBe(200);
    expect(Object.keys(shown.body.router)).not.toContain('distributed');
    expect((await os('router', 'show', own.id)).distributed).toBe(false);

    // No agent hosts a distributed router: the legacy L3 agent is no candidate.
    expect(await os('network', 'agent', 'list', '--router', dvr.id)).toEqual([]);
    for (const r of [dvr.id, 'dvr-centralized', 'dvr-default', own.id]) await run('router', 'delete', r);
  });

  it('migrates a hosted router to distributed only while it is down: its interface changes owner and it leaves the agent', async () => {
    const l3 = ((await os('network', 'agent', 'list')) as Json[]).find((a) => a['Agent Type'] === 'L3 agent')!;
    await os('network', 'create', 'dvr-net');
    const subnet = await os('subnet', 'create', '--network', 'dvr-net', '--subnet-range', '10.71.0.0/24', 'dvr-sub');
    const router = await os('router', 'create', 'dvr-migrate');
    await run('router', 'add', 'subnet', 'dvr-migrate', 'dvr-sub');
    expect(await os('network', 'agent', 'list', '--router', router.id)).toEqual([expect.objectContaining({ ID: l3.ID, Host: l3.Host })]);
    const [iface] = (await os('port', 'list', '--router', router.id, '--long')) as Json[];
    expect(iface['Device Owner']).toBe('network:router_interface');
    await vi.waitFor(async () => expect(await os('port', 'show', iface.ID)).toMatchObject({ status: 'ACTIVE' }), WAIT);

    // router-admin-state-down-before-update: Neutron's 400 while the router is up.
    const up = await cliFailure(run('router', 'set', '--distributed', 'dvr-migrate'));
    expect(up.stderr).toContain(
      "Bad router request: Cannot change the 'distributed' attribute of active routers. Please set router admin_state_up to False prior to upgrade.",
    );
    expect(await os('router', 'show', router.id)).toMatchObject({ distributed: false, admin_state_up: true });

    await run('router', 'set', '--disable', 'dvr-migrate');
    await run('router', 'set', '--distributed', 'dvr-migrate');
    await run('router', 'set', '--enable', 'dvr-migrate');
    expect(await os('router', 'show', router.id)).toMatchObject({ distributed: true, admin_state_up: true });
    const migrated = await os('port', 'show', iface.ID);
    expect(migrated).toMatchObject({ device_owner: 'network:router_interface_distributed', device_id: router.id });
    expect(migrated.fixed_ips).toEqual([{ subnet_id: subnet.id, ip_address: '10.71.0.1' }]);
    expect(await os('network', 'agent', 'list', '--router', router.id)).toEqual([]);
    // Its interface is still the router's: not deleted through the port API, the router still in use.
    expect((await cliFailure(run('port', 'delete', iface.ID))).stderr).toContain('has device owner network:router_interface_distributed');
    expect((await cliFailure(run('router', 'delete', 'dvr-migrate'))).stderr).toContain(`Router ${router.id} still has ports`);

    // A new interface of the distributed router gets the DVR owner too.
    await os('network', 'create', 'dvr-net2');
    await os('subnet', 'create', '--network', 'dvr-net2', '--subnet-range', '10.72.0.0/24', 'dvr-sub2');
    await run('router', 'add', 'subnet', 'dvr-migrate', 'dvr-sub2');
    const owners = ((await os('port', 'list', '--router', router.id, '--long')) as Json[]).map((p) => p['Device Owner']);
    expect(owners).toEqual(['network:router_interface_distributed', 'network:router_interface_distributed']);

    // With a gateway, Neutron's API gives a distributed router one centralized SNAT port per interface subnet (no
    // dvr_snat agent hosts them here); they go with the gateway.
    await os('network', 'create', '--provider-network-type', 'flat', '--provider-physical-network', 'public', '--external', 'dvr-public');
    await os('subnet', 'create', '--network', 'dvr-public', '--subnet-range', '172.24.71.0/24', '--no-dhcp', 'dvr-public-sub');
    await run('router', 'set', '--external-gateway', 'dvr-public', 'dvr-migrate');
    const snat = (await os('port', 'list', '--device-owner', 'network:router_centralized_snat', '--device-id', router.id, '--long')) as Json[];
    expect(snat.map((p) => p['Fixed IP Addresses'][0].subnet_id).sort()).toEqual([subnet.id, (await os('subnet', 'show', 'dvr-sub2')).id].sort());
    await run('router', 'unset', '--external-gateway', 'dvr-migrate');
    expect(await os('port', 'list', '--device-owner', 'network:router_centralized_snat', '--device-id', router.id)).toEqual([]);

    // Back to centralized: the legacy agent hosts it again and plugs its interfaces.
    await run('router', 'set', '--disable', 'dvr-migrate');
    await run('router', 'set', '--centralized', 'dvr-migrate');
    await run('router', 'set', '--enable', 'dvr-migrate');
    const back = ((await os('port', 'list', '--router', router.id, '--long')) as Json[]).map((p) => p['Device Owner']);
    expect(back).toEqual(['network:router_interface', 'network:router_interface']);
    await vi.waitFor(async () => expect(await os('network', 'agent', 'list', '--router', router.id)).toEqual([expect.objectContaining({ ID: l3.ID })]), WAIT);
    await vi.waitFor(async () => expect(await os('port', 'show', iface.ID)).toMatchObject({ status: 'ACTIVE' }), WAIT);

    await run('router', 'remove', 'subnet', 'dvr-migrate', 'dvr-sub');
    await run('router', 'remove', 'subnet', 'dvr-migrate', 'dvr-sub2');
    await run('router', 'delete', 'dvr-migrate');
  });
});
