import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ApiObject, Filter } from '../../api/resource/resource-definition.js';
import { int32Values } from '../../api/sql/list-query.js';
import { SEGMENTS_TABLE } from '../segments/segment.entity.js';
import type { Segment } from '../segments/segments.contract.js';

const PROVIDER_COLUMNS: Record<string, string> = {
  'provider:network_type': 'network_type',
  'provider:physical_network': 'physical_network',
  'provider:segmentation_id': 'segmentation_id',
};

/**
 * Adds the provider:* filters to the query as one EXISTS on the network's segments (one segment must match them
 * all, as Neutron's network_matches_filters); returns the other filters for the generic list query.
 */
export function providerFilter<T extends ObjectLiteral>(em: EntityManager, qb: SelectQueryBuilder<T>, alias: string, filters: Filter[]): Filter[] {
  const provider = filters.filter((f) => f.attr in PROVIDER_COLUMNS);
  if (!provider.length) return filters;
  const conditions = provider.map((f, i) => {
    // A segmentation id past the integer column matches nothing (PostgreSQL would fail binding it).
    const values = f.attr === 'provider:segmentation_id' ? int32Values(f.values) : f.values;
    if (values.length === 0) return '1 = 0';
    qb.setParameter(`prov${i}`, values);
    return `s.${PROVIDER_COLUMNS[f.attr]} IN (:...prov${i})`;
  });
  qb.andWhere(`EXISTS (SELECT 1 FROM ${em.connection.driver.escape(SEGMENTS_TABLE)} s WHERE s.network_id = ${alias}.id AND ${conditions.join(' AND ')})`);
  return filters.filter((f) => !(f.attr in PROVIDER_COLUMNS));
}

/** TypeManager.extend_network_with_provider_segments: provider:* for one segment, `segments` for several. */
export function providerView(net: ApiObject, segments: readonly Segment[]): void {
  if (segments.length > 1) {
    net.segments = segments.map((s) => ({
      'provider:network_type': s.network_type,
      'provider:physical_network': s.physical_network,
      'provider:segmentation_id': s.segmentation_id,
    }));
    return;
  }
  const [s] = segments;
  net['provider:network_type'] = s?.network_type ?? null;
  net['provider:physical_network'] = s?.physical_network ?? null;
  net['provider:segmentation_id'] = s?.segmentation_id ?? null;
}
