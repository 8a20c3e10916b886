import { parseJson } from '../http-client.js';
import { call, type CaseResult } from '../runner.js';
import type { BenchCase, BenchContext, Target } from '../types.js';

const LABELS = 1000;
const LABEL_IDS = 'metrics.label-ids';

/**
 * 1,000 metering labels made through the API (untimed), 8 at a time; each exports two counters on /metrics. They
 * belong to the admin's project, so they apply to the routers the earlier cases made there (320 in a full run): the
 * appliance's metering agent meters each label on each of them while /metrics is scraped.
 */
async function createLabels(ctx: BenchContext): Promise<void> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < LABELS; i = next++) {
      const res = await call(ctx, { method: 'POST', path: '/v2.0/metering/metering-labels', body: { metering_label: { name: `bench-label-${i}` } }, expect: 201 });
      ids.push(parseJson<{ metering_label: { id: string } }>(res).metering_label.id);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  ctx.state.set(LABEL_IDS, ids);
}

async function deleteLabels(ctx: BenchContext): Promise<void> {
  const ids = (ctx.state.get(LABEL_IDS) as string[] | undefined) ?? [];
  ctx.state.delete(LABEL_IDS);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < ids.length; i = next++) await call(ctx, { method: 'DELETE', path: `/v2.0/metering/metering-labels/${ids[i]}`, expect: 204 });
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** `GET /metrics` of the appliance as it is (agents, L3 hosting, pool, request histograms, process defaults), then with 1,000 metering labels. */
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
    title: 'GET /metrics with 1,000 metering labels, sequential',
    count: 200,
    concurrency: 1,
    prepare: (ctx) => createLabels(ctx),
    request: () => ({ method: 'GET', path: '/metrics', token: null, expect: 200 }),
    check: (ctx, _i, res) => {
      const ids = ctx.state.get(LABEL_IDS) as string[];
      if (!res.body.includes(`label_id="${ids[ids.length - 1]}"`)) throw new Error('a label is missing');
    },
    finish: (ctx) => deleteLabels(ctx),
  },
];

/** The metering issue: /metrics with 1,000 labels answers in under 20 ms. */
export function metricsTargets(cases: CaseResult[]): Target[] {
  const c = cases.find((r) => r.id === 'metrics.scrape.1000-labels' && r.count > 0 && !r.failed);
  return [
    {
      id: 'metrics.scrape.1000-labels.p50',
      title: '/metrics with 1,000 metering labels p50',
      unit: 'ms',
      limit: 20,
      measured: c ? c.p50Ms : null,
      met: c ? c.p50Ms < 20 : null,
      reference: '-',
    },
  ];
}
