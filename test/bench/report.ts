import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { MemoryInfo, StartTiming } from './appliance.js';
import { dhcpTargets } from './cases/dhcp.js';
import { identityTargets } from './cases/identity.js';
import { l3Targets } from './cases/l3.js';
import { l3LinuxTargets } from './cases/l3-linux.js';
import { meteringTargets } from './cases/metering.js';
import { routerTargets } from './cases/routers.js';
import { metricsTargets } from './cases/metrics.js';
import type { CaseResult } from './runner.js';
import { round } from './stats.js';
import type { Target } from './types.js';

export interface RestartResult {
  shutdownMs: number;
  gracefulShutdown: boolean;
  /** spawn → first authenticated 200 on the data the run left behind. */
  timing: StartTiming;
  /** A token issued before the restart still authenticates after it. */
  tokenSurvived: boolean;
  networksBefore: number;
  networksAfter: number;
}

export interface BenchReport {
  schema: 1;
  timestamp: string;
  dialect: 'sqlite' | 'postgres';
  /** The script started, relative to the repository root. */
  entry: string;
  scale: number;
  only: string[] | null;
  machine: { node: string; platform: string; cpus: number; cpuModel: string; memTotalMb: number; loadavg: number[] };
  commit: string | null;
  start: StartTiming;
  memory: { afterStart: MemoryInfo | null; afterRun: MemoryInfo | null };
  cases: CaseResult[];
  restart: RestartResult | null;
  targets: Target[];
}

export function machineInfo(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memTotalMb: Math.round(os.totalmem() / 2 ** 20),
    loadavg: os.loadavg().map((l) => round(l, 2)),
  };
}

