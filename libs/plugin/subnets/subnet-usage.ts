import type { RequestContext } from '../../api/resource/resource-definition.js';
import { parseIpNetwork } from '../../api/validators/ip.js';
import { cidrBounds } from '../ipam/ip-math.js';
import { IP_ALLOCATIONS_TABLE } from '../ipam/ipam.contract.js';
import { ROUTER_INTERFACE_OWNERS, ROUTER_PORT_OWNERS } from '../ipam/ipam.errors.js';
import { isAutoAddress, type SubnetInfo } from '../ipam/subnet-info.js';
import { AUTO_DELETE_PORT_OWNERS, PORTS_TABLE } from '../ports/ports.contract.js';
import type { SubnetRow } from './subnet.entity.js';
import { cidrPrefixZero, gatewayIpInUse, subnetInUse, subnetOverlaps } from './subnet.errors.js';

/** _validate_subnet_cidr: no /0, and no overlap with another subnet of the same network (other networks may overlap). */
export function assertNoOverlap(cidr: string, networkId: string, siblings: SubnetRow[]): void {
  const net = parseIpNetwork(cidr);
  if (net.prefixlen === 0) throw cidrPrefixZero();
  const mine = cidrBounds(net);
  for (const sibling of siblings) {
    const other = parseIpNetwork(sibling.cidr);
    if (other.version !== net.version) continue;
    const theirs = cidrBounds(other);
    if (mine.first <= theirs.last && theirs.first <= mine.last) {
      throw subnetOverlaps(cidr, networkId);
    }
  }
}

/**
 * _remove_subnet_ip_allocations_from_ports: router interfaces always keep a subnet in use; other ports do too unless
 * their owner is an auto-delete one (DHCP…) or the subnet is auto-address (SLAAC addresses are simply removed).
 */
export async function assertSubnetDeletable(ctx: RequestContext, subnet: SubnetInfo): Promise<void> {
  const qb = ctx.em
    .createQueryBuilder()
    .select('1', 'x')
    .from(IP_ALLOCATIONS_TABLE, 'a')
    .innerJoin(PORTS_TABLE, 'p', 'p.id = a.port_id')
    .where('a.subnet_id = :id', { id: subnet.id });
  if (isAutoAddress(subnet)) qb.andWhere('p.device_owner IN (:...owners)', { owners: ROUTER_INTERFACE_OWNERS });
  else qb.andWhere('p.device_owner NOT IN (:...owners)', { owners: AUTO_DELETE_PORT_OWNERS });
  if (await qb.limit(1).getRawOne()) throw subnetInUse(subnet.id);
}

/** A router port holding the current gateway address blocks changing it (GatewayIpInUse). */
export async function assertGatewayNotInUse(ctx: RequestContext, subnetId: string, gateway: string): Promise<void> {
  const holder = await ctx.em
    .createQueryBuilder()
    .select('a.port_id', 'port_id')
    .from(IP_ALLOCATIONS_TABLE, 'a')
    .innerJoin(PORTS_TABLE, 'p', 'p.id = a.port_id')
    .where('a.subnet_id = :id AND a.ip_address = :gw', { id: subnetId, gw: gateway })
    .andWhere('p.device_owner IN (:...owners)', { owners: ROUTER_PORT_OWNERS })
    .limit(1)
    .getRawOne<{ port_id: string }>();
  if (holder) throw gatewayIpInUse(gateway, holder.port_id);
}
