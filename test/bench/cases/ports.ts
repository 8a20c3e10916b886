import { parseJson } from '../http-client.js';
import { call } from '../runner.js';
import type { BenchCase, BenchContext } from '../types.js';

/**
 * Issue 4's port figures: one /16, 1,000 ports at concurrency 8, the list of them, a limit=100 page walk; then the
 * same after 10,000 ports exist on that subnet (IPAM must not slow down with the allocations it holds).
 */
const NET = 'ports.network';
const FILLED = 'ports.filled-to';
const BATCH = 1000;
const FILL = 10000;

interface PortsNet {
  networkId: string;
  subnetId: string;
}

async function ensureNetwork(ctx: BenchContext): Promise<PortsNet> {
  const known = ctx.state.get(NET) as PortsNet | undefined;
  if (known) return known;
  await call(ctx, {
    method: 'PUT',
    path: `/v2.0/quotas/${ctx.projectId}`,
    body: { quota: { network: -1, subnet: -1, port: -1 } },
    expect: 200,
  });
  const net = await call(ctx, { method: 'POST', path: '/v2.0/networks', body: { network: { name: 'bench-ports' } }, expect: 201 });
  const networkId = parseJson<{ network: { id: string } }>(net).network.id;
  const sub = await call(ctx, {
    method: 'POST',
    path: '/v2.0/subnets',
    body: { subnet: { network_id: networkId, ip_version: 4, cidr: '10.20.0.0/16', name: 'bench-ports' } },
    expect: 201,
  });
  const result = { networkId, subnetId: parseJson<{ subnet: { id: string } }>(sub).subnet.id };
  ctx.state.set(NET, result);
  ctx.state.set(FILLED, 0);
  return result;
}

/** Untimed: bulk-creates ports (100 a request) until the network holds `total` of them. */
async function fillTo(ctx: BenchContext, total: number): Promise<void> {
  const { networkId } = await ensureNetwork(ctx);
  let have = ctx.state.get(FILLED) as number;
  while (have < total) {
    const n = Math.min(100, total - have);
    const ports = Array.from({ length: n }, (_, i) => ({ network_id: networkId, name: `fill-${have + i}`, device_id: 'bench-fill' }));
    await call(ctx, { method: 'POST', path: '/v2.0/ports', body: { ports }, expect: 201 });
    have += n;
  }
  ctx.state.set(FILLED, have);
}

function createCase(id: string, title: string, before: number, deviceId: string): BenchCase {
  return {
    id,
    title,
    count: BATCH,
    concurrency: 8,
    prepare: async (ctx) => {
      await fillTo(ctx, Math.round(before * ctx.scale));
    },
    request: (ctx, i) => ({
      method: 'POST',
      path: '/v2.0/ports',
      body: { port: { network_id: (ctx.state.get(NET) as PortsNet).networkId, name: `${id}-${i}`, device_id: deviceId } },
      expect: 201,
    }),
    finish: async (ctx) => {
      ctx.state.set(FILLED, (ctx.state.get(FILLED) as number) + Math.round(BATCH * ctx.scale));
    },
  };
}

/** The list the list cases time: the bench network's ports of one device. */
const listPath = (networkId: string, deviceId: string) => `/v2.0/ports?network_id=${networkId}&device_id=${deviceId}`;

function listCase(id: string, title: string, deviceId: string): BenchCase {
  return {
    id,
    title,
    count: 50,
    concurrency: 1,
    prepare: async (ctx) => {
      await ensureNetwork(ctx);
    },
    request: (ctx) => ({ method: 'GET', path: listPath((ctx.state.get(NET) as PortsNet).networkId, deviceId), expect: 200 }),
  };
}

/**
 * The floor under the list: JSON encoding of the same 1,000-port body, in the bench's own process (same Node, same
 * machine). The body is fetched once, untimed; each timed round is one `JSON.stringify` of it.
 */
function jsonFloorCase(id: string, title: string, deviceId: string): BenchCase {
  let body: unknown;
  return {
    id,
    title,
    count: 50,
    concurrency: 1,
    prepare: async (ctx) => {
      const { networkId } = await ensureNetwork(ctx);
      body = parseJson(await call(ctx, { method: 'GET', path: listPath(networkId, deviceId), expect: 200 }));
    },
    exchange: async () => {
      if (JSON.stringify(body).length === 0) throw new Error('empty encoding');
    },
  };
}

/** Ten pages of 100 in a row, each request following the previous page's `next` marker. */
function pageWalkCase(id: string, title: string): BenchCase {
  let marker: string | undefined;
  return {
    id,
    title,
    count: 10,
    concurrency: 1,
    prepare: async (ctx) => {
      await ensureNetwork(ctx);
      marker = undefined;
    },
    request: (ctx) => ({
      method: 'GET',
      path: `/v2.0/ports?network_id=${(ctx.state.get(NET) as PortsNet).networkId}&limit=100${marker ? `&marker=${marker}` : ''}`,
      expect: 200,
    }),
    check: (_ctx, _i, res) => {
      const ports = parseJson<{ ports: { id: string }[] }>(res).ports;
      marker = ports.at(-1)?.id;
    },
  };
}

export const portCases: BenchCase[] = [
  createCase('port.create.c8.first', 'port create c8, ports 1–1,000', 0, 'bench-a'),
  listCase('port.list.first', 'port list (the 1,000), network_id', 'bench-a'),
  jsonFloorCase('port.list.first.json', 'JSON encoding of that body (floor, bench process)', 'bench-a'),
  pageWalkCase('port.page.first', 'port page walk, limit=100'),
  createCase('port.create.c8.after10k', 'port create c8, after 10,000', FILL, 'bench-b'),
  listCase('port.list.after10k', 'port list (1,000 of 11,000)', 'bench-b'),
  pageWalkCase('port.page.after10k', 'port page walk, after 10,000'),
];
