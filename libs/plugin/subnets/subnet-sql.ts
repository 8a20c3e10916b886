import type { EntityManager } from 'typeorm';
import { sqlFlag, sqlJson, sqlRows } from '../../db/index.js';
import { SUBNETS_TABLE } from '../subnetpools/subnetpools.contract.js';
import type { HostRoute, PoolText, SubnetRow } from './subnet.entity.js';
import { STANDARD_COLUMN_NAMES, standardColumnsFromSql } from '../../api/resource/standard-row.js';

/** The subnets table read as plain SQL, for hot paths that check subnets inside a request (router interfaces). */
const SUBNET_COLUMNS = [
  ...STANDARD_COLUMN_NAMES,
  'name',
  'network_id',
  'ip_version',
  'cidr',
  'gateway_ip',
  'enable_dhcp',
  'ipv6_ra_mode',
  'ipv6_address_mode',
  'subnetpool_id',
  'allocation_pools',
  'dns_nameservers',
  'host_routes',
] as const satisfies readonly (keyof SubnetRow)[];

const SELECT_SUBNETS = `SELECT ${SUBNET_COLUMNS.join(', ')} FROM ${SUBNETS_TABLE}`;

/** A row as either driver returns it → SubnetRow (booleans from 0/1, the JSON columns parsed). */
export function subnetFromSql(raw: Record<string, unknown>): SubnetRow {
  return {
    ...standardColumnsFromSql(raw),
    name: raw.name as string,
    network_id: raw.network_id as string,
    ip_version: Number(raw.ip_version),
    cidr: raw.cidr as string,
    gateway_ip: raw.gateway_ip as string | null,
    enable_dhcp: sqlFlag(raw.enable_dhcp),
    ipv6_ra_mode: raw.ipv6_ra_mode as string | null,
    ipv6_address_mode: raw.ipv6_address_mode as string | null,
    subnetpool_id: raw.subnetpool_id as string | null,
    allocation_pools: sqlJson<PoolText[]>(raw.allocation_pools, []),
    dns_nameservers: sqlJson<string[]>(raw.dns_nameservers, []),
    host_routes: sqlJson<HostRoute[]>(raw.host_routes, []),
  };
}

/** Subnets by a condition on the subnets table (`?` parameters), e.g. `id = ?`, with an optional `ORDER BY …`. */
export async function selectSubnets(em: EntityManager, where: string, params: unknown[], orderBy = ''): Promise<SubnetRow[]> {
  const rows = await sqlRows<Record<string, unknown>>(em, `${SELECT_SUBNETS} WHERE ${where}${orderBy ? ` ORDER BY ${orderBy}` : ''}`, params);
  return rows.map(subnetFromSql);
}
