import type { EntityManager } from 'typeorm';
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

export async function addBlock(em: EntityManager, portId: string, entity: string): Promise<void> {
  await em.createQueryBuilder().insert().into(ProvisioningBlockEntity).values({ port_id: portId, entity }).orIgnore().execute();
}

export async function removeBlock(em: EntityManager, portId: string, entity: string): Promise<void> {
  await em.getRepository(ProvisioningBlockEntity).delete({ port_id: portId, entity });
}

export function isBlocked(em: EntityManager, portId: string): Promise<boolean> {
  return em.getRepository(ProvisioningBlockEntity).existsBy({ port_id: portId });
}
