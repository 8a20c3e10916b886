import type { EntityManager } from 'typeorm';
import { sqlAnyOf } from '../../../db/index.js';
import { type BoundPort, boundPortsById, selectBoundPorts } from '../binding/port-binding.store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `tap` + the first 11 characters of the port id. */
const TAP_PREFIX = 11;

/**
 * Agents name devices `tap<port_id[:11]>` (what a linux agent sees on the host) or by full port id. Full ids are one
 * primary-key query; tap names are one query among the ports bound to the host (indexed) that returns only the
 * named ones, then, for the rare device whose port moved away, by prefix.
 */
export async function portsForDevices(em: EntityManager, devices: string[], host: string): Promise<Map<string, BoundPort>> {
  const found = new Map<string, BoundPort>();
  const fullIds = devices.filter((d) => UUID.test(d));
  for (const port of await boundPortsById(em, fullIds)) found.set(port.id, port);
  const prefixes = new Map(devices.filter((d) => !UUID.test(d) && d.startsWith('tap')).map((d) => [d.slice(3), d]));
  if (!prefixes.size) return found;
  if (host) {
    const [named, param] = sqlAnyOf(em, `substr(p.id, 1, ${TAP_PREFIX})`, [...prefixes.keys()]);
    for (const port of await selectBoundPorts(em, `b.host = ? AND ${named}`, [host, param])) {
      const device = prefixes.get(port.id.slice(0, TAP_PREFIX));
      if (device) {
        found.set(device, port);
        prefixes.delete(port.id.slice(0, TAP_PREFIX));
      }
    }
  }
  for (const [prefix, device] of prefixes) {
    const [port] = await selectBoundPorts(em, 'p.id LIKE ?', [`${prefix}%`]);
    if (port) found.set(device, port);
  }
  return found;
}
