import { AllocationTable } from '../allocation-table.js';
import type { IdRange } from '../segment-ranges.js';
import { TunnelTypeDriver } from './tunnel.type-driver.js';

export const GENEVE_ALLOCATIONS = new AllocationTable('ml2_geneve_allocations', 'geneve_vni', undefined);

export class GeneveTypeDriver extends TunnelTypeDriver {
  readonly type = 'geneve';
  /** ml2_type_geneve.max_header_size, default GENEVE_ENCAP_MIN_OVERHEAD: 1500 − 20 − 30 = 1450. */
  protected readonly encapOverhead = 30;

  constructor(ranges: readonly IdRange[], physnetMtu: number) {
    super(GENEVE_ALLOCATIONS, ranges, physnetMtu);
  }
}
