import type { ApiObject, RequestContext, ResourceService } from '../api/resource/resource-definition.js';
import { hostingAgents } from './dhcp-bindings.store.js';
import type { DhcpNetworks } from './dhcp-networks.service.js';

/**
 * Networks with DHCP: `availability_zones` = the zones of the DHCP agents hosting each network (one query per list),
 * agents told of updates, and told to stop on delete (the bindings and the DHCP port go with the network).
 */
export function withDhcpNetworks(service: ResourceService, dhcp: DhcpNetworks): ResourceService {
  return {
    list: async (ctx, query) => withZones(ctx, await service.list(ctx, query)),
    get: async (ctx, id) => {
      const net = await service.get(ctx, id);
      return net && (await withZones(ctx, [net]))[0];
    },
    create: (ctx, item) => service.create(ctx, item),
    async update(ctx, current, changes) {
      const updated = await service.update(ctx, current, changes);
      const hosted = await hostingAgents(ctx.em, [updated.id as string]);
      dhcp.afterCommit(ctx, 'network_update', enabledHosts(hosted), updated.id as string);
      return (await withZones(ctx, [updated], hosted))[0];
    },
    async delete(ctx, current) {
      const hosted = await hostingAgents(ctx.em, [current.id as string]);
      await service.delete(ctx, current);
      dhcp.afterCommit(ctx, 'network_remove', enabledHosts(hosted), current.id as string);
    },
  };
}

/** Subnets: every write re-checks the network's scheduling and DHCP ports in the same transaction. */
export function withDhcpSubnets(service: ResourceService, dhcp: DhcpNetworks): ResourceService {
  return {
    list: (ctx, query) => service.list(ctx, query),
    get: (ctx, id) => service.get(ctx, id),
    async create(ctx, item) {
      const subnet = await service.create(ctx, item);
      await dhcp.reconcile(ctx, subnet.network_id as string, true);
      return subnet;
    },
    async update(ctx, current, changes) {
      const subnet = await service.update(ctx, current, changes);
      await dhcp.reconcile(ctx, subnet.network_id as string, true);
      return subnet;
    },
    async delete(ctx, current) {
      await service.delete(ctx, current);
      await dhcp.reconcile(ctx, current.network_id as string, false);
    },
  };
}

async function withZones(ctx: RequestContext, networks: ApiObject[], known?: Awaited<ReturnType<typeof hostingAgents>>): Promise<ApiObject[]> {
  if (!networks.length || !networks.some((n) => typeof n.id === 'string')) return networks;
  const hosted = known ?? (await hostingAgents(ctx.em, networks.map((n) => n.id as string)));
  const zones = new Map<string, Set<string>>();
  for (const h of hosted) if (h.availability_zone) (zones.get(h.network_id) ?? zones.set(h.network_id, new Set()).get(h.network_id)!).add(h.availability_zone);
  for (const net of networks) net.availability_zones = [...(zones.get(net.id as string) ?? [])].sort();
  return networks;
}

const enabledHosts = (hosted: { host: string; admin_state_up: boolean }[]) => hosted.filter((h) => h.admin_state_up).map((h) => h.host);
