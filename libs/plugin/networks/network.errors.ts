import { type DomainError, invalidInput, notFound } from '../../api/errors/neutron-error.js';

/** neutron-lib's exceptions the networks domain raises (the wire `type`), one factory below for each. */
export const NETWORK_ERRORS = ['NetworkNotFound', 'AvailabilityZoneNotFound', 'InvalidInput'] as const;
export type NetworkError = DomainError<typeof NETWORK_ERRORS>;

export const networkNotFound = (id: string): NetworkError => notFound('NetworkNotFound', `Network ${id} could not be found.`);

export const availabilityZoneNotFound = (name: string): NetworkError =>
  notFound('AvailabilityZoneNotFound', `AvailabilityZone ${name} could not be found.`);

/** Ml2Plugin._get_network_mtu's InvalidInput. */
export const mtuTooBig = (max: number): NetworkError => invalidInput(`Requested MTU is too big, maximum is ${max}`);
