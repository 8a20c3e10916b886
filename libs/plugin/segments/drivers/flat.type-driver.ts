import type { EntityManager } from 'typeorm';
import { AllocationTable } from '../allocation-table.js';
import {
  flatNetworkInUse,
  flatNetworksDisabled,
  flatPhysnetRequired,
  flatSegmentationIdProhibited,
  unknownPhysicalNetwork,
} from '../segment.errors.js';
import type { SegmentSpec, TypeDriver } from '../type-driver.js';

export const FLAT_ALLOCATIONS = new AllocationTable('ml2_flat_allocations', undefined, 'physical_network');

/** One untagged network per physical network; provider only (tenant flat networks do not exist). */
export class FlatTypeDriver implements TypeDriver {
  readonly type = 'flat';
  /** undefined = any physnet ('*'); [] = flat networks disabled. */
  private readonly allowed: readonly string[] | undefined;

  constructor(
    flatNetworks: readonly string[],
    private readonly physnetMtu: number,
  ) {
    this.allowed = flatNetworks.includes('*') ? undefined : flatNetworks;
  }

  validateProviderSegment(segment: SegmentSpec): void {
    const physnet = segment.physical_network;
    if (!physnet) throw flatPhysnetRequired();
    if (this.allowed && !this.allowed.length) throw flatNetworksDisabled();
    if (this.allowed && !this.allowed.includes(physnet)) throw unknownPhysicalNetwork(physnet, 'flat');
    if (segment.segmentation_id) throw flatSegmentationIdProhibited();
  }

  isPartialSegment(): boolean {
    return false;
  }

  async reserveProviderSegment(em: EntityManager, segment: SegmentSpec): Promise<SegmentSpec> {
    const physnet = segment.physical_network!;
    if (!(await FLAT_ALLOCATIONS.take(em, physnet, null))) throw flatNetworkInUse(physnet);
    return { network_type: this.type, physical_network: physnet, segmentation_id: null };
  }

  allocateTenantSegment(): Promise<SegmentSpec | undefined> {
    return Promise.resolve(undefined);
  }

  releaseSegment(em: EntityManager, segment: SegmentSpec): Promise<void> {
    return FLAT_ALLOCATIONS.release(em, segment.physical_network, null);
  }

  mtu(): number {
    return this.physnetMtu;
  }
}
