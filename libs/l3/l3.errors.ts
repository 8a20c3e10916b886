import { type DomainError, NeutronError } from '../api/errors/neutron-error.js';

/** neutron_lib.exceptions.l3 / extraroute and the core exceptions the L3 plug-in raises, with their HTTP codes. */
export const L3_ERRORS = [
  'RouterNotFound',
  'RouterInUse',
  'RouterInterfaceNotFound',
  'RouterInterfaceNotFoundForSubnet',
  'RouterInterfaceInUseByFloatingIP',
  'RouterInterfaceInUseByRoute',
  'RouterExternalGatewayInUseByFloatingIp',
  'FloatingIPNotFound',
  'ExternalGatewayForFloatingIPNotFound',
  'FloatingIPPortAlreadyAssociated',
  'InvalidRoutes',
  'RoutesExhausted',
  'ServicePortInUse',
  'PortInUse',
  'BadRequest',
  'NetworkNotFound',
  'SubnetNotFound',
  'PortNotFound',
  'SubnetMismatchForPort',
  'ExternalIpAddressExhausted',
  'AvailabilityZoneNotFound',
  'PolicyNotAuthorized',
] as const;
export type L3Error = DomainError<typeof L3_ERRORS>;

const err = (type: L3Error['type'], message: string, status: number): L3Error => new NeutronError(type, message, status);

export const routerNotFound = (id: string) => err('RouterNotFound', `Router ${id} could not be found`, 404);
export const routerInUse = (id: string, reason = 'still has ports') => err('RouterInUse', `Router ${id} ${reason}`, 409);
export const routerInterfaceNotFound = (routerId: string, portId: string) =>
  err('RouterInterfaceNotFound', `Router ${routerId} does not have an interface with id ${portId}`, 404);
export const routerInterfaceNotFoundForSubnet = (routerId: string, subnetId: string) =>
  err('RouterInterfaceNotFoundForSubnet', `Router ${routerId} has no interface on subnet ${subnetId}`, 404);
export const routerInterfaceInUseByFloatingIp = (routerId: string, subnetId: string) =>
  err(
    'RouterInterfaceInUseByFloatingIP',
    `Router interface for subnet ${subnetId} on router ${routerId} cannot be deleted, as it is required by one or more floating IPs.`,
    409,
  );
export const routerInterfaceInUseByRoute = (routerId: string, subnetId: string) =>
  err(
    'RouterInterfaceInUseByRoute',
    `Router interface for subnet ${subnetId} on router ${routerId} cannot be deleted, as it is required by one or more routes.`,
    409,
  );
export const gatewayInUseByFloatingIp = (routerId: string, netId: string) =>
  err(
    'RouterExternalGatewayInUseByFloatingIp',
    `Gateway cannot be updated for router ${routerId}, since a gateway to external network ${netId} is required by one or more floating IPs.`,
    409,
  );
export const floatingIpNotFound = (id: string) => err('FloatingIPNotFound', `Floating IP ${id} could not be found`, 404);
export const externalGatewayForFloatingIpNotFound = (netId: string, subnetId: string, portId: string) =>
  err(
    'ExternalGatewayForFloatingIPNotFound',
    `External network ${netId} is not reachable from subnet ${subnetId}.  Therefore, cannot associate Port ${portId} with a Floating IP.`,
    404,
  );
export const floatingIpPortAlreadyAssociated = (a: { address: string; fipId: string; portId: string; fixedIp: string; netId: string }) =>
  err(
    'FloatingIPPortAlreadyAssociated',
    `Cannot associate floating IP ${a.address} (${a.fipId}) with port ${a.portId} using fixed IP ${a.fixedIp}, ` +
      `as that fixed IP already has a floating IP on external network ${a.netId}.`,
    409,
  );
export const invalidRoutes = (routes: string, reason: string) =>
  err('InvalidRoutes', `Invalid format for routes: ${routes}, ${reason}`, 400);
export const routesExhausted = (routerId: string, quota: number) =>
  err('RoutesExhausted', `Unable to complete operation for ${routerId}. The number of routes exceeds the maximum ${quota}.`, 400);
export const servicePortInUse = (portId: string, reason: string) =>
  err('ServicePortInUse', `Port ${portId} cannot be deleted directly via the port API: ${reason}.`, 409);
export const portInUse = (netId: string, portId: string, deviceId: string) =>
  err('PortInUse', `Unable to complete operation on port ${portId} for network ${netId}. Port already has an attached device ${deviceId}.`, 409);
/** n_exc.BadRequest(resource=…, msg=…). */
export const l3BadRequest = (resource: 'router' | 'floatingip', msg: string) =>
  err('BadRequest', `Bad ${resource} request: ${msg}.`, 400);
export const networkNotFound = (id: string) => err('NetworkNotFound', `Network ${id} could not be found.`, 404);
export const subnetNotFound = (id: string) => err('SubnetNotFound', `Subnet ${id} could not be found.`, 404);
export const portNotFound = (id: string) => err('PortNotFound', `Port ${id} could not be found.`, 404);
export const subnetMismatchForPort = (portId: string, subnetId: string) =>
  err('SubnetMismatchForPort', `Subnet on port ${portId} does not match the requested subnet ${subnetId}.`, 400);
export const externalIpAddressExhausted = (netId: string) =>
  err('ExternalIpAddressExhausted', `Unable to find any IP address on external network ${netId}.`, 400);
export const availabilityZoneNotFound = (name: string) => err('AvailabilityZoneNotFound', `AvailabilityZone ${name} could not be found.`, 404);
export const l3PolicyNotAuthorized = (rule: string) => err('PolicyNotAuthorized', `(${rule}) is disallowed by policy`, 403);
