import type { EntityManager } from 'typeorm';
import type { ApiObject } from '../../api/resource/resource-definition.js';
import { neutronTimestamp, sqlFlag, sqlRows, sqlRun } from '../../db/index.js';
import { PORTS_TABLE } from '../../plugin/ports/ports.contract.js';
import { DVR_INTERFACE_OWNER, ROUTER_INTERFACE_OWNER, ROUTER_PORTS_TABLE } from '../l3.entities.js';
import { type HostingL3Agent, hostingL3Agents, unbindRouter } from '../scheduler/l3-bindings.store.js';
import { ROUTER_EXTRA_ATTRIBUTES_TABLE } from './router-extra-attributes.entity.js';

/** The device owner of a new interface of `router` (as loaded, with the dvr fragment's `distributed`): l3_dvr_db's _get_device_owner. */
export const interfaceOwnerOf = (router: ApiObject): string => (router.distributed === true ? DVR_INTERFACE_OWNER : ROUTER_INTERFACE_OWNER);

/** What a migration did: the L3 agents that hosted the router and no longer do. */
export interface RouterMigration {
  distributed: boolean;
  unscheduled: HostingL3Agent[];
}

/**
 * _handle_distributed_migration, in the request's unit of work: the router's interfaces take the device owner of its
 * new kind (l3_db's _migrate_router_ports writes the ports' rows, a new revision each, no port event), and the
 * router leaves every L3 agent hosting it (_unbind_router). The scheduler places it again when an agent may host it:
 * a legacy agent a legacy router, none of the appliance's agents (all legacy) a distributed one.
 */
export async function migrateRouter(em: EntityManager, routerId: string, distributed: boolean): Promise<RouterMigration> {
  const [from, to] = distributed ? [ROUTER_INTERFACE_OWNER, DVR_INTERFACE_OWNER] : [DVR_INTERFACE_OWNER, ROUTER_INTERFACE_OWNER];
  await sqlRun(
    em,
    `UPDATE ${PORTS_TABLE} SET device_owner = ?, revision_number = revision_number + 1, updated_at = ?
     WHERE device_owner = ? AND id IN (SELECT port_id FROM ${ROUTER_PORTS_TABLE} WHERE router_id = ? AND port_type = ?)`,
    [to, neutronTimestamp(), from, routerId, ROUTER_INTERFACE_OWNER],
  );
  const unscheduled = await hostingL3Agents(em, [routerId]);
  if (unscheduled.length) await unbindRouter(em, routerId);
  return { distributed, unscheduled };
}

/** Whether the router is a distributed one (no row: the legacy routers the table predates are backfilled, so false). */
export async function isDistributedRouter(em: EntityManager, routerId: string): Promise<boolean> {
  const [row] = await sqlRows<{ distributed: unknown }>(em, `SELECT distributed FROM ${ROUTER_EXTRA_ATTRIBUTES_TABLE} WHERE router_id = ?`, [routerId]);
  return row !== undefined && sqlFlag(row.distributed);
}
