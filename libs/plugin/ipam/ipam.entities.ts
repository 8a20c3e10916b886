import { EntitySchema } from 'typeorm';
import { IP_ALLOCATIONS_TABLE } from './ipam.contract.js';

/** One allocated address; the primary key (subnet_id, ip_address) is what makes an address unique. */
export interface IpAllocationRow {
  subnet_id: string;
  /** Canonical text (inet_ntop), as the API shows it. */
  ip_address: string;
  port_id: string;
  network_id: string;
}

export const IpAllocationEntity = new EntitySchema<IpAllocationRow>({
  name: 'IpAllocation',
  tableName: IP_ALLOCATIONS_TABLE,
  columns: {
    subnet_id: { type: 'varchar', length: 36, primary: true },
    ip_address: { type: 'varchar', length: 64, primary: true },
    port_id: { type: 'varchar', length: 36 },
    network_id: { type: 'varchar', length: 36 },
  },
});

export const FREE_RANGES_TABLE = 'ipam_free_ranges';

/**
 * A run of pool addresses, bounds as fixed-width hex (text order = numeric order): next_ip..last_ip are free,
 * first_ip (the key) ..next_ip-1 were handed out since the row was made.
 */
export interface FreeRangeRow {
  subnet_id: string;
  first_ip: string;
  next_ip: string;
  last_ip: string;
}

export const FreeRangeEntity = new EntitySchema<FreeRangeRow>({
  name: 'IpamFreeRange',
  tableName: FREE_RANGES_TABLE,
  columns: {
    subnet_id: { type: 'varchar', length: 36, primary: true },
    first_ip: { type: 'varchar', length: 32, primary: true },
    next_ip: { type: 'varchar', length: 32 },
    last_ip: { type: 'varchar', length: 32 },
  },
});
