import type { RequestContext } from '../../api/resource/resource-definition.js';

/** One entry of a port's fixed_ips as the API shows it. */
export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

/** One entry of a request's fixed_ips (either key may be missing). */
export interface FixedIpRequest {
  subnet_id?: string;
  ip_address?: string;
}

/**
 * IP address management for ports, implemented by libs/plugin/ipam (owner: subnets/IPAM).
 * Every method runs inside the caller's transaction (ctx.em). Uniqueness of an address per subnet is a database
 * constraint; allocation must not scan all allocations of a subnet (free ranges or equivalent).
 */
export interface Ipam {
  /**
   * Addresses for a new port. `requests` undefined = Neutron's default (an address from the network's subnets as
   * Neutron picks them, IPv6 auto-address subnets included); [] = no address. Errors as Neutron:
   * IpAddressGenerationFailure, IpAddressAlreadyAllocated/IpAddressInUse, InvalidIpForNetwork/InvalidIpForSubnet,
   * SubnetNotFound, InvalidInput…
   * `macAddress` (the port's MAC) gives the EUI-64 address on SLAAC/DHCPv6-stateless subnets; without it those are skipped.
   * `portInserted`: the port's row is still being inserted (it resolves to its final MAC): the allocation starts now
   * (its reads ride with the insert) and writes the port's addresses once the row is there.
   */
  allocate(
    ctx: RequestContext,
    args: { networkId: string; portId: string; deviceOwner: string; requests?: FixedIpRequest[]; macAddress?: string; portInserted?: Promise<string> },
  ): Promise<FixedIp[]>;
  /** Sends the read allocate needs first (the network's subnets) without waiting, so it can ride with other statements. */
  readSubnetsEarly(ctx: RequestContext, networkId: string): void;
  /** Replaces the port's addresses with `requests` (kept ones stay, removed ones are released, new ones allocated). */
  reallocate(
    ctx: RequestContext,
    args: { networkId: string; portId: string; deviceOwner: string; current: FixedIp[]; requests: FixedIpRequest[]; macAddress?: string },
  ): Promise<FixedIp[]>;
  /** Frees every address of the port. */
  release(ctx: RequestContext, portId: string): Promise<void>;
  /** Addresses of many ports in one query, each list ordered as Neutron shows them. */
  loadForPorts(ctx: RequestContext, portIds: string[]): Promise<Map<string, FixedIp[]>>;
}
export const IPAM = Symbol('IPAM');

/** Name of the table holding one row per allocated address (subnet_id, ip_address, port_id, network_id). */
export const IP_ALLOCATIONS_TABLE = 'ipallocations';
