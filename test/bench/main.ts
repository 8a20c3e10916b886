/**
 * `npm run bench`: starts the appliance as a child process on free ports with a fresh data dir, measures start-up,
 * identity and network requests, prints a table and writes JSON under bench-results/.
 *
 *   npm run bench                                   # SQLite
 *   npm run bench -- --postgres postgres://postgres@127.0.0.1:5432/test   # or BENCH_DATABASE_URL=...
 *   npm run bench -- --only network.create,network.list --scale 0.1
 *   npm run bench -- --compare postgres://postgres@127.0.0.1:5432/test   # SQLite, then PostgreSQL, side by side
 *
 * A fresh database is created next to the one the PostgreSQL URL names and dropped afterwards.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ApplianceProcess, freePort, type StartTiming } from './appliance.js';
import { allCases } from './cases/index.js';
import { listNetworkIds } from './cases/networks.js';
import { parseJson } from './http-client.js';
import { createTempDatabase, type TempDatabase } from './postgres.js';
import {
  type BenchReport,
  evaluateTargets,
  machineInfo,
  readCommit,
  renderComparison,
  renderText,
  type RestartResult,
  totalErrors,
  writeJson,
} from './report.js';
import { type CaseResult, runCase } from './runner.js';
import type { BenchContext } from './types.js';

const USAGE = `usage: node dist/test/bench/main.js [options]
  --postgres URL     run on PostgreSQL (a fresh database is created beside URL's and dropped after);
                     default: env BENCH_DATABASE_URL, else SQLite
  --compare URL      run on SQLite, then on PostgreSQL (as --postgres URL), and print PostgreSQL beside SQLite
  --only IDS         comma-separated case ids or id prefixes (e.g. network.create,token)
  --scale N          multiply every request count and the list size (e.g. 0.1 for a smoke run); default 1
  --out DIR          where JSON results go; default <repo>/bench-results
  --no-restart       skip the restart measurement
  --keep             keep the temporary data dir (and PostgreSQL database)
  --log-level LEVEL  the appliance's log level; default warn
  --entry FILE       the process to start; default: what \`npm start\` runs, dist/bundle/appliance.js
                     (else dist/apps/appliance/main.js, the unbundled tsc output)
  --list             list the cases and exit
Exit status: 0 when every request got its expected answer (targets missed or not: the bench reports, it does not
judge), 3 when some requests failed (results still written), 1 when the appliance could not be measured at all.`;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url)); // dist/test/bench → repository root
const ADMIN_PASSWORD = 'admin';
/** What `npm start` runs (the rolldown bundle), then the plain tsc output. */
const DEFAULT_ENTRIES = ['dist/bundle/appliance.js', 'dist/apps/appliance/main.js'];

