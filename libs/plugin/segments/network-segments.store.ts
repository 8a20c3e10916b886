import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NOT_SPECIFIED } from '../../api/resource/attribute.js';
import type { ApiObject } from '../../api/resource/resource-definition.js';
import { neutronTimestamp, sqlAnyOf, sqlArrays, sqlWriteBehind } from '../../db/index.js';
import { networkTypeRequired, physicalNetworkNotAString, segmentsSetInConjunctionWithProviders } from './segment.errors.js';
import { SegmentEntity, SEGMENTS_TABLE, type SegmentRow } from './segment.entity.js';
import type { NetworkSegments, Segment } from './segments.contract.js';
import type { SegmentSpec } from './type-driver.js';
import { TYPE_MANAGER, type TypeManager } from './type-manager.js';

export const PROVIDER_ATTRIBUTES = ['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'] as const;

const SEGMENT_COLUMNS = [
  'id',
  'network_id',
  'network_type',
  'physical_network',
  'segmentation_id',
  'segment_index',
  'name',
  'description',
  'created_at',
  'updated_at',
  'revision_number',
] as const satisfies readonly (keyof SegmentRow)[];
const SELECT_SEGMENTS = `SELECT ${SEGMENT_COLUMNS.join(', ')} FROM ${SegmentEntity.options.tableName}`;

/** A row of SELECT_SEGMENTS as an array (its columns' order), as either driver returns it. */
const segmentFromArray = (raw: unknown[]): SegmentRow => ({
  id: raw[0] as string,
  network_id: raw[1] as string,
  network_type: raw[2] as string,
  physical_network: raw[3] as string | null,
  segmentation_id: raw[4] === null ? null : Number(raw[4]),
  segment_index: Number(raw[5]),
  name: raw[6] as string | null,
  description: raw[7] as string,
  created_at: raw[8] as string,
  updated_at: raw[9] as string,
  revision_number: Number(raw[10]),
});

/** Neutron's is_attr_set: given, and neither None nor ATTR_NOT_SPECIFIED. */
const isSet = (v: unknown) => v !== undefined && v !== null && v !== NOT_SPECIFIED;

/** The segments of networks: read by the plug-in's other parts, created and released with their network. */
@Injectable()
export class NetworkSegmentsStore implements NetworkSegments {
  constructor(@Inject(TYPE_MANAGER) readonly types: TypeManager) {}

  async forNetworks(em: EntityManager, networkIds: string[]): Promise<Map<string, Segment[]>> {
    const result = new Map<string, Segment[]>();
    if (!networkIds.length) return result;
    // Hand-written: port binding and the L2 agent's device details read it for every port.
    const [inNetworks, param] = sqlAnyOf(em, 'network_id', networkIds);
    // Arrays, not an object per row: a network list reads a segment per network.
    const raw = await sqlArrays(em, `${SELECT_SEGMENTS} WHERE ${inNetworks} ORDER BY segment_index`, [param]);
    for (const array of raw) {
      const row = segmentFromArray(array);
      const list = result.get(row.network_id);
      if (list) list.push(toSegment(row));
      else result.set(row.network_id, [toSegment(row)]);
    }
    return result;
  }

  /**
   * TypeManager.create_network_segments minus the rows: validates the provider attributes or `segments` of a network
   * being created and reserves them, or allocates a tenant segment. The rows follow with insertForNetwork once the
   * network row exists.
   */
  async reserveForNewNetwork(em: EntityManager, network: ApiObject): Promise<SegmentSpec[]> {
    const requested = this.requestedSegments(network);
    if (!requested) return [await this.types.allocateTenantSegment(em)];
    const reserved: SegmentSpec[] = [];
    for (const segment of requested) reserved.push(await this.types.reserveProviderSegment(em, segment));
    return reserved;
  }

  async insertForNetwork(
    em: EntityManager,
    networkId: string,
    specs: SegmentSpec[],
    firstIndex = 0,
    named: { name: string | null; description: string } = { name: null, description: '' },
  ): Promise<SegmentRow[]> {
    const now = neutronTimestamp();
    const rows: SegmentRow[] = specs.map((spec, i) => ({
      id: randomUUID(),
      network_id: networkId,
      network_type: spec.network_type,
      physical_network: spec.physical_network,
      segmentation_id: spec.segmentation_id,
      segment_index: firstIndex + i,
      name: named.name,
      description: named.description,
      created_at: now,
      updated_at: now,
      revision_number: 1,
    }));
    // New ids, no unique column: nothing waits for the insert's answer (checked at COMMIT). Hand-written: the query
    // builder writes numbers into the text, a new statement for every segmentation id (prepared and cached each time).
    if (rows.length) {
      const values = rows.map(() => `(${SEGMENT_COLUMNS.map(() => '?').join(', ')})`).join(', ');
      await sqlWriteBehind(em, `INSERT INTO ${SEGMENTS_TABLE} (${SEGMENT_COLUMNS.join(', ')}) VALUES ${values}`, rows.flatMap((r) => SEGMENT_COLUMNS.map((c) => r[c])));
    }
    return rows;
  }

  /** Gives the network's segmentation ids back to their pools; the rows go with the network (foreign key cascade). */
  async releaseForNetwork(em: EntityManager, segments: readonly SegmentSpec[]): Promise<void> {
    for (const segment of segments) await this.types.releaseSegment(em, segment);
  }

  /** The segments a create asks for, validated; undefined when it asks for none (a tenant network). */
  private requestedSegments(network: ApiObject): SegmentSpec[] | undefined {
    if (PROVIDER_ATTRIBUTES.some((a) => isSet(network[a]))) {
      if (isSet(network.segments)) throw segmentsSetInConjunctionWithProviders();
      return [this.providerSegment(network)];
    }
    // The validator lets only an empty string or object through besides a list: each iterates as no segment, and
    // no segment means a tenant network, as in ML2 (`if segments: … else: allocate`).
    const requested = Array.isArray(network.segments) ? (network.segments as ApiObject[]) : [];
    if (isSet(network.segments) && requested.length > 0) {
      const segments = requested.map((s) => this.providerSegment(s));
      this.types.checkDuplicates(segments);
      return segments;
    }
    return undefined;
  }

  /** TypeManager._process_provider_segment: network_type is required, the type's driver validates the rest. */
  providerSegment(attrs: ApiObject): SegmentSpec {
    const value = (key: string) => (isSet(attrs[key]) ? attrs[key] : null);
    const networkType = value('provider:network_type');
    if (networkType === null) throw networkTypeRequired();
    const segment: SegmentSpec = {
      network_type: String(networkType),
      physical_network: value('provider:physical_network') as string | null,
      segmentation_id: value('provider:segmentation_id') as number | null,
    };
    if (segment.physical_network !== null && typeof segment.physical_network !== 'string') {
      throw physicalNetworkNotAString(segment.physical_network);
    }
    this.types.validateProviderSegment(segment);
    return segment;
  }
}

export function toSegment(row: SegmentRow): Segment {
  return {
    id: row.id,
    network_id: row.network_id,
    network_type: row.network_type,
    physical_network: row.physical_network,
    segmentation_id: row.segmentation_id,
    segment_index: row.segment_index,
  };
}
