import { NOT_SPECIFIED } from '../../api/resource/attribute.js';
import type { ApiObject, RequestContext, ResourceFragment } from '../../api/resource/resource-definition.js';
import { convertToBooleanIfNotNone } from '../../api/validators/index.js';
import { loadInChunks, sqlAnyOf, sqlBool, sqlFlag, sqlRows, sqlRun } from '../../db/index.js';
import { l3BadRequest } from '../l3.errors.js';
import { ROUTER_EXTRA_ATTRIBUTES_TABLE } from './router-extra-attributes.entity.js';
import { type RouterMigration, migrateRouter } from './router-migration.js';

const ATTR = 'distributed';

/** What the dvr fragment needs from the server: the configured default and what to do once a migration committed. */
export interface DvrOptions {
  /** Neutron's router_distributed: the kind of a router created without `distributed`. */
  routerDistributed: boolean;
  /** The agents the migration took the router from hear it (after commit). */
  migrated(routerId: string, migration: RouterMigration): void;
}

/**
 * dvr and router-admin-state-down-before-update on routers (l3_dvr_db's DVRResourceOperationHandler with Neutron's
 * l3_attrs_db): `distributed` is set on create (the request's, else router_distributed), shown to admins only
 * (policy), and changed only while the router is down, which migrates its interfaces' device owner and takes it off
 * its L3 agents. Not a filter: neutron-lib's definition does not make it one.
 */
export function dvrFragment(options: DvrOptions): ResourceFragment {
  return {
    name: 'dvr',
    // Before the scheduling fragment places a new router: a distributed one has no candidate (see bindLeastLoaded).
    hookOrder: 50,
    attributes: {
      [ATTR]: { allowPost: true, allowPut: true, default: NOT_SPECIFIED, convert: convertToBooleanIfNotNone, enforcePolicy: true },
    },

    join: {
      table: ROUTER_EXTRA_ATTRIBUTES_TABLE,
      key: 'router_id',
      columns: [ATTR],
      // No row (a router written around this fragment): Neutron's _extend_extra_router_dict default.
      read: (router, column) => void (router[ATTR] = column(ATTR) === null ? options.routerDistributed : sqlFlag(column(ATTR))),
    },

    async load(ctx, items, fields) {
      if (fields.length && !fields.includes(ATTR)) return;
      const flags = await distributedFlags(ctx, items.map((r) => r.id as string));
      for (const router of items) router[ATTR] = flags.get(router.id as string) ?? options.routerDistributed;
    },

    async create(ctx, router, request) {
      const requested = request[ATTR];
      const distributed = typeof requested === 'boolean' ? requested : options.routerDistributed;
      await sqlRun(ctx.em, `INSERT INTO ${ROUTER_EXTRA_ATTRIBUTES_TABLE} (router_id, distributed) VALUES (?, ?)`, [router.id, sqlBool(ctx.em, distributed)]);
      router[ATTR] = distributed;
    },

    async update(ctx, router, original, changes) {
      const requested = changes[ATTR];
      const current = original[ATTR] as boolean;
      router[ATTR] = current;
      // null (None) or the same value: no migration (_validate_router_migration).
      if (typeof requested !== 'boolean' || requested === current) return;
      assertRouterDown(original, router);
      const migration = await migrateRouter(ctx.em, router.id as string, requested);
      const flag = [sqlBool(ctx.em, requested), router.id];
      if (!(await sqlRun(ctx.em, `UPDATE ${ROUTER_EXTRA_ATTRIBUTES_TABLE} SET distributed = ? WHERE router_id = ?`, flag))) {
        await sqlRun(ctx.em, `INSERT INTO ${ROUTER_EXTRA_ATTRIBUTES_TABLE} (distributed, router_id) VALUES (?, ?)`, flag);
      }
      router[ATTR] = requested;
      ctx.afterCommit(() => options.migrated(router.id as string, migration));
    },
  };
}

/**
 * router-admin-state-down-before-update: the router must be down before and after the update (an update that also
 * sets admin_state_up is judged on both, as Neutron does with the extension loaded).
 */
function assertRouterDown(original: ApiObject, updated: ApiObject): void {
  if (original.admin_state_up || updated.admin_state_up) {
    throw l3BadRequest('router', "Cannot change the 'distributed' attribute of active routers. Please set router admin_state_up to False prior to upgrade");
  }
}

async function distributedFlags(ctx: RequestContext, routerIds: string[]): Promise<Map<string, boolean>> {
  return loadInChunks(routerIds, async (ids) => {
    const [cond, param] = sqlAnyOf(ctx.em, 'router_id', ids);
    const rows = await sqlRows<{ router_id: string; distributed: unknown }>(ctx.em, `SELECT router_id, distributed FROM ${ROUTER_EXTRA_ATTRIBUTES_TABLE} WHERE ${cond}`, [param]);
    return new Map(rows.map((r) => [r.router_id, sqlFlag(r.distributed)]));
  });
}
