import type { EntityManager } from 'typeorm';

/** A network segment (ML2's NetworkSegment): what the mechanism drivers bind ports to. */
export interface Segment {
  id: string;
  network_id: string;
  network_type: string;
  physical_network: string | null;
  segmentation_id: number | null;
  /** Order of the segment in a multi-segment network (0 first). */
  segment_index: number;
}

export const NETWORK_SEGMENTS = Symbol('NETWORK_SEGMENTS');

/** What the rest of the plug-in (binding, agent RPC) reads about segments. */
export interface NetworkSegments {
  /** The segments of each network, in segment_index order; one batched query. */
  forNetworks(em: EntityManager, networkIds: string[]): Promise<Map<string, Segment[]>>;
}
