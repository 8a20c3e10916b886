import type { EntityManager } from 'typeorm';
import { type AppConfig, ConfigError } from '../../config/index.js';
import { FlatTypeDriver } from './drivers/flat.type-driver.js';
import { GeneveTypeDriver } from './drivers/geneve.type-driver.js';
import { VlanTypeDriver } from './drivers/vlan.type-driver.js';
import { VxlanTypeDriver } from './drivers/vxlan.type-driver.js';
import { networkTypeNotSupported, noNetworkAvailable, segmentsContainDuplicateEntry } from './segment.errors.js';
import { parseTunnelRanges, parseVlanRanges } from './segment-ranges.js';
import type { SegmentSpec, TypeDriver } from './type-driver.js';

export const TYPE_MANAGER = Symbol('TYPE_MANAGER');

/** ML2's TypeManager: the configured type drivers, tenant network types in order, validation and allocation. */
export class TypeManager {
  private readonly drivers = new Map<string, TypeDriver>();

  constructor(
    drivers: TypeDriver[],
    private readonly tenantTypes: readonly string[],
    /** global_physnet_mtu: the MTU of a network without segments. */
    readonly defaultMtu: number,
  ) {
    for (const driver of drivers) this.drivers.set(driver.type, driver);
    const missing = tenantTypes.find((t) => !this.drivers.has(t));
    if (missing !== undefined) {
      throw new ConfigError(`Invalid configuration:\n  ml2.tenant_network_types: No type driver for tenant network_type: ${missing}`);
    }
  }

  /** Builds the drivers from the ml2 section; a bad range stops the start with a ConfigError naming the key. */
  static fromConfig(config: AppConfig): TypeManager {
    const mtu = config.network.global_physnet_mtu;
    const ml2 = config.ml2;
    const make: Record<string, () => TypeDriver> = {
      flat: () => new FlatTypeDriver(ml2.flat_networks, mtu),
      vlan: () => new VlanTypeDriver(parseVlanRanges(ml2.network_vlan_ranges), mtu),
      vxlan: () => new VxlanTypeDriver(parseTunnelRanges(ml2.vni_ranges, 'vxlan', 'vni_ranges'), mtu),
      geneve: () => new GeneveTypeDriver(parseTunnelRanges(ml2.geneve_vni_ranges, 'geneve', 'geneve_vni_ranges'), mtu),
    };
    return new TypeManager([...new Set(ml2.type_drivers)].map((t) => make[t]()), ml2.tenant_network_types, mtu);
  }

  validateProviderSegment(segment: SegmentSpec): void {
    this.driver(segment.network_type).validateProviderSegment(segment);
  }

  /** multiprovidernet's check_duplicate_segments: two identical fully specified segments are refused. */
  checkDuplicates(segments: SegmentSpec[]): void {
    const full = segments
      .filter((s) => !this.driver(s.network_type).isPartialSegment(s))
      .map((s) => JSON.stringify([s.network_type, s.physical_network, s.segmentation_id]));
    if (new Set(full).size !== full.length) throw segmentsContainDuplicateEntry();
  }

  reserveProviderSegment(em: EntityManager, segment: SegmentSpec): Promise<SegmentSpec> {
    return this.driver(segment.network_type).reserveProviderSegment(em, segment);
  }

  /** The first tenant network type with a free segment; 503 NoNetworkAvailable when none has one. */
  async allocateTenantSegment(em: EntityManager): Promise<SegmentSpec> {
    for (const type of this.tenantTypes) {
      const segment = await this.driver(type).allocateTenantSegment(em);
      if (segment) return segment;
    }
    throw noNetworkAvailable();
  }

  async releaseSegment(em: EntityManager, segment: SegmentSpec): Promise<void> {
    // A segment of a type no longer configured keeps nothing to release (Neutron skips it too).
    await this.drivers.get(segment.network_type)?.releaseSegment(em, segment);
  }

  /** Neutron's _get_network_mtu: the smallest MTU of the segments, global_physnet_mtu without any. */
  maxMtu(segments: readonly Pick<SegmentSpec, 'network_type' | 'physical_network'>[]): number {
    const mtus = segments.flatMap((s) => {
      const mtu = this.drivers.get(s.network_type)?.mtu(s.physical_network);
      return mtu ? [mtu] : [];
    });
    return mtus.length ? Math.min(...mtus) : this.defaultMtu;
  }

  private driver(type: string): TypeDriver {
    const driver = this.drivers.get(type);
    if (!driver) throw networkTypeNotSupported(type);
    return driver;
  }
}
