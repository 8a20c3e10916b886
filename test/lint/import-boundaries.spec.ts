/**
 * The map of ARCHITECTURE.md ("Layout") is enforced by `npm run lint` (eslint-plugin-boundaries in eslint.config.js).
 * These specs lint small in-memory files with the project's own config: an upward import fails, a downward one passes.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('import boundaries (npm run lint)', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: root });
  });

  /** The boundary errors ESLint reports for `code` placed at `filePath` (other rules are not this spec's business). */
  const boundaryErrors = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return result.messages.filter((m) => m.ruleId?.startsWith('boundaries/')).map((m) => m.message);
  };

  it.each([
    ['db → plugin', 'libs/db/upward.ts', `export { NetworksService } from '../plugin/networks/networks.service.js';`, 'db to import plugin'],
    ['config → db', 'libs/config/upward.ts', `export { Database } from '../db/index.js';`, 'config to import db'],
    ['api → plugin', 'libs/api/upward.ts', `export { NetworksService } from '../plugin/networks/networks.service.js';`, 'core to import plugin'],
    ['plugin → a service plug-in', 'libs/plugin/networks/upward.ts', `export { QuotasService } from '../../quotas/quotas.service.js';`, 'plugin to import service-plugin'],
    ['a service plug-in → an app', 'libs/quotas/upward.ts', `export { ServerModule } from '../../apps/neutron-server/server.module.js';`, 'service-plugin to import app'],
    ['a test helper in a library → an app', 'libs/quotas/testing/upward.ts', `import { ServerModule } from '../../../apps/neutron-server/server.module.js';\nexport const m = ServerModule;`, 'service-plugin to import app'],
    ['bus → db (agents import the bus)', 'libs/bus/upward.ts', `export { Database } from '../db/index.js';`, 'bus to import db'],
    ['an agent → the database', 'libs/agents/dhcp/upward.ts', `export { Database } from '../../db/index.js';`, 'agents to import db'],
    ['an agent → the plug-in', 'libs/agents/l2/upward.ts', `export type { PortRow } from '../../plugin/ports/port.entity.js';`, 'agents to import plugin'],
    ['an agent → a database driver', 'libs/agents/dhcp/upward.ts', `export { DataSource } from 'typeorm';`, 'agents to import'],
    ['ports → security groups (now a fragment of theirs)', 'libs/plugin/ports/ports.service.ts', `export { PORT_SECURITY_GROUPS } from '../../security-groups/security-groups.contract.js';`, 'plugin to import service-plugin'],
    ['metrics → db (every layer, agents included, imports metrics)', 'libs/metrics/upward.ts', `export { Database } from '../db/index.js';`, 'metrics to import db'],
    ['library code → the test harness', 'libs/plugin/ports/helper.ts', `export { useCoreHarness } from '../../../test/support/core-harness.js';`, 'plugin to import test'],
  ])('%s fails lint', async (_name, filePath, code, message) => {
    const errors = await boundaryErrors(filePath, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it.each([
    ['plugin → api', 'libs/plugin/networks/ok.ts', `export { NeutronError } from '../../api/errors/neutron-error.js';`],
    ['a service plug-in → the plug-in and another service plug-in', 'libs/security-groups/ok.ts', `export { NetworksService } from '../plugin/networks/networks.service.js';\nexport { QuotasService } from '../quotas/quotas.service.js';`],
    ['api → identity, db and config', 'libs/api/ok.ts', `export type { AuthContext } from '../identity/auth-context.js';\nexport { Database } from '../db/index.js';\nexport { loadConfig } from '../config/index.js';`],
    ['bus → config', 'libs/bus/ok.ts', `export { loadConfig } from '../config/index.js';`],
    ['an agent → bus, dataplane, config and its own core', 'libs/agents/dhcp/ok.ts', `export { BUS } from '../../bus/bus.contract.js';\nexport * from '../../dataplane/index.js';\nexport { loadConfig } from '../../config/index.js';\nexport { PassQueue } from '../common/pass-queue.js';`],
    ['an agent → metrics (a DHCP reply counted in the process registry)', 'libs/agents/dhcp/ok.ts', `export { MetricsRegistry } from '../../metrics/index.js';`],
    ['an app → libraries and another app', 'apps/appliance/ok.ts', `export { ServerModule } from '../neutron-server/server.module.js';\nexport { QuotasModule } from '../../libs/quotas/quotas.module.js';`],
    ['an e2e test → an app', 'test/e2e/ok.ts', `export { ServerModule } from '../../apps/neutron-server/server.module.js';`],
    ['a spec → the shared test harness', 'libs/plugin/ports/x.spec.ts', `export { useCoreHarness } from '../../../test/support/core-harness.js';`],
  ])('%s passes lint', async (_name, filePath, code) => {
    expect(await boundaryErrors(filePath, code)).toEqual([]);
  });
});
