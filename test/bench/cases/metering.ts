import { pino } from 'pino';
import type { Bus } from '../../../libs/bus/bus.contract.js';
import { createBus } from '../../../libs/bus/index.js';
import { SimulatedMeteringDriver } from '../../../libs/agents/metering/drivers/simulated-metering-driver.js';
import { MeteringAgent } from '../../../libs/agents/metering/metering-agent.js';
import { meterLabel, meterLabelId, meterRouter, meterRouterId } from '../../../libs/agents/metering/testing/metered-routers.js';
import { PLUGIN_TOPIC, REPORTS_TOPIC } from '../../../libs/rpc/agent-state.contract.js';
import {
  L3_METER_EVENT,
  METERING_NOTIFICATIONS_TOPIC,
  type MeteringLabelInfo,
  type MeteringLabelsRequest,
  type MeteringRouterInfo,
  type MeteringRoutersRequest,
} from '../../../libs/rpc/metering-agent.contract.js';
import type { CaseResult } from '../runner.js';
import type { BenchCase, BenchContext, Target } from '../types.js';

/**
 * The metering agent's read of its counters (issue 12, part 6): 1,000 labels on 100 routers (10 each, two rules
 * each: each router in a project of its own, with its 10 labels), simulated counters fed before every read, the agent
 * synced from a stand-in server on the in-process bus.
 * One exchange = one read of every router's counters, added up per label (what each measure_interval does).
 */
const KEY = 'metering.bench';
const ROUTERS = 100;
const LABELS_PER_ROUTER = 10;
const HOST = 'bench-metering';

interface MeteringBench {
  bus: Bus;
  agent: MeteringAgent;
  driver: SimulatedMeteringDriver;
}

const project = (r: number) => `bench-metering-p${r}`;

function routers(): MeteringRouterInfo[] {
  return Array.from({ length: ROUTERS }, (_, r) => meterRouter(meterRouterId(r + 1), { project_id: project(r) }));
}

function meterLabels(): MeteringLabelInfo[] {
  return Array.from({ length: ROUTERS * LABELS_PER_ROUTER }, (_, n) =>
    meterLabel(
      meterLabelId(n + 1),
      [
        { direction: 'egress', destination_ip_prefix: '0.0.0.0/0' },
        { direction: 'egress', destination_ip_prefix: '10.0.0.0/8', excluded: true },
      ],
      { project_id: project(Math.floor(n / LABELS_PER_ROUTER)) },
    ),
  );
}

/** metering_rpc's keyset pages over items in id order. */
function page<T extends { id: string }>(items: T[], req: { after?: string; limit?: number }): { items: T[]; next: string | null } {
  const rest = req.after === undefined ? items : items.filter((i) => i.id > req.after!);
  const size = req.limit ?? 500;
  return rest.length > size ? { items: rest.slice(0, size), next: rest[size - 1].id } : { items: rest, next: null };
}

async function start(ctx: BenchContext): Promise<void> {
  await stop(ctx);
  const silent = pino({ level: 'silent' });
  const bus = createBus({ bus: { transport: 'in-process', redis_url: 'redis://127.0.0.1:6379', redis_prefix: 'bench', rpc_timeout_ms: 10_000 } }, silent);
  const allRouters = routers();
  const allLabels = meterLabels();
  await bus.subscribe(REPORTS_TOPIC, { report_state: () => 'alive' });
  await bus.subscribe(PLUGIN_TOPIC, {
    get_metering_labels: (p) => {
      const { items, next } = page(allLabels, p as MeteringLabelsRequest);
      return { labels: items, next };
    },
    get_metering_routers: (p) => {
      const { items, next } = page(allRouters, p as MeteringRoutersRequest);
      return { routers: items, next };
    },
  });
  await bus.subscribe(METERING_NOTIFICATIONS_TOPIC, { [L3_METER_EVENT]: () => undefined });
  const driver = new SimulatedMeteringDriver();
  const agent = new MeteringAgent({
    host: HOST,
    bus,
    driver,
    reportIntervalSeconds: 3600,
    measureIntervalSeconds: 3600,
    meterReportIntervalSeconds: 3600,
    log: silent,
  });
  await agent.start();
  for (let i = 0; i < 200 && agent.routers().size < ROUTERS; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  await agent.idle();
  const labels = new Set([...agent.routers().values()].flatMap((r) => r.labels.map((l) => l.id)));
  if (labels.size !== ROUTERS * LABELS_PER_ROUTER) throw new Error(`the agent holds ${labels.size} labels, not ${ROUTERS * LABELS_PER_ROUTER}`);
  ctx.state.set(KEY, { bus, agent, driver } satisfies MeteringBench);
}

async function stop(ctx: BenchContext): Promise<void> {
  const bench = ctx.state.get(KEY) as MeteringBench | undefined;
  if (!bench) return;
  ctx.state.delete(KEY);
  await bench.agent.stop();
  await bench.bus.close();
}

async function read(ctx: BenchContext): Promise<void> {
  const { agent, driver } = ctx.state.get(KEY) as MeteringBench;
  const known = [...agent.routers().values()];
  for (const router of known) for (const label of router.labels) driver.count(router.router_id, label.id, 5, 640);
  await agent.measureRouters(known);
}

export const meteringCases: BenchCase[] = [
  {
    id: 'metering.read.1000x100',
    title: 'metering agent read, 1,000 labels on 100 routers (simulated)',
    count: 50,
    concurrency: 1,
    prepare: (ctx) => start(ctx),
    exchange: (ctx) => read(ctx),
    finish: (ctx) => stop(ctx),
  },
];

/** Issue 12: the agent's read of 1,000 labels on 100 routers under 100 ms. */
export function meteringTargets(cases: CaseResult[]): Target[] {
  const c = cases.find((r) => r.id === 'metering.read.1000x100' && r.count > 0 && !r.failed);
  return [
    {
      id: 'metering.read.1000x100.p50',
      title: 'metering read 1,000 labels on 100 routers p50',
      unit: 'ms',
      limit: 100,
      measured: c ? c.p50Ms : null,
      met: c ? c.p50Ms < 100 : null,
      reference: '-',
    },
  ];
}
