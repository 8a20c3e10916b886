import { NeutronError, notFound } from '../../api/errors/neutron-error.js';

/** The ports domain's errors: Neutron's exception names, one factory each. */
export type PortErrorCode = 'PortNotFound' | 'MacAddressInUse' | 'MacAddressGenerationFailure' | 'UnsupportedPortDeviceOwner' | 'NetworkInUse';

const portError = (code: PortErrorCode, message: string, status: number) => new NeutronError(code, message, status);

export const portNotFound = (id: string) => notFound('PortNotFound' satisfies PortErrorCode, `Port ${id} could not be found.`);

export const macInUse = (networkId: string, mac: string) =>
  portError('MacAddressInUse', `Unable to complete operation for network ${networkId}. The mac address ${mac} is in use.`, 409);

export const macAddressGenerationFailure = (networkId: string) =>
  portError('MacAddressGenerationFailure', `Unable to generate unique mac on network ${networkId}.`, 503);

/** Neutron formats the builtin `id` here instead of the port id; the wire text keeps that. */
export const unsupportedMacUpdate = (owner: string) =>
  portError('UnsupportedPortDeviceOwner', `Operation mac address update is not supported for device_owner ${owner} on port <built-in function id>.`, 409);

export const networkInUse = (networkId: string, portIds: string[]) =>
  portError(
    'NetworkInUse',
    `Unable to complete operation on network ${networkId}. ` +
      `There are one or more ports still in use on the network, id for these ports is: ${portIds.join(',')}.`,
    409,
  );
