import type { EntityManager } from 'typeorm';
import { anyOf } from '../../../db/index.js';
import { PortEntity, type PortRow } from '../../ports/port.entity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Agents name devices `tap<port_id[:11]>` (what a linux agent sees on the host) or by full port id. Full ids are one
 * primary-key query; tap names are matched among the ports bound to the host (indexed), then, for the rare device whose
 * port moved away, by prefix.
 */
export async function portsForDevices(em: EntityManager, devices: string[], host: string): Promise<Map<string, PortRow>> {
  const found = new Map<string, PortRow>();
  const repo = em.getRepository(PortEntity);
  const fullIds = devices.filter((d) => UUID.test(d));
  if (fullIds.length) {
    for (const row of await repo.findBy({ id: anyOf(em, fullIds) })) found.set(row.id, row);
  }
  const prefixes = new Map(devices.filter((d) => !UUID.test(d) && d.startsWith('tap')).map((d) => [d.slice(3), d]));
  if (!prefixes.size) return found;
  if (host) {
    for (const row of await repo.findBy({ binding_host_id: host })) {
      const device = prefixes.get(row.id.slice(0, 11));
      if (device) {
        found.set(device, row);
        prefixes.delete(row.id.slice(0, 11));
      }
    }
  }
  for (const [prefix, device] of prefixes) {
    const row = await repo.createQueryBuilder('p').where('p.id LIKE :prefix', { prefix: `${prefix}%` }).getOne();
    if (row) found.set(device, row);
  }
  return found;
}
