/**
 * Horizon end to end, in a real browser: Debian's openstack-dashboard (Horizon 23) against the built appliance, driven
 * by Selenium in headless Chromium (test/horizon/drive_horizon.py), as the admin and as a project member. Every page
 * must load without an error message, the objects made through Horizon's forms must be there for the CLI afterwards,
 * and the appliance must have answered Horizon with no 4xx/5xx but the ones listed in EXPECTED_ERRORS.
 * Skipped loudly when Horizon, Chromium, chromedriver or python3-selenium are missing (.ci/run installs them).
 * Screenshots of every step: test-artifacts/horizon/<user>/ (git-ignored).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Appliance, REPO_ROOT, startAppliance } from './support/appliance.js';
import { cliFor } from './support/cli.js';
import type { Json } from './support/http.js';
import {
  driveHorizon,
  type Horizon,
  loggedRequests,
  type PageResult,
  skipUnlessHorizon,
  startHorizon,
} from './support/horizon.js';

const unavailable = await skipUnlessHorizon('test/e2e/horizon.e2e.ts');
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts/horizon');

/**
 * The appliance's error answers Horizon asks for and handles, as it would from Keystone and Neutron:
 * - at login, openstack_auth first asks for a token scoped to the user's default domain; a user with no role on the
 *   domain gets 401, then Horizon scopes to a project.
 */
const EXPECTED_ERRORS: { method: string; path: RegExp; status: number; why: string }[] = [
  { method: 'POST', path: /^\/v3\/auth\/tokens$/, status: 401, why: 'domain-scoped token at login, user has no domain role' },
];

