import type { EntityManager } from 'typeorm';
import { sqlAnyOf, sqlFlag, sqlRows, sqlRun } from '../../db/index.js';
import { PORTS_TABLE } from '../ports/ports.contract.js';
import { PORT_BINDINGS_TABLE, UNPLUGGED_VIF_TYPES } from './binding/port-binding.entity.js';
import { ProvisioningBlockEntity } from './ml2.entities.js';

/** The entities that hold a port back from ACTIVE (neutron/db/provisioning_blocks.py). */
export const L2_AGENT_ENTITY = 'L2';
export const DHCP_ENTITY = 'DHCP';

/** Device owners that never get a block (ML2's NO_PBLOCKS_TYPES): service ports and ports with no owner. */
const NO_BLOCK_OWNERS = [
  '',
  'network:router_interface_distributed',
  'network:ha_router_replicated_interface',
  'network:router_interface',
  'network:router_gateway',
  'network:router_centralized_snat',
  'network:dhcp',
  'network:floatingip_agent_gateway',
  'network:router_ha_interface',
  'network:floatingip',
];

export const takesProvisioningBlocks = (deviceOwner: string) => !NO_BLOCK_OWNERS.includes(deviceOwner);

const BLOCKS_TABLE = ProvisioningBlockEntity.options.tableName!;

export async function addBlock(em: EntityManager, portId: string, entity: string): Promise<void> {
  await em.createQueryBuilder().insert().into(ProvisioningBlockEntity).values({ port_id: portId, entity }).orIgnore().execute();
}

export async function removeBlock(em: EntityManager, portId: string, entity: string): Promise<void> {
  await sqlRun(em, `DELETE FROM ${BLOCKS_TABLE} WHERE port_id = ? AND entity = ?`, [portId, entity]);
}

export async function isBlocked(em: EntityManager, portId: string): Promise<boolean> {
  return (await sqlRows(em, `SELECT 1 AS blocked FROM ${BLOCKS_TABLE} WHERE port_id = ? LIMIT 1`, [portId])).length > 0;
}

/**
 * Whether provisioning_complete by `entity` would change nothing for any of these ports: none holds that entity's
 * block, and none could go ACTIVE (each is ACTIVE already, unbound, or disabled). Neutron would remove no row and its
 * PROVISIONING_COMPLETE would leave every status as it is. One read.
 */
export async function completionChangesNothing(em: EntityManager, portIds: readonly string[], entity: string): Promise<boolean> {
  const [inPorts, param] = sqlAnyOf(em, 'p.id', portIds);
  const rows = await sqlRows<{ status: string; admin_state_up: unknown; vif_type: string | null; blocked: unknown }>(
    em,
    `SELECT p.status AS status, p.admin_state_up AS admin_state_up, b.vif_type AS vif_type,
       EXISTS (SELECT 1 FROM ${BLOCKS_TABLE} k WHERE k.port_id = p.id AND k.entity = ?) AS blocked
     FROM ${PORTS_TABLE} p LEFT JOIN ${PORT_BINDINGS_TABLE} b ON b.port_id = p.id WHERE ${inPorts}`,
    [entity, param],
  );
  return rows.every((r) => !sqlFlag(r.blocked) && (r.status === 'ACTIVE' || !sqlFlag(r.admin_state_up) || UNPLUGGED_VIF_TYPES.includes(r.vif_type ?? 'unbound')));
}
