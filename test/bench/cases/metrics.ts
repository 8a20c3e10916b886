import { exportMeteringLabels, type MeteringLabelTotals, MetricsRegistry } from '../../../libs/metrics/index.js';
import type { CaseResult } from '../runner.js';
import type { BenchCase, BenchContext, Target } from '../types.js';

const KEY = 'metrics.labels';
const LABELS = 1000;

/**
 * `GET /metrics` of the appliance as it is (agents, L3 hosting, pool, request histograms, process defaults), and the
 * cost of 1,000 metering labels' two counters: until the metering domain exists, the latter is measured in the bench
 * process on a registry with the process defaults and a provider returning 1,000 labels (the formatting and the
 * parser-facing text are the same code the appliance runs; the label query will add its own cost).
 */
function labelsRegistry(): MetricsRegistry {
  const metrics = new MetricsRegistry(true);
  metrics.collectProcessDefaults();
  const totals: MeteringLabelTotals[] = Array.from({ length: LABELS }, (_, i) => ({
    label_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    project_id: `${String(i % 50).padStart(32, '0')}`,
    pkts: i * 17,
    bytes: i * 17 * 1400,
  }));
  exportMeteringLabels(metrics, async () => totals);
  return metrics;
}

export const metricsCases: BenchCase[] = [
  {
    id: 'metrics.scrape',
    title: 'GET /metrics (no token), sequential',
    count: 200,
    concurrency: 1,
    request: () => ({ method: 'GET', path: '/metrics', token: null, expect: 200 }),
  },
  {
    id: 'metrics.scrape.1000-labels',
    title: 'metrics scrape with 1,000 metering labels, in-process (no HTTP)',
    count: 200,
    concurrency: 1,
    prepare: async (ctx: BenchContext) => {
      ctx.state.set(KEY, labelsRegistry());
    },
    exchange: async (ctx: BenchContext) => {
      const text = await (ctx.state.get(KEY) as MetricsRegistry).scrape();
      if (!text.includes(`label_id="00000000-0000-4000-8000-${String(LABELS - 1).padStart(12, '0')}"`)) throw new Error('a label is missing');
    },
    finish: async (ctx: BenchContext) => {
      ctx.state.delete(KEY);
    },
  },
];

/** The metering issue: /metrics with 1,000 labels answers in under 20 ms. */
export function metricsTargets(cases: CaseResult[]): Target[] {
  const c = cases.find((r) => r.id === 'metrics.scrape.1000-labels' && r.count > 0 && !r.failed);
  return [
    {
      id: 'metrics.scrape.1000-labels.p50',
      title: '/metrics with 1,000 labels p50 (in-process until metering exists)',
      unit: 'ms',
      limit: 20,
      measured: c ? c.p50Ms : null,
      met: c ? c.p50Ms < 20 : null,
      reference: '-',
    },
  ];
}
