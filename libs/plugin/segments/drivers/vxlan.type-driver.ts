import { AllocationTable } from '../allocation-table.js';
import type { IdRange } from '../segment-ranges.js';
import { TunnelTypeDriver } from './tunnel.type-driver.js';

export const VXLAN_ALLOCATIONS = new AllocationTable('ml2_vxlan_allocations', 'vxlan_vni', undefined);

export class VxlanTypeDriver extends TunnelTypeDriver {
  readonly type = 'vxlan';
  /** neutron-lib VXLAN_ENCAP_OVERHEAD: 1500 − 20 − 30 = 1450. */
  protected readonly encapOverhead = 30;

  constructor(ranges: readonly IdRange[], physnetMtu: number) {
    super(VXLAN_ALLOCATIONS, ranges, physnetMtu);
  }
}
