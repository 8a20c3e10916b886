import type { EntityManager } from 'typeorm';
import type { AllocationTable } from '../allocation-table.js';
import { noNetworkAvailable, physicalNetworkForTunnel, segmentationIdOutOfRange, tunnelIdInUse } from '../segment.errors.js';
import { type IdRange, VNI_RANGE } from '../segment-ranges.js';
import type { SegmentSpec, TypeDriver } from '../type-driver.js';

/** IPv4 header of the overlay (ml2.overlay_ip_version 4, Neutron's default). */
const IP_HEADER_LENGTH = 20;

/** What VXLAN and Geneve share (Neutron's ML2TunnelTypeDriver): ids from ranges, no physical network. */
export abstract class TunnelTypeDriver implements TypeDriver {
  abstract readonly type: string;
  /** Bytes of the tunnel header on top of the outer IP header. */
  protected abstract readonly encapOverhead: number;

  constructor(
    private readonly allocations: AllocationTable,
    private readonly ranges: readonly IdRange[],
    private readonly physnetMtu: number,
  ) {}

  validateProviderSegment(segment: SegmentSpec): void {
    if (segment.physical_network) throw physicalNetworkForTunnel(segment.network_type);
    const id = segment.segmentation_id;
    // Neutron stores whatever integer it is given; ids outside the VNI space would only fail later, in the database.
    if (id !== null && !(id >= VNI_RANGE[0] && id <= VNI_RANGE[1])) {
      throw segmentationIdOutOfRange(VNI_RANGE);
    }
  }

  isPartialSegment(segment: SegmentSpec): boolean {
    return segment.segmentation_id === null;
  }

  async reserveProviderSegment(em: EntityManager, segment: SegmentSpec): Promise<SegmentSpec> {
    if (this.isPartialSegment(segment)) {
      const found = await this.allocateTenantSegment(em);
      if (!found) throw noNetworkAvailable();
      return found;
    }
    const id = segment.segmentation_id!;
    if (!(await this.allocations.take(em, null, id))) throw tunnelIdInUse(id);
    return { network_type: this.type, physical_network: null, segmentation_id: id };
  }

  async allocateTenantSegment(em: EntityManager): Promise<SegmentSpec | undefined> {
    const id = await this.allocations.takeFree(em, null, this.ranges);
    return id === undefined ? undefined : { network_type: this.type, physical_network: null, segmentation_id: id };
  }

  releaseSegment(em: EntityManager, segment: SegmentSpec): Promise<void> {
    return this.allocations.release(em, null, segment.segmentation_id);
  }

  mtu(): number {
    return this.physnetMtu - IP_HEADER_LENGTH - this.encapOverhead;
  }
}
