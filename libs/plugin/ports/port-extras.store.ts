import { anyOf } from '../../db/index.js';
import type { EntityManager } from 'typeorm';
import { AllowedAddressPairEntity, ExtraDhcpOptEntity } from './port.entity.js';
import type { AddressPair, DhcpOpt } from './port-rules.js';

/** Keeps every `IN (…)` list well below the bind-parameter limits of SQLite and PostgreSQL. */
const CHUNK = 5000;

/** Runs `load` on slices of `ids` and merges the maps: one query per 5,000 ids. */
export async function loadInChunks<V>(ids: string[], load: (slice: string[]) => Promise<Map<string, V>>): Promise<Map<string, V>> {
  if (ids.length <= CHUNK) return ids.length ? load(ids) : new Map();
  const merged = new Map<string, V>();
  for (let i = 0; i < ids.length; i += CHUNK) for (const [k, v] of await load(ids.slice(i, i + CHUNK))) merged.set(k, v);
  return merged;
}

function groupBy<R extends { port_id: string; position: number }, V>(rows: R[], map: (row: R) => V): Map<string, V[]> {
  const byPort = new Map<string, V[]>();
  for (const row of rows.sort((a, b) => a.position - b.position)) {
    const list = byPort.get(row.port_id);
    if (list) list.push(map(row));
    else byPort.set(row.port_id, [map(row)]);
  }
  return byPort;
}

export function loadAddressPairs(em: EntityManager, portIds: string[]): Promise<Map<string, AddressPair[]>> {
  return loadInChunks(portIds, async (ids) =>
    groupBy(await em.getRepository(AllowedAddressPairEntity).findBy({ port_id: anyOf(em, ids) }), (r) => ({
      ip_address: r.ip_address,
      mac_address: r.mac_address,
    })),
  );
}

export async function replaceAddressPairs(em: EntityManager, portId: string, pairs: AddressPair[], existed: boolean): Promise<void> {
  const repo = em.getRepository(AllowedAddressPairEntity);
  if (existed) await repo.delete({ port_id: portId });
  if (pairs.length) await repo.insert(pairs.map((p, position) => ({ port_id: portId, ...p, position })));
}

export function loadDhcpOpts(em: EntityManager, portIds: string[]): Promise<Map<string, DhcpOpt[]>> {
  return loadInChunks(portIds, async (ids) =>
    groupBy(await em.getRepository(ExtraDhcpOptEntity).findBy({ port_id: anyOf(em, ids) }), (r) => ({
      opt_name: r.opt_name,
      opt_value: r.opt_value,
      ip_version: r.ip_version,
    })),
  );
}

export async function replaceDhcpOpts(em: EntityManager, portId: string, opts: DhcpOpt[], existed: boolean): Promise<void> {
  const repo = em.getRepository(ExtraDhcpOptEntity);
  if (existed) await repo.delete({ port_id: portId });
  if (opts.length) await repo.insert(opts.map((o, position) => ({ port_id: portId, ...o, position })));
}
