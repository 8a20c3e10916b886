import { pino } from 'pino';
import type { Bus } from '../../../libs/bus/bus.contract.js';
import { createBus } from '../../../libs/bus/index.js';
import { compileRouter } from '../../../libs/agents/l3/core/router-state.js';
import { SimulatedL3Driver } from '../../../libs/agents/l3/drivers/simulated-l3-driver.js';
import { L3Agent } from '../../../libs/agents/l3/l3-agent.js';
import { makeRouter } from '../../../libs/agents/l3/testing/routers.js';
import { PLUGIN_TOPIC, REPORTS_TOPIC } from '../../../libs/rpc/agent-state.contract.js';
import type { L3RouterInfo } from '../../../libs/rpc/l3-agent.contract.js';
import type { CaseResult } from '../runner.js';
import type { BenchCase, BenchContext, Target } from '../types.js';

/**
 * Issue 11's L3 agent figures, in the bench process: the agent with the `simulated` driver against a stand-in server
 * on the in-process bus (the server side of sync_routers is measured on its own, once it exists). One resync = a new
 * agent started until it built every router and reported the floating IPs ACTIVE.
 */
const KEY = 'l3.bench';
const ROUTERS = 1000;
const FIPS = 10;
const HOST = 'bench-l3';

interface L3Bench {
  bus: Bus;
  routers: L3RouterInfo[];
  synced: (() => void) | null;
}

async function start(ctx: BenchContext): Promise<void> {
  await stop(ctx);
  const silent = pino({ level: 'silent' });
  const bus = createBus({ bus: { transport: 'in-process', redis_url: 'redis://127.0.0.1:6379', redis_prefix: 'bench', rpc_timeout_ms: 10_000 } }, silent);
  const bench: L3Bench = { bus, routers: Array.from({ length: ROUTERS }, (_, n) => makeRouter({ n: n + 1, interfaces: 2, fips: FIPS })), synced: null };
  await bus.subscribe(REPORTS_TOPIC, { report_state: () => 'alive' });
  await bus.subscribe(PLUGIN_TOPIC, {
    sync_routers: () => {
      bench.synced?.();
      return bench.routers;
    },
    update_floatingip_statuses: () => undefined,
  });
  ctx.state.set(KEY, bench);
}

async function stop(ctx: BenchContext): Promise<void> {
  const bench = ctx.state.get(KEY) as L3Bench | undefined;
  if (!bench) return;
  ctx.state.delete(KEY);
  await bench.bus.close();
}

async function resync(ctx: BenchContext): Promise<void> {
  const bench = ctx.state.get(KEY) as L3Bench;
  const driver = new SimulatedL3Driver();
  const agent = new L3Agent({ host: HOST, bus: bench.bus, driver, reportIntervalSeconds: 3600 });
  const asked = new Promise<void>((resolve) => (bench.synced = resolve));
  await agent.start();
  await asked;
  await agent.idle();
  const built = driver.routers().length;
  await agent.stop();
  if (built !== ROUTERS) throw new Error(`built ${built} routers of ${ROUTERS}`);
}

const COMPILE_KEY = 'l3.bench.compile';

export const l3Cases: BenchCase[] = [
  {
    id: 'l3.resync.1000x10',
    title: 'L3 agent full resync, 1,000 routers × 10 FIPs (simulated)',
    count: 5,
    concurrency: 1,
    prepare: (ctx) => start(ctx),
    exchange: (ctx) => resync(ctx),
    finish: (ctx) => stop(ctx),
  },
  {
    id: 'l3.compile-router',
    title: 'L3 core: compile one router (2 interfaces, 10 FIPs)',
    count: 20_000,
    concurrency: 1,
    prepare: async (ctx) => {
      ctx.state.set(COMPILE_KEY, Array.from({ length: ROUTERS }, (_, n) => makeRouter({ n: n + 1, interfaces: 2, fips: FIPS })));
    },
    exchange: async (ctx, i) => {
      const routers = ctx.state.get(COMPILE_KEY) as L3RouterInfo[];
      if (!compileRouter(routers[i % ROUTERS])) throw new Error('the router did not compile');
    },
    finish: async (ctx) => {
      ctx.state.delete(COMPILE_KEY);
    },
  },
];

/** Issue 11: a full resync of 1,000 routers × 10 FIPs under 2 s. */
export function l3Targets(cases: CaseResult[]): Target[] {
  const c = cases.find((r) => r.id === 'l3.resync.1000x10' && r.count > 0 && !r.failed);
  return [
    {
      id: 'l3.resync.1000x10.p50',
      title: 'L3 agent full resync 1,000 routers × 10 FIPs p50',
      unit: 'ms',
      limit: 2000,
      measured: c ? c.p50Ms : null,
      met: c ? c.p50Ms < 2000 : null,
      reference: 'minutes to hours (Neutron)',
    },
  ];
}
