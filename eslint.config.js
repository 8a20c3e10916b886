// ESLint 9 flat config: @eslint/js + typescript-eslint recommended for the TypeScript in apps/, libs/, test/.
// `npm run lint` = `eslint . && tsc -p tsconfig.json --noEmit`: types are checked by tsc, so this config uses the
// fast, non-type-aware rule sets.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------------------------------
// The map of ../shared/ARCHITECTURE.md ("Layout"), enforced on every import, export and dynamic import
// (eslint-plugin-boundaries; imports resolved like tsc does, `.js` → `.ts`, by eslint-import-resolver-typescript).
//
//   apps/*                  → anything (they compose modules; apps/appliance reuses apps/neutron-server's module)
//   service plug-ins        → each other, plugin, api/policy/identity, rpc, bus, db, config
//     (libs/<x> not named below: security-groups, quotas, dhcp-scheduler, agents-api, nova-notifier,
//      availability-zones, and the coming l3, metering, …)
//   libs/plugin             → api/policy/identity, rpc, bus, db, config
//   libs/api, libs/policy, libs/identity → each other, bus, db, config
//   libs/rpc                → bus (the versioned RPC contracts both sides import: types and topic names only)
//   libs/bus                → config only. The bus sits below the plug-in and api/policy/identity and above
//                             db/config, but never imports db: the agents import the bus, and an agent never
//                             touches the database.
//   libs/db                 → metrics, config
//   libs/metrics            → config (the process's metrics registry: every layer, agents included, may count)
//   libs/config             → nothing of ours
//   libs/dataplane          → config
//   libs/agents/**          → bus, dataplane, config, metrics, rpc and libs/agents itself (no database driver either)
//   test/**                 → anything
// No library imports an app. Specs and testing/ helpers beside the code follow their folder's rule; a spec may also use
// the shared in-process harness in test/support. There are no exceptions: a file that breaks the map fails lint.
// ---------------------------------------------------------------------------------------------------------------------

const ELEMENTS = [
  { type: 'app', pattern: 'apps/*', capture: ['app'] },
  { type: 'test', pattern: 'test' },
  { type: 'agents', pattern: 'libs/agents' },
  { type: 'rpc', pattern: 'libs/rpc' },
  { type: 'bus', pattern: 'libs/bus' },
  { type: 'dataplane', pattern: 'libs/dataplane' },
  { type: 'plugin', pattern: 'libs/plugin' },
  { type: 'core', pattern: 'libs/(api|policy|identity)', capture: ['lib'] },
  { type: 'db', pattern: 'libs/db' },
  { type: 'metrics', pattern: 'libs/metrics' },
  { type: 'config', pattern: 'libs/config' },
  // Last, so it takes every other libs/<x>: a service plug-in.
  { type: 'service-plugin', pattern: 'libs/*', capture: ['service'] },
].map((e) => ({ ...e, partialMatch: false }));

const element = (...types) => ({ to: { element: { types: { anyOf: types } } } });

/** Who may import whom; anything not allowed here is an error. */
const LAYERS = [
  { from: 'app', allow: ['app', 'service-plugin', 'plugin', 'core', 'rpc', 'bus', 'db', 'metrics', 'config', 'dataplane', 'agents'] },
  { from: 'test', allow: ['test', 'app', 'service-plugin', 'plugin', 'core', 'rpc', 'bus', 'db', 'metrics', 'config', 'dataplane', 'agents'] },
  { from: 'service-plugin', allow: ['service-plugin', 'plugin', 'core', 'rpc', 'bus', 'db', 'metrics', 'config'] },
  { from: 'plugin', allow: ['plugin', 'core', 'rpc', 'bus', 'db', 'metrics', 'config'] },
  { from: 'core', allow: ['core', 'bus', 'db', 'metrics', 'config'] },
  { from: 'rpc', allow: ['rpc', 'bus'] },
  { from: 'bus', allow: ['bus', 'config'] },
  { from: 'db', allow: ['db', 'metrics', 'config'] },
  { from: 'metrics', allow: ['metrics', 'config'] },
  { from: 'config', allow: ['config'] },
  { from: 'dataplane', allow: ['dataplane', 'config'] },
  { from: 'agents', allow: ['agents', 'rpc', 'bus', 'dataplane', 'metrics', 'config'] },
];

/** Packages that reach a database: an agent never touches it. */
const DATABASE_PACKAGES = ['typeorm', 'typeorm/**', 'pg', 'better-sqlite3'];

const boundaryRules = {
  'boundaries/dependencies': [
    'error',
    {
      default: 'disallow',
      // Packages and Node's built-ins too (allowed below for everyone but an agent reaching for a database driver).
      checkAllOrigins: true,
      message: 'the map (ARCHITECTURE.md, Layout) does not allow {{from.type}} to import {{to.type}}',
      policies: [
        // Policies are read in order and the last one that matches decides.
        // Packages and Node's built-ins: anyone, except database drivers in agents.
        { allow: { to: { module: { origin: ['external', 'core'] } } } },
        { from: { element: { type: 'agents' } }, disallow: { to: { module: { source: DATABASE_PACKAGES } } } },
        ...LAYERS.map(({ from, allow }) => ({ from: { element: { type: from } }, allow: element(...allow) })),
        // A spec beside the code may use the shared test harness (test/support): it drives the whole server in-process.
        { from: { file: { path: '**/*.spec.ts' } }, allow: { to: { file: { path: 'test/support/**' } } } },
      ],
    },
  ],
  // Every file under apps/, libs/ and test/ belongs to an element, and every relative import resolves to one.
  'boundaries/no-unknown-files': 'error',
  'boundaries/no-unknown-dependencies': 'error',
};

export default defineConfig(
  {
    ignores: ['dist/**', 'node_modules/**', 'bench-results/**', 'coverage/**', 'data/**'],
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts', '*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
    },
    rules: {
      // tsc (strict) already reports undefined names, Node's globals included.
      'no-undef': 'off',
      // The API engine reproduces Python's character classes (str.isspace() includes \x1c-\x1f) on purpose.
      'no-control-regex': 'off',
      // Unused is an error, except deliberate placeholders: `_arg`, `_` in destructuring, `catch (_e)`, rest siblings.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // TODO(owner of libs/identity): `if (…) out.push(…), seen.add(key);` uses the comma operator as a statement;
    // write it as a block and drop this override.
    files: ['libs/identity/services/assignment-list.service.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': ELEMENTS,
      'boundaries/elements-single-match': true,
      'import/resolver': { typescript: { project: 'tsconfig.json' } },
    },
    rules: boundaryRules,
  },
);
