import { defineConfig } from 'vitest/config';

/**
 * Three projects, all run by `npm test`:
 * - unit: specs beside the code that need no external service, no build and no CLI (seconds; `npm run test:unit`).
 *   A `*.db.spec.ts` runs here on SQLite only.
 * - integration: specs beside the code that need the machine's PostgreSQL, Redis, the `openstack` CLI, or root with
 *   network namespaces and the dataplane tools
 *   (`*.integration.spec.ts`), and every `*.db.spec.ts` again on PostgreSQL (`npm run test:integration`).
 * - e2e: the built appliance over HTTP (`test/e2e/`, after `npm run build`).
 */
// test/lint holds the import-boundary rule's spec (unit: it lints in memory) and the check of compose.yaml and the
// Dockerfile against the apps (unit: it reads the files, no Docker).
const besideTheCode = (suffix: string) => [`libs/**/*${suffix}`, `apps/**/*${suffix}`, `test/lint/**/*${suffix}`];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: besideTheCode('.spec.ts'),
          exclude: besideTheCode('.integration.spec.ts'),
          env: { SPEC_DIALECTS: 'sqlite' },
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: [...besideTheCode('.integration.spec.ts'), ...besideTheCode('.db.spec.ts')],
          env: { SPEC_DIALECTS: 'postgres' },
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
