import { conflict, invalidInput, NeutronError, notFound } from '../../api/errors/neutron-error.js';

/** neutron-lib's subnet pool exceptions, with their classes' names, codes and messages. */
export const subnetPoolNotFound = (id: string) => notFound('SubnetPoolNotFound', `Subnet pool ${id} could not be found.`);

export const addressScopeNotFound = (id: string) =>
  notFound('AddressScopeNotFound', `Address scope ${id} could not be found.`);

export const emptySubnetPoolPrefixList = () =>
  new NeutronError('EmptySubnetPoolPrefixList', 'Empty subnet pool prefix list.', 400);

export const prefixVersionMismatch = () =>
  new NeutronError('PrefixVersionMismatch', 'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.', 400);

export const illegalPrefixBounds = (prefixType: string, prefixlen: number, baseType: string, baseLen: number) =>
  new NeutronError(
    'IllegalSubnetPoolPrefixBounds',
    `Illegal prefix bounds: ${prefixType}=${prefixlen}, ${baseType}=${baseLen}.`,
    400,
  );

export const illegalPrefixUpdate = (msg: string) =>
  new NeutronError('IllegalSubnetPoolPrefixUpdate', `Illegal update to prefixes: ${msg}.`, 400);

export const defaultSubnetPoolExists = () =>
  invalidInput('A default subnetpool for this IP family has already been set. Only one default may exist per IP family');

export const subnetPoolDeleteError = (reason: string) =>
  new NeutronError('SubnetPoolDeleteError', `Unable to delete subnet pool: ${reason}.`, 400);

export const subnetPoolQuotaExceeded = () => conflict('SubnetPoolQuotaExceeded', 'Per-tenant subnet pool prefix quota exceeded.');

export const minPrefixAllocationError = (prefixlen: number, min: number) =>
  new NeutronError(
    'MinPrefixSubnetAllocationError',
    `Unable to allocate subnet with prefix length ${prefixlen}, minimum allowed prefix is ${min}.`,
    400,
  );

export const maxPrefixAllocationError = (prefixlen: number, max: number) =>
  new NeutronError(
    'MaxPrefixSubnetAllocationError',
    `Unable to allocate subnet with prefix length ${prefixlen}, maximum allowed prefix is ${max}.`,
    400,
  );

/**
 * Neutron's fault map has no entry for it, so Neutron answers a 500 with its text. The pool simply has no room for
 * the request: we answer 409 (the pool's state conflicts with the request), keeping Neutron's type and message.
 */
export const subnetAllocationError = (reason: string) =>
  new NeutronError('SubnetAllocationError', `Failed to allocate subnet: ${reason}.`, 409);

/** webob's HTTPBadRequest raised by ipam_backend_mixin as BadRequest(resource='subnets', …). */
export const badSubnetsRequest = (msg: string) => new NeutronError('BadRequest', `Bad subnets request: ${msg}.`, 400);

/** subnetpool_prefix_ops.get_operation_request_body */
export const invalidPrefixOpsBody = () => new NeutronError('HTTPBadRequest', 'Request body contains invalid data', 400);