function options() {
  const { values } = parseArgs({
    options: {
      postgres: { type: 'string' },
      compare: { type: 'string' },
      only: { type: 'string' },
      scale: { type: 'string', default: '1' },
      out: { type: 'string', default: join(ROOT, 'bench-results') },
      'no-restart': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'warn' },
      list: { type: 'boolean', default: false },
      entry: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const scale = Number(values.scale);
  if (!(scale > 0)) throw new Error(`--scale must be a positive number, got ${values.scale}`);
  return {
    postgres: values.postgres ?? process.env.BENCH_DATABASE_URL ?? '',
    compare: values.compare ?? '',
    only: values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : null,
    scale,
    out: values.out,
    restart: !values['no-restart'],
    keep: values.keep,
    logLevel: values['log-level'],
    list: values.list,
    entry: values.entry ?? DEFAULT_ENTRIES.map((p) => join(ROOT, p)).find((p) => existsSync(p)) ?? join(ROOT, DEFAULT_ENTRIES[0]),
    help: values.help,
  };
}

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main(): Promise<number> {
  const opts = options();
  const cases = allCases({ adminPassword: ADMIN_PASSWORD }).filter(
    (c) => !opts.only || opts.only.some((o) => c.id === o || c.id.startsWith(o.endsWith('.') ? o : `${o}.`)),
  );
  if (opts.help || opts.list) {
    process.stdout.write(opts.help ? `${USAGE}\n` : allCases({ adminPassword: ADMIN_PASSWORD }).map((c) => `${c.id}\t${c.title}\n`).join(''));
    return 0;
  }
  if (cases.length === 0) throw new Error(`--only ${opts.only?.join(',')} matches no case (see --list)`);
  if (!existsSync(opts.entry)) throw new Error(`${opts.entry} not found: run npm run build (npm run bench does)`);

  if (!opts.compare) return (await runOn(opts, opts.postgres, cases)).code;
  // One invocation, the same cases and load: SQLite first, then PostgreSQL.
  const sqlite = await runOn(opts, '', cases);
  const postgres = await runOn(opts, opts.compare, cases);
  if (sqlite.report && postgres.report) process.stdout.write(`\n${renderComparison(sqlite.report, postgres.report)}\n`);
  return Math.max(sqlite.code, postgres.code);
}

type Options = ReturnType<typeof options>;

async function runOn(opts: Options, postgresUrl: string, cases: ReturnType<typeof allCases>): Promise<{ code: number; report?: BenchReport }> {
  const entry = opts.entry;
  const dialect = postgresUrl ? 'postgres' : 'sqlite';
  const dataDir = mkdtempSync(join(os.tmpdir(), 'neutron-bench-'));
  let db: TempDatabase | undefined;
  let app: ApplianceProcess | undefined;
  const cleanup = async () => {
    await app?.stop().catch(() => undefined);
    if (opts.keep) {
      progress(`kept ${dataDir}${db ? ` and database ${db.name}` : ''}`);
      return;
    }
    await db?.drop().catch((e: unknown) => progress(`could not drop database ${db?.name}: ${(e as Error).message}`));
    rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    app?.kill();
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    if (postgresUrl) {
      db = await createTempDatabase(postgresUrl);
      progress(`PostgreSQL database ${db.name}`);
    }
    const [apiPort, identityPort] = await distinctPorts();
    app = new ApplianceProcess({
      entry,
      cwd: ROOT,
      dataDir,
      databaseUrl: db?.url ?? '',
      apiPort,
      identityPort,
      adminPassword: ADMIN_PASSWORD,
      logLevel: opts.logLevel,
    });
    progress(`starting ${relative(ROOT, entry)} (${dialect}, data dir ${dataDir}, API :${apiPort}, identity :${identityPort})`);
    const started = await app.start();
    progress(`first authenticated 200 after ${started.timing.firstAuthenticated200Ms.toFixed(0)} ms`);
    const afterStart = app.memory();

    const ctx: BenchContext = {
      api: app.api,
      identity: app.identity,
      token: started.token,
      projectId: started.projectId,
      scale: opts.scale,
      state: new Map(),
      log: progress,
    };
    for (let i = 0; i < 100; i++) await app.api.request('GET', '/v2.0/networks', { headers: { 'x-auth-token': ctx.token } }); // warm-up

    const results: CaseResult[] = [];
    for (const c of cases) {
      progress(`${c.id} ...`);
      const r = await runCase(ctx, c);
      progress(r.failed ? `${c.id}: did not run: ${r.failed}` : `${c.id}: ${r.count} ok, ${r.errors} errors, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.rps} req/s`);
      results.push(r);
    }
    const afterRun = app.memory();

    let restart: RestartResult | null = null;
    if (opts.restart) restart = await measureRestart(app, ctx);

    const report: BenchReport = {
      schema: 1,
      timestamp: new Date().toISOString(),
      dialect,
      entry: relative(ROOT, entry),
      scale: opts.scale,
      only: opts.only,
      machine: machineInfo(),
      commit: readCommit(ROOT),
      start: roundTiming(started.timing),
      memory: { afterStart, afterRun },
      cases: results,
      restart,
      targets: evaluateTargets(dialect, started.timing, results, afterRun),
    };
    process.stdout.write(renderText(report) + '\n');
    const written = writeJson(opts.out, report);
    process.stdout.write(`\nJSON: ${written.file}${written.latest ? ` (and ${written.latest})` : ''}\n`);
    return { code: totalErrors(report) ? 3 : 0, report };
  } catch (error) {
    progress(`failed: ${error instanceof Error ? error.message : String(error)}`);
    if (app) progress(`appliance output (last lines):\n${app.outputTail()}`);
    return { code: 1 };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

/** SIGTERM, start again on the same data: shutdown time, start time with data, and persistence of tokens and rows. */
async function measureRestart(app: ApplianceProcess, ctx: BenchContext): Promise<RestartResult> {
  progress('restart ...');
  const networksBefore = (await listNetworkIds(ctx)).length;
  const stopped = await app.stop();
  const again = await app.start();
  ctx.api = app.api;
  ctx.identity = app.identity;
  const old = await app.api.request('GET', '/v2.0/networks', { headers: { 'x-auth-token': ctx.token } });
  const res = await app.api.request('GET', '/v2.0/networks', { headers: { 'x-auth-token': again.token } });
  const networksAfter = res.status === 200 ? parseJson<{ networks: unknown[] }>(res).networks.length : -1;
  ctx.token = again.token;
  return {
    shutdownMs: Math.round(stopped.ms),
    gracefulShutdown: stopped.graceful,
    timing: roundTiming(again.timing),
    tokenSurvived: old.status === 200,
    networksBefore,
    networksAfter,
  };
}

function roundTiming(t: StartTiming): StartTiming {
  return { tokenMs: Math.round(t.tokenMs * 10) / 10, firstAuthenticated200Ms: Math.round(t.firstAuthenticated200Ms * 10) / 10 };
}

async function distinctPorts(): Promise<[number, number]> {
  const a = await freePort();
  let b = await freePort();
  while (b === a) b = await freePort();
  return [a, b];
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
