import { conflict, type DomainError, invalidInput, NeutronError, notFound } from '../../api/errors/neutron-error.js';

/** neutron_lib.constants device owners that change how addresses are handed out. */
export const ROUTER_INTERFACE_OWNERS = [
  'network:router_interface',
  'network:ha_router_replicated_interface',
  'network:router_interface_distributed',
];
export const ROUTER_INTERFACE_OWNERS_SNAT = [...ROUTER_INTERFACE_OWNERS, 'network:router_centralized_snat'];
export const ROUTER_PORT_OWNERS = [...ROUTER_INTERFACE_OWNERS_SNAT, 'network:router_gateway'];

/** neutron-lib's exceptions IPAM raises (the wire `type`), one factory below for each case. */
export const IPAM_ERRORS = [
  'IpAddressGenerationFailure',
  'IpAddressAlreadyAllocated',
  'InvalidIpForNetwork',
  'InvalidIpForSubnet',
  'AllocationOnAutoAddressSubnet',
  'SubnetNotFound',
  'InvalidInput',
] as const;
export type IpamError = DomainError<typeof IPAM_ERRORS>;

export const ipAddressGenerationFailure = (networkId: string): IpamError =>
  conflict('IpAddressGenerationFailure', `No more IP addresses available on network ${networkId}.`);

export const ipAddressAlreadyAllocated = (ip: string, subnetId: string): IpamError =>
  conflict('IpAddressAlreadyAllocated', `IP address ${ip} already allocated in subnet ${subnetId}`);

export const invalidIpForNetwork = (ip: string): IpamError =>
  new NeutronError('InvalidIpForNetwork', `IP address ${ip} is not a valid IP for any of the subnets on the specified network.`, 400);

export const invalidIpForSubnet = (ip: string): IpamError =>
  new NeutronError('InvalidIpForSubnet', `IP address ${ip} is not a valid IP for the specified subnet.`, 400);

export const allocationOnAutoAddressSubnet = (ip: string, subnetId: string): IpamError =>
  new NeutronError(
    'AllocationOnAutoAddressSubnet',
    `IPv6 address ${ip} cannot be directly assigned to a port on subnet ${subnetId} as the subnet is configured for automatic addresses`,
    400,
  );

export const subnetNotFound = (id: string): IpamError => notFound('SubnetNotFound', `Subnet ${id} could not be found.`);

export const invalidSubnetForNetwork = (networkId: string, subnetId: string): IpamError =>
  invalidInput(`Failed to create port on network ${networkId}, because fixed_ips included invalid subnet ${subnetId}`);

export const allocationRequiresSubnets = (): IpamError => invalidInput('IP allocation requires subnets for network');
export const allocationRequiresSubnetOrIp = (): IpamError => invalidInput('IP allocation requires subnet_id or ip_address');
