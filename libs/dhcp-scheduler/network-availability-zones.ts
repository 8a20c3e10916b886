import type { ApiObject, RequestContext } from '../api/resource/resource-definition.js';
import { hostingAgents } from './dhcp-bindings.store.js';

/** A network's `availability_zones`: the zones of the DHCP agents hosting it, one query for all the items. */
export async function networkAvailabilityZones(ctx: RequestContext, networks: ApiObject[]): Promise<void> {
  const ids = networks.map((n) => n.id).filter((id): id is string => typeof id === 'string');
  if (!ids.length) return;
  const zones = new Map<string, Set<string>>();
  for (const h of await hostingAgents(ctx.em, ids)) {
    if (h.availability_zone) (zones.get(h.network_id) ?? zones.set(h.network_id, new Set()).get(h.network_id)!).add(h.availability_zone);
  }
  for (const net of networks) {
    const found = zones.get(net.id as string);
    net.availability_zones = found ? [...found].sort() : [];
  }
}