/** The checked-out commit, read from .git without running git (best effort). */
export function readCommit(root: string): string | null {
  try {
    const head = readFileSync(join(root, '.git/HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    const loose = join(root, '.git', ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
    const packed = readFileSync(join(root, '.git/packed-refs'), 'utf8');
    return packed.split('\n').find((l) => l.endsWith(` ${ref}`))?.split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * Issue 14's limits: part 5 for SQLite (the core path, near the machine's limit), part 1 for PostgreSQL. Where one
 * dialect's limit is not named there, the older issues' limit stays.
 */
const LIMITS = {
  sqlite: { networkCreateP50: 1, portRate: 1900, portP99: 15, list1000P50: 13, startMs: 500 },
  postgres: { networkCreateP50: 3, portRate: 1000, portP99: 20, list1000P50: 25, startMs: 1000 },
} as const;
type Limits = (typeof LIMITS)[keyof typeof LIMITS];

/** The targets, with real Neutron + Keystone on this machine type and this run's floor beside them. */
export function evaluateTargets(
  dialect: BenchReport['dialect'],
  start: StartTiming,
  cases: CaseResult[],
  afterRun: MemoryInfo | null,
): Target[] {
  const limits = LIMITS[dialect];
  const target = (t: Omit<Target, 'met'>): Target => ({ ...t, met: t.measured === null ? null : t.measured < t.limit });
  const createSeq = cases.find((c) => c.id === 'network.create.seq');
  const health = measured(cases, 'http.healthcheck');
  return [
    target({
      id: 'network.create.seq.p50',
      title: 'network create p50, sequential',
      unit: 'ms',
      limit: limits.networkCreateP50,
      measured: createSeq && createSeq.count > 0 ? createSeq.p50Ms : null,
      reference: '83 ms',
      floor: health ? `healthcheck p50 ${fmt(health.p50Ms)} ms` : undefined,
    }),
    ...portTargets(cases, limits),
    ...dhcpTargets(cases),
    ...identityTargets(cases),
    ...routerTargets(cases),
    ...l3Targets(cases),
    ...l3LinuxTargets(cases),
    ...metricsTargets(cases),
    ...meteringTargets(cases),
    target({ id: 'rss.after-run', title: 'appliance RSS after the run', unit: 'MB', limit: 150, measured: afterRun ? round(afterRun.rssMb, 1) : null, reference: '~1.3 GB' }),
    target({
      id: 'start.first-authenticated-200',
      title: 'start to first authenticated 200',
      unit: 'ms',
      limit: limits.startMs,
      measured: round(start.firstAuthenticated200Ms, 1),
      reference: '6.6 s',
    }),
  ];
}

/** A case that ran and answered. */
function measured(cases: CaseResult[], id: string): CaseResult | undefined {
  return cases.find((c) => c.id === id && c.count > 0 && !c.failed);
}

function table(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fmt = (n: number | null | undefined, digits = 2) => (n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits));

export function renderText(r: BenchReport): string {
  const out: string[] = [];
  out.push(
    `neutron-appliance bench: ${r.entry} on ${r.dialect}, ${r.timestamp}, node ${r.machine.node}, ${r.machine.cpus} x ${r.machine.cpuModel}` +
      (r.scale !== 1 ? `, scale ${r.scale}` : '') +
      (r.commit ? `, commit ${r.commit.slice(0, 12)}` : ''),
  );
  out.push('');
  out.push(
    table(
      ['case', 'n', 'conc', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors'],
      r.cases.map((c) => [c.title, String(c.count), String(c.concurrency), fmt(c.rps, 0), fmt(c.p50Ms), fmt(c.p90Ms), fmt(c.p99Ms), fmt(c.maxMs), String(c.errors)]),
      [false, true, true, true, true, true, true, true, true],
    ),
  );
  for (const c of r.cases.filter((c) => c.errorSamples.length)) {
    out.push(c.failed ? `  ${c.id}: did not run: ${c.failed}` : `  ${c.id}: ${c.errors} errors, e.g. ${c.errorSamples[0]}`);
  }
  const errors = totalErrors(r);
  if (errors) out.push(`WARNING: ${errors} requests failed; the figures of those cases are not comparable.`);
  out.push('');
  const mem = (m: MemoryInfo | null) => (m ? `${fmt(m.rssMb, 1)} MB (peak ${fmt(m.peakRssMb, 1)} MB)` : '-');
  out.push(`start: token after ${fmt(r.start.tokenMs, 0)} ms, first authenticated 200 after ${fmt(r.start.firstAuthenticated200Ms, 0)} ms`);
  out.push(`RSS: after start ${mem(r.memory.afterStart)}, after the run ${mem(r.memory.afterRun)}`);
  if (r.restart) {
    const x = r.restart;
    out.push(
      `restart: SIGTERM shutdown ${fmt(x.shutdownMs, 0)} ms${x.gracefulShutdown ? '' : ' (NOT graceful: killed)'}, ` +
        `first authenticated 200 after ${fmt(x.timing.firstAuthenticated200Ms, 0)} ms; networks ${x.networksBefore} -> ${x.networksAfter}; ` +
        `token survived: ${x.tokenSurvived ? 'yes' : 'NO'}`,
    );
  }
  out.push('');
  out.push(
    table(
      ['target', 'limit', 'measured', 'met', 'real Neutron', 'floor (this run)'],
      r.targets.map((t) => [
        t.title,
        `${t.comparison ?? '<'} ${t.limit} ${t.unit}`,
        t.measured === null ? '-' : `${fmt(t.measured, t.unit === 'ms' ? 2 : 1)} ${t.unit}`,
        t.met === null ? 'n/a' : t.met ? 'yes' : 'NO',
        t.reference,
        t.floor ?? '',
      ]),
      [false, true, true, false, true, false],
    ),
  );
  return out.join('\n');
}

/** The share of SQLite's port-create rate PostgreSQL must reach under the same load. */
const POSTGRES_RATE_SHARE = 0.75;

/**
 * PostgreSQL beside SQLite, case by case, from one `--compare` run: the rate ratio (PostgreSQL / SQLite) and p50s, and
 * whether PostgreSQL's port-create rate reaches its share of SQLite's.
 */
export function renderComparison(sqlite: BenchReport, postgres: BenchReport): string {
  const byId = new Map(postgres.cases.map((c) => [c.id, c]));
  const rows = sqlite.cases.flatMap((s) => {
    const p = byId.get(s.id);
    if (!p || s.failed || p.failed) return [];
    return [[s.title, fmt(s.rps, 0), fmt(p.rps, 0), fmt(p.rps / s.rps), fmt(s.p50Ms), fmt(p.p50Ms), fmt(s.p99Ms), fmt(p.p99Ms)]];
  });
  const out = [
    `PostgreSQL beside SQLite (same cases, same load, one run; commit ${sqlite.commit?.slice(0, 12) ?? '-'})`,
    '',
    table(['case', 'SQLite req/s', 'PG req/s', 'PG/SQLite', 'SQLite p50', 'PG p50', 'SQLite p99', 'PG p99'], rows, [false, true, true, true, true, true, true, true]),
  ];
  const s = sqlite.cases.find((c) => c.id === 'port.create.c8.first');
  const p = byId.get('port.create.c8.first');
  if (s && p && !s.failed && !p.failed) {
    const share = p.rps / s.rps;
    out.push('', `port create c8: PostgreSQL at ${fmt(share * 100, 0)}% of SQLite's rate (target >= ${POSTGRES_RATE_SHARE * 100}%): ${share >= POSTGRES_RATE_SHARE ? 'met' : 'NOT met'}`);
  }
  return out.join('\n');
}

/**
 * bench-results/<timestamp>-<dialect>.json, plus latest-<dialect>.json for clean full runs (all cases, scale 1, no errors):
 * the timestamped files are ignored by git, the latest-*.json are committed next to the README's figures.
 */
export function writeJson(dir: string, r: BenchReport): { file: string; latest: string | null } {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${r.timestamp.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}-${r.dialect}.json`);
  writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  let latest: string | null = null;
  if (r.scale === 1 && r.only === null && totalErrors(r) === 0) {
    latest = join(dir, `latest-${r.dialect}.json`);
    copyFileSync(file, latest);
  }
  return { file, latest };
}

export function totalErrors(r: BenchReport): number {
  return r.cases.reduce((n, c) => n + c.errors, 0);
}

/** The port targets (issue 4, then issue 14's limits), with real Neutron on this machine type for scale. */
function portTargets(cases: CaseResult[], limits: Limits): Target[] {
  const first = measured(cases, 'port.create.c8.first');
  const after = measured(cases, 'port.create.c8.after10k');
  const list = measured(cases, 'port.list.first');
  const health = measured(cases, 'http.healthcheck.c8');
  const json = measured(cases, 'port.list.first.json');
  const below = (t: Omit<Target, 'met'>): Target => ({ ...t, met: t.measured === null ? null : t.measured < t.limit });
  return [
    {
      id: 'port.create.c8.rps',
      title: 'port create c8, ports/s',
      unit: '/s',
      limit: limits.portRate,
      comparison: '>=',
      measured: first ? round(first.rps, 0) : null,
      met: first ? first.rps >= limits.portRate : null,
      reference: '5 /s',
      floor: health ? `healthcheck c8 ${fmt(health.rps, 0)} /s` : undefined,
    },
    below({
      id: 'port.create.c8.p99',
      title: 'port create c8 p99',
      unit: 'ms',
      limit: limits.portP99,
      measured: first ? first.p99Ms : null,
      reference: '-',
      floor: health ? `healthcheck c8 p99 ${fmt(health.p99Ms)} ms` : undefined,
    }),
    below({
      id: 'port.list.1000.p50',
      title: 'list of 1,000 ports p50',
      unit: 'ms',
      limit: limits.list1000P50,
      measured: list ? list.p50Ms : null,
      reference: '520 ms',
      floor: json ? `JSON encoding p50 ${fmt(json.p50Ms)} ms` : undefined,
    }),
    {
      id: 'port.create.after10k.vs.first',
      title: 'port create p50 after 10,000 / first 1,000',
      unit: 'x',
      limit: 1.25,
      comparison: '<=',
      measured: first && after ? round(after.p50Ms / first.p50Ms, 2) : null,
      met: first && after ? after.p50Ms / first.p50Ms <= 1.25 : null,
      reference: '-',
    },
  ];
}
