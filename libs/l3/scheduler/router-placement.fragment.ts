import type { EntityManager } from 'typeorm';
import { AGENTS_TABLE } from '../../agents-api/agent.entity.js';
import type { ApiObject, RequestContext, ResourceFragment } from '../../api/resource/resource-definition.js';
import { anyOfSql } from '../../db/index.js';
import type { L3AgentNotifier } from '../rpc/l3-agent-notifier.js';
import type { L3Scheduler } from './l3-scheduler.service.js';
import { L3_BINDINGS_TABLE } from './router-l3-agent-binding.entity.js';

/** The zones of the L3 agents hosting each router, one query for all of them. */
async function hostingZones(em: EntityManager, routerIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await em
    .createQueryBuilder()
    .select(['DISTINCT b.router_id AS router_id', 'a.availability_zone AS zone'])
    .from(L3_BINDINGS_TABLE, 'b')
    .innerJoin(AGENTS_TABLE, 'a', 'a.id = b.l3_agent_id')
    .where(...anyOfSql(em, 'b.router_id', routerIds))
    .andWhere('a.availability_zone IS NOT NULL')
    .orderBy('zone')
    .getRawMany<{ router_id: string; zone: string }>();
  const zones = new Map<string, string[]>();
  for (const r of rows) (zones.get(r.router_id) ?? zones.set(r.router_id, []).get(r.router_id)!).push(r.zone);
  return zones;
}

/** router_availability_zone: a router's `availability_zones` are those of the L3 agents hosting it (Neutron's AZ mixin). */
export async function routerAvailabilityZones(ctx: RequestContext, routers: ApiObject[]): Promise<void> {
  const ids = routers.map((r) => r.id).filter((id): id is string => typeof id === 'string');
  if (!ids.length) return;
  const zones = await hostingZones(ctx.em, ids);
  for (const router of routers) router.availability_zones = zones.get(router.id as string) ?? [];
}

/**
 * A router's place on the L3 agents: its `availability_zones` when read, and on create the scheduling itself, in the
 * request's unit of work (one statement, see L3Scheduler.scheduleOne), so the new router answers with its agent's
 * zone without reading it back. Its agent hears router_added_to_agent once the router committed, without the
 * response waiting for it.
 */
export function routerSchedulingFragment(scheduler: L3Scheduler, notifier: L3AgentNotifier): ResourceFragment {
  return {
    name: 'router-l3-scheduling',
    attributes: {},
    load: async (ctx, items, fields) => {
      if (fields.length && !fields.includes('availability_zones')) return;
      await routerAvailabilityZones(ctx, items);
    },
    create: async (ctx, created) => {
      const id = created.id as string;
      const bound = await scheduler.scheduleOne(ctx.em, id);
      created.availability_zones = bound?.zone ? [bound.zone] : [];
      if (bound) ctx.afterCommit(() => notifier.routerPlaced(id, bound.host));
    },
  };
}
