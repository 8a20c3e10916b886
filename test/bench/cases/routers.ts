import { parseJson } from '../http-client.js';
import { call, type CaseResult } from '../runner.js';
import type { BenchCase, BenchContext, Target } from '../types.js';

/**
 * Issue 11's L3 API figures, over HTTP against the appliance (its L3 agent running, as a user has it): router create,
 * and add interface by subnet. Each added interface is a new router port on its own subnet.
 */
const ROUTERS = 'routers.ids';
const SUBNETS = 'routers.subnets';
const INTERFACE_ROUTERS = 20;

async function liftQuotas(ctx: BenchContext): Promise<void> {
  if (ctx.state.get('routers.quota-lifted')) return;
  const quota = { router: -1, network: -1, subnet: -1, port: -1 };
  await call(ctx, { method: 'PUT', path: `/v2.0/quotas/${ctx.projectId}`, body: { quota }, expect: 200 });
  ctx.state.set('routers.quota-lifted', true);
}

async function createRouter(ctx: BenchContext, name: string): Promise<string> {
  const res = await call(ctx, { method: 'POST', path: '/v2.0/routers', body: { router: { name } }, expect: 201 });
  return parseJson<{ router: { id: string } }>(res).router.id;
}

/** `count` networks with one /28 subnet each (untimed), 8 at a time; 10.128.0.0/9 is outside the other cases' ranges. */
async function createSubnets(ctx: BenchContext, count: number): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const net = await call(ctx, { method: 'POST', path: '/v2.0/networks', body: { network: { name: `bench-rif-${i}` } }, expect: 201 });
      const networkId = parseJson<{ network: { id: string } }>(net).network.id;
      const base = 0x0a800000 + i * 16;
      const cidr = `${[24, 16, 8, 0].map((s) => (base >>> s) & 0xff).join('.')}/28`;
      const subnet = { network_id: networkId, cidr, ip_version: 4 };
      const res = await call(ctx, { method: 'POST', path: '/v2.0/subnets', body: { subnet }, expect: 201 });
      ids[i] = parseJson<{ subnet: { id: string } }>(res).subnet.id;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

export const routerCases: BenchCase[] = [
  {
    id: 'router.create.seq',
    title: 'router create, sequential',
    count: 300,
    concurrency: 1,
    prepare: (ctx) => liftQuotas(ctx),
    request: (_ctx, i) => ({ method: 'POST', path: '/v2.0/routers', body: { router: { name: `bench-router-${i}` } }, expect: 201 }),
  },
  {
    id: 'router.add-interface.seq',
    title: `router add interface (subnet), sequential, over ${INTERFACE_ROUTERS} routers`,
    count: 200,
    concurrency: 1,
    prepare: async (ctx, count) => {
      await liftQuotas(ctx);
      const routers: string[] = [];
      for (let i = 0; i < INTERFACE_ROUTERS; i++) routers.push(await createRouter(ctx, `bench-rif-router-${i}`));
      ctx.state.set(ROUTERS, routers);
      ctx.state.set(SUBNETS, await createSubnets(ctx, count));
    },
    request: (ctx, i) => {
      const routers = ctx.state.get(ROUTERS) as string[];
      const subnets = ctx.state.get(SUBNETS) as string[];
      return { method: 'PUT', path: `/v2.0/routers/${routers[i % routers.length]}/add_router_interface`, body: { subnet_id: subnets[i] }, expect: 200 };
    },
    check: (_ctx, _i, res) => {
      if (!parseJson<{ port_id?: string }>(res).port_id) throw new Error('no port_id in the answer');
    },
    finish: async (ctx) => {
      ctx.state.delete(ROUTERS);
      ctx.state.delete(SUBNETS);
    },
  },
];

/** Issue 11: router create p50 < 3 ms, add interface p50 < 10 ms. */
export function routerTargets(cases: CaseResult[]): Target[] {
  const p50 = (id: string) => {
    const c = cases.find((r) => r.id === id && r.count > 0 && !r.failed);
    return c ? c.p50Ms : null;
  };
  const target = (id: string, title: string, limit: number): Target => {
    const measured = p50(id);
    return { id: `${id}.p50`, title, unit: 'ms', limit, measured, met: measured === null ? null : measured < limit, reference: '-' };
  };
  return [target('router.create.seq', 'router create p50, sequential', 3), target('router.add-interface.seq', 'router add interface p50, sequential', 10)];
}
