// The quota count on create, on both databases: a project with a limit is counted (and stopped at it), a project
// whose limit is unlimited is not counted at all (a COUNT of all its rows at every create would grow with them).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, member, newProject, useCoreHarness } from '../../test/support/core-harness.js';
import { Database } from '../db/index.js';
import { SPEC_DIALECTS } from '../db/testing/scratch-database.js';

describe.each(SPEC_DIALECTS)('quota counts on %s', (dialect) => {
  const h = useCoreHarness(`quota_count_${dialect}`, [], dialect);
  const statements: string[] = [];
  let restore: () => void = () => undefined;
  let network: string;

  beforeAll(async () => {
    network = (await h().create('networks', { name: 'quota-count', shared: true })).id;
    await h().create('subnets', { network_id: network, ip_version: 4, cidr: '10.93.0.0/22' });
  });
  afterEach(() => restore());

  /** Records every statement the database runs until the test ends. */
  function record(): void {
    const driver = h().app.get(Database).ds.driver as unknown as { createQueryRunner: (mode: string) => { query: (...a: unknown[]) => unknown } };
    const create = driver.createQueryRunner;
    const wrapped = new WeakSet<object>();
    driver.createQueryRunner = (mode: string) => {
      const runner = create.call(driver, mode);
      if (!wrapped.has(runner)) {
        wrapped.add(runner);
        const query = runner.query;
        runner.query = (...a: unknown[]) => {
          statements.push(String(a[0]));
          return query.apply(runner, a);
        };
        restore = () => {
          runner.query = query;
          driver.createQueryRunner = create;
        };
      }
      return runner;
    };
    statements.length = 0;
  }
  it('an unlimited project creates ports without counting them', async () => {
    const project = newProject();
    await h().call('PUT', `quotas/${project}`, { body: { quota: { port: -1 } } });
    for (let i = 0; i < 3; i++) await h().create('ports', { network_id: network }, member(project));
    record();
    await h().create('ports', { network_id: network }, member(project));
    const counted = statements.filter((s) => /COUNT\(\*\)/.test(s));
    if (dialect === 'sqlite') expect(counted).toEqual([]);
    // PostgreSQL sends its count with the lock, but under a CASE on the limit that an unlimited project skips
    else expect(counted.map((s) => s.replace(/\(SELECT COUNT.*/, ''))).toEqual(['SELECT CASE WHEN COALESCE((SELECT hard_limit FROM quotas WHERE project_id = $1 AND resource = $2), $3) >= 0 THEN ']);
  });

  it('a limited project is counted and stopped at its limit, whether the limit is below or above the default', async () => {
    for (const limit of [2, 501]) {
      const project = newProject();
      await h().call('PUT', `quotas/${project}`, { body: { quota: { port: limit } } });
      if (limit > 2) {
        // above the default: fill with the admin's bulk create, on the project's behalf
        await h().call('POST', 'ports', { body: { ports: Array.from({ length: limit - 1 }, () => ({ network_id: network, project_id: project })) } });
      } else {
        await h().create('ports', { network_id: network }, member(project));
      }
      await h().create('ports', { network_id: network }, member(project));
      expect(errorOf(await h().call('POST', 'ports', { body: { port: { network_id: network } }, auth: member(project) }))).toEqual([
        409,
        'OverQuota',
        "Quota exceeded for resources: ['port'].",
      ]);
    }
  });
});
