import type { EntityManager } from 'typeorm';

/** A segment as the type drivers see it (ML2's api.NETWORK_TYPE / PHYSICAL_NETWORK / SEGMENTATION_ID). */
export interface SegmentSpec {
  network_type: string;
  physical_network: string | null;
  segmentation_id: number | null;
}

/** ML2's TypeDriver: one network type, its provider validation, its allocations. Errors are NeutronErrors. */
export interface TypeDriver {
  readonly type: string;
  /** 400 InvalidInput with the driver's message when the provider segment is not acceptable. */
  validateProviderSegment(segment: SegmentSpec): void;
  /** True when the driver fills in the rest (e.g. a VLAN without an id). */
  isPartialSegment(segment: SegmentSpec): boolean;
  /** Reserves a validated provider segment: 409 when taken, 503 NoNetworkAvailable when a partial one finds nothing. */
  reserveProviderSegment(em: EntityManager, segment: SegmentSpec): Promise<SegmentSpec>;
  /** A tenant segment from the configured ranges, or undefined when they are full (or the type has none). */
  allocateTenantSegment(em: EntityManager): Promise<SegmentSpec | undefined>;
  releaseSegment(em: EntityManager, segment: SegmentSpec): Promise<void>;
  /** The largest MTU a network on this segment can have. */
  mtu(physicalNetwork: string | null): number;
}