describe.skipIf(unavailable)('Horizon against the appliance (real browser)', () => {
  let app: Appliance;
  let horizon: Horizon;
  const cli = () => cliFor(app);
  const os = (args: string[], as?: { user: string; password: string; project: string }) => cli().openstack([...args, '-f', 'json'], as);
  const member = { user: 'hz-alice', password: 'alice-secret', project: 'hz-demo' };
  const runs: Record<string, PageResult[]> = {};
  let horizonLog = '';
  let publicNetworkId = '';

  beforeAll(async () => {
    app = await startAppliance({ dialect: 'sqlite', env: { APPLIANCE_LOG_LEVEL: 'info' }, outputLimit: 20_000_000 });
    // What an operator sets up before users arrive: the external network, a project and its member.
    const pub: Json = await os(['network', 'create', '--external', '--provider-network-type', 'flat', '--provider-physical-network', 'public', 'public']);
    publicNetworkId = pub.id;
    await os(['subnet', 'create', '--network', 'public', '--subnet-range', '172.24.4.0/24', '--no-dhcp', 'public-sub']);
    await os(['project', 'create', member.project]);
    await os(['user', 'create', '--password', member.password, '--project', member.project, member.user]);
    await cli().openstack(['role', 'add', '--user', member.user, '--project', member.project, 'member']);
    horizon = await startHorizon(app.identityUrl);
    await rm(ARTIFACTS, { recursive: true, force: true });

    // Only what Horizon asked counts for the log check: the set-up above and the CLI checks below are the CLI's.
    const from = app.output().length;
    const drive = (user: string, password: string, role: string, prefix: string) =>
      driveHorizon([
        '--url', horizon.url, '--user', user, '--password', password, '--role', role, '--prefix', prefix,
        '--member', member.user, '--artifacts', join(ARTIFACTS, user),
      ]);
    // One browser session per user, both at once (each is mostly waiting on Horizon).
    const [admin, alice] = await Promise.all([drive('admin', app.adminPassword, 'admin', 'hz-admin'), drive(member.user, member.password, 'member', 'hz-member')]);
    runs.admin = admin.pages;
    runs.member = alice.pages;
    horizonLog = app.output().slice(from);
  }, 600_000);

  afterAll(async () => {
    await horizon?.stop();
    await app?.stop();
  });

  const pagesOf = (who: string) => {
    const pages = runs[who] ?? [];
    if (pages.length === 0) throw new Error(`no page was driven as ${who}:\n${horizon.output().slice(-5000)}`);
    return pages;
  };

  it.each(['admin', 'member'])('every page loads without an error message (%s)', (who) => {
    const failed = pagesOf(who).filter((p) => p.errors.length > 0);
    expect(failed.map((p) => ({ step: p.step, url: p.url, errors: p.errors, screenshot: p.screenshot }))).toEqual([]);
  });

  it('drives every panel the issue names', () => {
    const steps = (who: string) => pagesOf(who).map((p) => p.step);
    const project = [
      'login', 'project-networks-create', 'project-network-detail', 'project-routers-create', 'project-routers-set-gateway',
      'project-routers-add-interface', 'project-network-topology', 'project-security-groups-create',
      'project-security-groups-add-rule', 'project-floating-ips-allocate', 'project-floating-ips-release',
      'identity-application-credentials-create',
    ];
    expect(steps('admin')).toEqual(expect.arrayContaining([
      ...project, 'admin-networks', 'admin-routers', 'admin-floating-ips', 'admin-system-information-network-agents',
      'identity-projects-create', 'identity-projects-manage-members', 'identity-users', 'identity-groups-create', 'identity-roles',
    ]));
    expect(steps('member')).toEqual(expect.arrayContaining([...project, 'identity-projects']));
  });

  it.each([
    ['admin', 'hz-admin'],
    ['member', 'hz-member'],
  ])('what %s made in Horizon is there for the CLI', async (who, prefix) => {
    const as = who === 'member' ? member : undefined;
    const [subnets, router, group, fips, creds]: Json[] = await Promise.all([
      os(['subnet', 'list', '--long'], as),
      os(['router', 'show', `${prefix}-router`], as),
      os(['security', 'group', 'show', `${prefix}-sg`], as),
      os(['floating', 'ip', 'list', '--long'], as),
      os(['application', 'credential', 'list'], as),
    ]);
    const subnet = subnets.find((s: Json) => s.Name === `${prefix}-subnet`);
    const subnet2 = subnets.find((s: Json) => s.Name === `${prefix}-subnet2`);
    expect(subnet).toMatchObject({ Subnet: '10.81.0.0/24', 'Name Servers': ['10.0.0.53'] });
    expect(subnet2).toMatchObject({ Subnet: '10.82.0.0/24' });
    expect(subnet.Network).not.toBe(subnet2.Network);

    expect(router.external_gateway_info).toMatchObject({ network_id: publicNetworkId });
    expect(router.interfaces_info.map((i: Json) => i.subnet_id).sort()).toEqual([subnet.ID, subnet2.ID].sort());

    expect(group.description).toBe('made by Horizon');
    expect(group.rules).toEqual(expect.arrayContaining([
      expect.objectContaining({ direction: 'ingress', protocol: 'tcp', port_range_min: 8080, port_range_max: 8080 }),
    ]));

    // Allocated, then released: gone.
    expect(fips.filter((f: Json) => f.Description === `${prefix}-fip`)).toEqual([]);

    expect(creds.map((c: Json) => c.Name)).toContain(`${prefix}-appcred`);
  });

  it('the admin’s project, its member and the group are there for the CLI', async () => {
    const [project, assignments, group]: Json[] = await Promise.all([
      os(['project', 'show', 'hz-admin-project']),
      os(['role', 'assignment', 'list', '--project', 'hz-admin-project', '--names']),
      os(['group', 'show', 'hz-admin-group']),
    ]);
    expect(project.description).toBe('made by Horizon');
    expect(assignments).toEqual(expect.arrayContaining([expect.objectContaining({ User: `${member.user}@Default`, Role: 'member' })]));
    expect(group.description).toBe('made by Horizon');
  });

  it('the appliance answered Horizon with no 4xx/5xx but the expected ones', () => {
    const requests = loggedRequests(horizonLog);
    expect(requests.length).toBeGreaterThan(100);
    const unexpected = requests.filter(
      (r) => r.status >= 400 && !EXPECTED_ERRORS.some((e) => e.method === r.method && e.path.test(r.path) && e.status === r.status),
    );
    expect(unexpected).toEqual([]);
  });
});
