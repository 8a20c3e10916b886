// The walkthrough, command by command, with the real `openstack` CLI and openstacksdk.
import { describe, expect, it } from 'vitest';
import { DIALECTS } from './support/appliance.js';
import { cliFor } from './support/cli.js';
import type { Json } from './support/http.js';
import { once, useAppliance } from './support/suite.js';

describe.each(DIALECTS)('openstack CLI walkthrough (%s)', (dialect) => {
  const ctx = useAppliance(dialect);
  // On SQLite the real binary, started per command as a user runs it; on PostgreSQL (and in the other files) the
  // warm runner, the same CLI code without the process start.
  const cli = () => cliFor(ctx().app, { binary: dialect === 'sqlite' });
  const alice = { user: 'alice', password: 'secret', project: 'demo' };
  // What several commands below stand on, made by whichever test needs it first, so each test also runs alone.
  const adminProjectId = once(async (): Promise<string> => (await cli().openstack(['token', 'issue', '-f', 'json'])).project_id);
  const demo = once(async () => {
    const project = await cli().openstack(['project', 'create', 'demo', '-f', 'json']);
    const user = await cli().openstack(['user', 'create', '--password', 'secret', '--project', 'demo', 'alice', '-f', 'json']);
    await cli().openstack(['role', 'add', '--user', 'alice', '--project', 'demo', 'member']);
    return { project, user };
  });
  const net1 = once(() => cli().openstack(['network', 'create', '--tag', 'blue', 'net1', '-f', 'json']));

  it('openstack token issue', async () => {
    const token = await cli().openstack(['token', 'issue', '-f', 'json']);
    expect(token.id).toEqual(expect.any(String));
    expect(token.project_id).toEqual(expect.any(String));
    expect(token.user_id).toEqual(expect.any(String));
    expect(Date.parse(token.expires)).toBeGreaterThan(Date.now());
  });

  it('creates project demo and user alice with role member on it', async () => {
    const { project, user } = await demo();
    expect(project).toMatchObject({ name: 'demo', enabled: true, domain_id: 'default' });
    expect(user).toMatchObject({ name: 'alice', default_project_id: project.id, enabled: true });
    const assignments = await cli().openstack(['role', 'assignment', 'list', '--user', 'alice', '--project', 'demo', '--names', '-f', 'json']);
    expect(assignments.map((a: Json) => a.Role)).toContain('member');
  });

  it('network create --tag blue net1', async () => {
    const net = await net1();
    expect(net).toMatchObject({
      name: 'net1',
      status: 'ACTIVE',
      admin_state_up: true,
      shared: false,
      'router:external': false,
      mtu: 1450,
      tags: ['blue'],
      project_id: await adminProjectId(),
    });
  });

  it('network list --long shows net1 with its tag', async () => {
    const { id } = await net1();
    const rows: Json[] = await cli().openstack(['network', 'list', '--long', '-f', 'json']);
    const row = rows.find((r) => r.Name === 'net1');
    expect(row).toMatchObject({ ID: id, Status: 'ACTIVE', Project: await adminProjectId(), State: true, Shared: false, Tags: ['blue'] });
  });

  it('network show net1 has the defaults a real cloud gives', async () => {
    const { id } = await net1();
    const net = await cli().openstack(['network', 'show', 'net1', '-f', 'json']);
    expect(net).toMatchObject({
      id,
      mtu: 1450,
      status: 'ACTIVE',
      admin_state_up: true,
      shared: false,
      'router:external': false,
      project_id: await adminProjectId(),
      description: '',
      tags: ['blue'],
    });
    // The table users actually read renders the booleans as words.
    const table = String(await cli().openstack(['network', 'show', 'net1', '-c', 'router:external', '-c', 'admin_state_up']));
    const cells = Object.fromEntries(
      table.split('\n').map((line) => line.split('|').map((c) => c.trim())).filter((c) => c.length === 4).map((c) => [c[1], c[2]]),
    );
    expect(cells).toMatchObject({ 'router:external': 'Internal', admin_state_up: 'UP' });
  });

  it('network set --mtu 1400 --description d net1 is reflected by show, with a higher revision', async () => {
    const created = await net1();
    expect(await cli().openstack(['network', 'set', '--mtu', '1400', '--description', 'd', 'net1'])).toBeNull();
    const net = await cli().openstack(['network', 'show', 'net1', '-f', 'json']);
    expect(net).toMatchObject({ id: created.id, mtu: 1400, description: 'd' });
    expect(net.revision_number).toBeGreaterThan(created.revision_number);
  });

  it('network delete net1', async () => {
    await net1();
    expect(await cli().openstack(['network', 'delete', 'net1'])).toBeNull();
    const rows: Json[] = await cli().openstack(['network', 'list', '-f', 'json']);
    expect(rows.map((r) => r.Name)).not.toContain('net1');
  });

  it('openstacksdk update_quota, then `quota list --network` shows demo with Networks 2', async () => {
    const { project } = await demo();
    await cli().sdk(
      'import openstack; c=openstack.connect(); p=c.identity.find_project("demo"); c.network.update_quota(p.id, networks=2)',
    );
    const rows: Json[] = await cli().openstack(['quota', 'list', '--network', '-f', 'json']);
    // Only projects whose quota differs from the defaults are listed.
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ 'Project ID': project.id, Networks: 2, Subnets: 100, Ports: 500, Routers: 10 });
  });

  it('alice sees only demo networks; admin sees every project', async () => {
    const { project } = await demo();
    const adminNet = await cli().openstack(['network', 'create', 'admin-net', '-f', 'json']);
    const aliceNet = await cli().openstack(['network', 'create', 'alice-net', '-f', 'json'], alice);
    expect(aliceNet.project_id).toBe(project.id);

    const aliceRows: Json[] = await cli().openstack(['network', 'list', '-f', 'json'], alice);
    expect(aliceRows.map((r) => r.ID)).toEqual([aliceNet.id]);

    const adminRows: Json[] = await cli().openstack(['network', 'list', '-f', 'json']);
    // Both projects' networks (the list holds whatever else earlier commands left, such as net1 when not deleted).
    expect(adminRows.map((r) => r.ID)).toEqual(expect.arrayContaining([adminNet.id, aliceNet.id]));
  });
});
