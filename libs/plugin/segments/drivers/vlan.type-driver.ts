import type { EntityManager } from 'typeorm';
import { AllocationTable } from '../allocation-table.js';
import {
  noNetworkAvailable,
  segmentationIdOutOfRange,
  unknownPhysicalNetwork,
  vlanIdInUse,
  vlanSegmentationIdWithoutPhysnet,
} from '../segment.errors.js';
import { type IdRange, VLAN_TAG_RANGE } from '../segment-ranges.js';
import type { SegmentSpec, TypeDriver } from '../type-driver.js';

export const VLAN_ALLOCATIONS = new AllocationTable('ml2_vlan_allocations', 'vlan_id', 'physical_network');

/** 802.1Q VLANs on the physical networks of network_vlan_ranges; tenant networks from their ranges, in order. */
export class VlanTypeDriver implements TypeDriver {
  readonly type = 'vlan';

  constructor(
    private readonly ranges: ReadonlyMap<string, readonly IdRange[]>,
    private readonly physnetMtu: number,
  ) {}

  validateProviderSegment(segment: SegmentSpec): void {
    const { physical_network: physnet, segmentation_id: id } = segment;
    if (physnet) {
      if (!this.ranges.has(physnet)) throw unknownPhysicalNetwork(physnet, 'VLAN');
      if (id !== null && !(id >= VLAN_TAG_RANGE[0] && id <= VLAN_TAG_RANGE[1])) {
        throw segmentationIdOutOfRange(VLAN_TAG_RANGE);
      }
    } else if (id !== null) {
      throw vlanSegmentationIdWithoutPhysnet();
    }
  }

  isPartialSegment(segment: SegmentSpec): boolean {
    return segment.segmentation_id === null;
  }

  async reserveProviderSegment(em: EntityManager, segment: SegmentSpec): Promise<SegmentSpec> {
    if (this.isPartialSegment(segment)) {
      const physnets = segment.physical_network ? [segment.physical_network] : [...this.ranges.keys()];
      const found = await this.takeFrom(em, physnets);
      if (!found) throw noNetworkAvailable();
      return found;
    }
    const physnet = segment.physical_network!;
    const id = segment.segmentation_id!;
    if (!(await VLAN_ALLOCATIONS.take(em, physnet, id))) throw vlanIdInUse(id, physnet);
    return { network_type: this.type, physical_network: physnet, segmentation_id: id };
  }

  allocateTenantSegment(em: EntityManager): Promise<SegmentSpec | undefined> {
    return this.takeFrom(em, [...this.ranges.keys()]);
  }

  releaseSegment(em: EntityManager, segment: SegmentSpec): Promise<void> {
    return VLAN_ALLOCATIONS.release(em, segment.physical_network, segment.segmentation_id);
  }

  mtu(): number {
    return this.physnetMtu;
  }

  private async takeFrom(em: EntityManager, physnets: string[]): Promise<SegmentSpec | undefined> {
    for (const physnet of physnets) {
      const id = await VLAN_ALLOCATIONS.takeFree(em, physnet, this.ranges.get(physnet) ?? []);
      if (id !== undefined) return { network_type: this.type, physical_network: physnet, segmentation_id: id };
    }
    return undefined;
  }
}
