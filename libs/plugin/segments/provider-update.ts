import { PORT_BINDINGS_TABLE, UNPLUGGED_VIF_TYPES } from '../ml2/binding/port-binding.entity.js';
import type { EntityManager } from 'typeorm';
import type { ApiObject } from '../../api/resource/resource-definition.js';
import { neutronTimestamp } from '../../db/index.js';
import { PORTS_TABLE } from '../ports/ports.contract.js';
import { SegmentEntity } from './segment.entity.js';
import {
  providerTypeOrPhysnetUpdate,
  providerUpdateMultipleSegments,
  providerUpdateNotVlan,
  providerUpdateWithBoundPorts,
} from './segment.errors.js';
import type { Segment } from './segments.contract.js';
import type { TypeManager } from './type-manager.js';

/** Binding vif types that leave a network's segmentation id changeable (linuxbridge cannot rewire a bound port). */

/**
 * Ml2Plugin._update_provider_network_attributes: the type and physical network never change; the segmentation id
 * of a single VLAN segment may, while no port of the network is bound. The new id is reserved before the old one is
 * released, so a taken id answers 409 and changes nothing.
 */
export async function updateProviderAttributes(
  em: EntityManager,
  types: TypeManager,
  current: ApiObject,
  changes: ApiObject,
  segments: Segment[],
): Promise<void> {
  for (const attr of ['provider:network_type', 'provider:physical_network']) {
    const value = changes[attr];
    if (value !== undefined && value !== null && value !== current[attr]) {
      throw providerTypeOrPhysnetUpdate();
    }
  }
  const newId = changes['provider:segmentation_id'];
  if (!newId) return;
  if (segments.length > 1) throw providerUpdateMultipleSegments();
  const [bound] = (await em
    .createQueryBuilder()
    .select('1', 'one')
    .from(PORTS_TABLE, 'p')
    // ML2 keeps bindings in its own table; a port without a row is unbound.
    .innerJoin(PORT_BINDINGS_TABLE, 'b', 'b.port_id = p.id')
    .where('p.network_id = :net', { net: current.id })
    .andWhere('b.vif_type NOT IN (:...ok)', { ok: UNPLUGGED_VIF_TYPES })
    .limit(1)
    .getRawMany()) as unknown[];
  if (bound) {
    throw providerUpdateWithBoundPorts(UNPLUGGED_VIF_TYPES);
  }
  const [segment] = segments;
  if (segment?.network_type !== 'vlan') throw providerUpdateNotVlan();
  const next = { network_type: segment.network_type, physical_network: segment.physical_network, segmentation_id: newId as number };
  types.validateProviderSegment(next);
  await types.reserveProviderSegment(em, next);
  await em
    .getRepository(SegmentEntity)
    .update(
      { id: segment.id },
      { segmentation_id: next.segmentation_id, revision_number: () => 'revision_number + 1', updated_at: neutronTimestamp() },
    );
  await types.releaseSegment(em, segment);
}
