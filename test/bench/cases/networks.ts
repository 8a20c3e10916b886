import { parseJson } from '../http-client.js';
import { call, scaled } from '../runner.js';
import type { BenchCase, BenchContext } from '../types.js';

const IDS = 'networks.ids'; // ids of networks made by these cases, oldest first

function knownIds(ctx: BenchContext): string[] {
  let ids = ctx.state.get(IDS) as string[] | undefined;
  if (!ids) ctx.state.set(IDS, (ids = []));
  return ids;
}

/** The default quota is 100 networks: lift it for the admin project (once). */
export async function ensureUnlimitedNetworkQuota(ctx: BenchContext): Promise<void> {
  if (ctx.state.get('networks.quota-lifted')) return;
  await call(ctx, { method: 'PUT', path: `/v2.0/quotas/${ctx.projectId}`, body: { quota: { network: -1 } }, expect: 200 });
  ctx.state.set('networks.quota-lifted', true);
}

export async function listNetworkIds(ctx: BenchContext): Promise<string[]> {
  const res = await call(ctx, { method: 'GET', path: '/v2.0/networks', expect: 200 });
  return parseJson<{ networks: { id: string }[] }>(res).networks.map((n) => n.id);
}

/** Makes the admin's network list exactly `n` long (untimed: creates 8 at a time, or deletes the surplus). */
export async function ensureNetworks(ctx: BenchContext, n: number): Promise<string[]> {
  const ids = await listNetworkIds(ctx);
  if (ids.length > n) {
    const surplus = ids.splice(n);
    await inParallel(surplus, 8, (id) => call(ctx, { method: 'DELETE', path: `/v2.0/networks/${id}`, expect: 204 }));
    const gone = new Set(surplus);
    ctx.state.set(IDS, knownIds(ctx).filter((id) => !gone.has(id)));
  } else if (ids.length < n) {
    await ensureUnlimitedNetworkQuota(ctx);
    const missing = Array.from({ length: n - ids.length }, (_, i) => i);
    await inParallel(missing, 8, async (i) => {
      const res = await call(ctx, { method: 'POST', path: '/v2.0/networks', body: { network: { name: `bench-fill-${i}` } }, expect: 201 });
      const id = parseJson<{ network: { id: string } }>(res).network.id;
      ids.push(id);
      knownIds(ctx).push(id);
    });
  }
  if (ids.length !== n) throw new Error(`wanted ${n} networks, have ${ids.length}`);
  return ids;
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i]);
    }),
  );
}

function recordCreated(ctx: BenchContext, body: string): void {
  const id = (JSON.parse(body) as { network?: { id?: string } }).network?.id;
  if (!id) throw new Error('no network.id in the answer');
  knownIds(ctx).push(id);
}

const create = (id: string, title: string, count: number, concurrency: number): BenchCase => ({
  id,
  title,
  count,
  concurrency,
  prepare: (ctx) => ensureUnlimitedNetworkQuota(ctx),
  request: (_ctx, i) => ({ method: 'POST', path: '/v2.0/networks', body: { network: { name: `${id}-${i}` } }, expect: 201 }),
  check: (ctx, _i, res) => recordCreated(ctx, res.body),
});

let deleting: string[] = [];
let listSize = 0;
let showIds: string[] = [];
let freshTokens: string[] = [];

export const networkCases: BenchCase[] = [
  create('network.create.seq', 'network create, sequential', 500, 1),
  create('network.create.c8', 'network create, concurrency 8', 1000, 8),
  {
    id: 'network.delete.seq',
    title: 'network delete, sequential',
    count: 500,
    concurrency: 1,
    async prepare(ctx, count) {
      // Delete the oldest networks these cases made (the sequential ones), topping up if run on its own.
      const existing = await listNetworkIds(ctx);
      if (existing.length < count) await ensureNetworks(ctx, count);
      const alive = new Set(await listNetworkIds(ctx));
      const ours = knownIds(ctx).filter((id) => alive.has(id));
      deleting = [...ours, ...[...alive].filter((id) => !ours.includes(id))].slice(0, count);
    },
    request: (_ctx, i) => ({ method: 'DELETE', path: `/v2.0/networks/${deleting[i]}`, expect: 204 }),
    async finish(ctx) {
      const gone = new Set(deleting);
      ctx.state.set(IDS, knownIds(ctx).filter((id) => !gone.has(id)));
      deleting = [];
    },
  },
  {
    id: 'network.list.1000',
    title: 'network list (1,000 networks)',
    count: 50,
    concurrency: 1,
    async prepare(ctx) {
      listSize = scaled(1000, ctx.scale);
      await ensureNetworks(ctx, listSize);
    },
    request: () => ({ method: 'GET', path: '/v2.0/networks', expect: 200 }),
    check(_ctx, _i, res) {
      const n = parseJson<{ networks: unknown[] }>(res).networks.length;
      if (n !== listSize) throw new Error(`listed ${n} networks, expected ${listSize}`);
    },
  },
  {
    id: 'network.show.seq',
    title: 'network show, sequential',
    count: 1000,
    concurrency: 1,
    async prepare(ctx) {
      showIds = await listNetworkIds(ctx);
      if (showIds.length === 0) showIds = await ensureNetworks(ctx, 1);
    },
    request: (_ctx, i) => ({ method: 'GET', path: `/v2.0/networks/${showIds[i % showIds.length]}`, expect: 200 }),
  },
  {
    id: 'network.show.c8',
    title: 'network show, concurrency 8',
    count: 1000,
    concurrency: 8,
    async prepare(ctx) {
      showIds = await listNetworkIds(ctx);
      if (showIds.length === 0) showIds = await ensureNetworks(ctx, 1);
    },
    request: (_ctx, i) => ({ method: 'GET', path: `/v2.0/networks/${showIds[i % showIds.length]}`, expect: 200 }),
  },
  {
    // Every request carries a token the server has never validated: the cost of an uncached token check.
    id: 'network.show.fresh-token',
    title: 'network show, never-seen token',
    count: 200,
    concurrency: 1,
    async prepare(ctx, count) {
      showIds = await listNetworkIds(ctx);
      if (showIds.length === 0) showIds = await ensureNetworks(ctx, 1);
      freshTokens = [];
      for (let i = 0; i < count; i++) {
        const res = await call(ctx, {
          target: 'identity',
          method: 'POST',
          path: '/v3/auth/tokens',
          token: null,
          body: {
            auth: {
              identity: { methods: ['token'], token: { id: ctx.token } },
              scope: { project: { id: ctx.projectId } },
            },
          },
          expect: 201,
        });
        freshTokens.push(String(res.headers['x-subject-token']));
      }
    },
    request: (_ctx, i) => ({
      method: 'GET',
      path: `/v2.0/networks/${showIds[i % showIds.length]}`,
      token: freshTokens[i],
      expect: 200,
    }),
    async finish() {
      freshTokens = [];
    },
  },
];
