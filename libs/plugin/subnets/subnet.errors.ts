import { conflict, type DomainError, invalidInput, NeutronError } from '../../api/errors/neutron-error.js';

/**
 * The exceptions of db_base_plugin_v2._validate_subnet, ipam_backend_mixin and the subnet service (the wire `type`),
 * one factory below for each case, with Neutron's texts.
 */
export const SUBNET_ERRORS = [
  'InvalidInput',
  'BadRequest',
  'HTTPForbidden',
  'SubnetInUse',
  'GatewayIpInUse',
  'NetworkSubnetPoolAffinityError',
  'DNSNameServersExhausted',
  'HostRoutesExhausted',
  'InvalidAllocationPool',
  'OutOfBoundsAllocationPool',
  'OverlappingAllocationPools',
  'GatewayConflictWithAllocationPools',
] as const;
export type SubnetError = DomainError<typeof SUBNET_ERRORS>;
type SubnetErrorCode = SubnetError['type'];

const badRequestOf = (code: SubnetErrorCode, message: string): SubnetError => new NeutronError(code, message, 400);

/** webob's HTTPBadRequest raised by ipam_backend_mixin as BadRequest(resource='subnets', …). */
export const badSubnetsRequest = (msg: string): SubnetError => badRequestOf('BadRequest', `Bad subnets request: ${msg}.`);

export const notAllowedToCreateSubnet = (projectId: string): SubnetError =>
  new NeutronError('HTTPForbidden', `Tenant ${projectId} not allowed to create subnet on this network`, 403);

export const subnetInUse = (id: string): SubnetError =>
  conflict('SubnetInUse', `Unable to complete operation on subnet ${id}: One or more ports have an IP allocation from this subnet.`);

export const gatewayIpInUse = (gateway: string, portId: string): SubnetError =>
  conflict('GatewayIpInUse', `Current gateway ip ${gateway} already in use by port ${portId}. Unable to update.`);

export const networkSubnetPoolAffinity = (): SubnetError =>
  badRequestOf('NetworkSubnetPoolAffinityError', 'Subnets hosted on the same network must be allocated from the same subnet pool.');

const exhausted = (code: 'DNSNameServersExhausted' | 'HostRoutesExhausted', id: string | undefined, what: string): SubnetError =>
  badRequestOf(code, `Unable to complete operation for ${id ?? 'new subnet'}. ${what}`);
export const dnsNameserversExhausted = (id: string | undefined, max: number) =>
  exhausted('DNSNameServersExhausted', id, `The number of DNS nameservers exceeds the limit ${max}.`);
export const hostRoutesExhausted = (id: string | undefined, max: number) =>
  exhausted('HostRoutesExhausted', id, `The number of host routes exceeds the limit ${max}.`);

export const invalidAllocationPool = (pool: string): SubnetError =>
  badRequestOf('InvalidAllocationPool', `The allocation pool ${pool} is not valid.`);
export const outOfBoundsAllocationPool = (pool: string, cidr: string): SubnetError =>
  badRequestOf('OutOfBoundsAllocationPool', `The allocation pool ${pool} spans beyond the subnet cidr ${cidr}.`);
export const overlappingAllocationPools = (a: string, b: string, cidr: string): SubnetError =>
  conflict('OverlappingAllocationPools', `Found overlapping allocation pools: ${a} ${b} for subnet ${cidr}.`);
export const gatewayConflictWithAllocationPools = (gateway: string, pool: string): SubnetError =>
  conflict('GatewayConflictWithAllocationPools', `Gateway ip ${gateway} conflicts with allocation pool ${pool}.`);

// InvalidInput, one per rule of _validate_subnet and _validate_subnet_cidr.
export const cidrPrefixZero = (): SubnetError => invalidInput('0 is not allowed as CIDR prefix length');
export const subnetOverlaps = (cidr: string, networkId: string): SubnetError =>
  invalidInput(`Requested subnet with cidr: ${cidr} for network: ${networkId} overlaps with another subnet`);
export const ipVersionMismatch = (name: string, addr: string, ipVersion: number): SubnetError =>
  invalidInput(`${name} '${addr}' does not match the ip_version '${ipVersion}'`);
export const gatewayNotValidOnSubnet = (): SubnetError => invalidInput('Gateway is not valid on subnet');
export const ipv6AttributeOnIpv4 = (attr: 'ipv6_ra_mode' | 'ipv6_address_mode'): SubnetError =>
  invalidInput(`${attr} is not valid when ip_version is 4`);
export const cannotDisableDhcpWithIpv6Attributes = (): SubnetError => invalidInput('Cannot disable enable_dhcp with ipv6 attributes set');
export const prefixIncompatibleWithDhcp = (): SubnetError =>
  invalidInput('Subnet has a prefix length that is incompatible with DHCP service enabled');
export const dhcpOnMulticast = (): SubnetError => invalidInput('Multicast IP subnet is not supported if enable_dhcp is True');
export const dhcpOnLoopback = (): SubnetError => invalidInput('Loopback IP subnet is not supported if enable_dhcp is True');
export const dhcpOnFirstIpv4 = (): SubnetError => invalidInput("First IP '0.0.0.0' of network is not supported if enable_dhcp is True.");
export const ipv6ModesWithoutDhcp = (): SubnetError =>
  invalidInput('ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False');
export const ipv6ModesDiffer = (ra: string, addr: string): SubnetError =>
  invalidInput(
    `ipv6_ra_mode set to '${ra}' with ipv6_address_mode set to '${addr}' is not valid. If both attributes are set, they must be the same value`,
  );
export const ipv6AutoAddressNeeds64 = (cidr: string): SubnetError =>
  invalidInput(`Invalid CIDR ${cidr} for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64`);
