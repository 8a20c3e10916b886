import { EntitySchema } from 'typeorm';
import { type StandardColumns, standardEntityColumns } from '../../api/resource/standard-row.js';
import { SUBNETS_TABLE } from '../subnetpools/subnetpools.contract.js';

export interface PoolText {
  start: string;
  end: string;
}

export interface HostRoute {
  destination: string;
  nexthop: string;
}

export interface SubnetRow extends StandardColumns {
  name: string;
  network_id: string;
  ip_version: number;
  cidr: string;
  gateway_ip: string | null;
  enable_dhcp: boolean;
  ipv6_ra_mode: string | null;
  ipv6_address_mode: string | null;
  subnetpool_id: string | null;
  /** Sorted by address, as Neutron stores them. */
  allocation_pools: PoolText[];
  dns_nameservers: string[];
  host_routes: HostRoute[];
}

export const SubnetEntity = new EntitySchema<SubnetRow>({
  name: 'Subnet',
  tableName: SUBNETS_TABLE,
  columns: {
    ...standardEntityColumns,
    name: { type: 'varchar', length: 255 },
    network_id: { type: 'varchar', length: 36 },
    ip_version: { type: 'integer' },
    cidr: { type: 'varchar', length: 64 },
    gateway_ip: { type: 'varchar', length: 64, nullable: true },
    enable_dhcp: { type: 'boolean' },
    ipv6_ra_mode: { type: 'varchar', length: 16, nullable: true },
    ipv6_address_mode: { type: 'varchar', length: 16, nullable: true },
    subnetpool_id: { type: 'varchar', length: 36, nullable: true },
    allocation_pools: { type: 'simple-json' },
    dns_nameservers: { type: 'simple-json' },
    host_routes: { type: 'simple-json' },
  },
});
