import { conflict, type DomainError, invalidInput, NeutronError, notFound } from '../../api/errors/neutron-error.js';

/** neutron-lib's subnet pool exceptions (the wire `type`), one factory below for each, with their codes and messages. */
export const SUBNETPOOL_ERRORS = [
  'SubnetPoolNotFound',
  'AddressScopeNotFound',
  'EmptySubnetPoolPrefixList',
  'PrefixVersionMismatch',
  'IllegalSubnetPoolPrefixBounds',
  'IllegalSubnetPoolPrefixUpdate',
  'InvalidInput',
  'SubnetPoolDeleteError',
  'SubnetPoolQuotaExceeded',
  'MinPrefixSubnetAllocationError',
  'MaxPrefixSubnetAllocationError',
  'SubnetAllocationError',
  'HTTPBadRequest',
  'AddrFormatError',
] as const;
export type SubnetPoolError = DomainError<typeof SUBNETPOOL_ERRORS>;

export const subnetPoolNotFound = (id: string): SubnetPoolError => notFound('SubnetPoolNotFound', `Subnet pool ${id} could not be found.`);

export const addressScopeNotFound = (id: string): SubnetPoolError =>
  notFound('AddressScopeNotFound', `Address scope ${id} could not be found.`);

export const emptySubnetPoolPrefixList = (): SubnetPoolError =>
  new NeutronError('EmptySubnetPoolPrefixList', 'Empty subnet pool prefix list.', 400);

export const prefixVersionMismatch = (): SubnetPoolError =>
  new NeutronError('PrefixVersionMismatch', 'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.', 400);

export const illegalPrefixBounds = (prefixType: string, prefixlen: number, baseType: string, baseLen: number): SubnetPoolError =>
  new NeutronError(
    'IllegalSubnetPoolPrefixBounds',
    `Illegal prefix bounds: ${prefixType}=${prefixlen}, ${baseType}=${baseLen}.`,
    400,
  );

export const illegalPrefixUpdate = (msg: string): SubnetPoolError =>
  new NeutronError('IllegalSubnetPoolPrefixUpdate', `Illegal update to prefixes: ${msg}.`, 400);

export const defaultSubnetPoolExists = (): SubnetPoolError =>
  invalidInput('A default subnetpool for this IP family has already been set. Only one default may exist per IP family');

export const subnetPoolDeleteError = (reason: string): SubnetPoolError =>
  new NeutronError('SubnetPoolDeleteError', `Unable to delete subnet pool: ${reason}.`, 400);

export const subnetPoolQuotaExceeded = (): SubnetPoolError => conflict('SubnetPoolQuotaExceeded', 'Per-tenant subnet pool prefix quota exceeded.');

export const minPrefixAllocationError = (prefixlen: number, min: number): SubnetPoolError =>
  new NeutronError(
    'MinPrefixSubnetAllocationError',
    `Unable to allocate subnet with prefix length ${prefixlen}, minimum allowed prefix is ${min}.`,
    400,
  );

export const maxPrefixAllocationError = (prefixlen: number, max: number): SubnetPoolError =>
  new NeutronError(
    'MaxPrefixSubnetAllocationError',
    `Unable to allocate subnet with prefix length ${prefixlen}, maximum allowed prefix is ${max}.`,
    400,
  );

/**
 * Neutron's fault map has no entry for it, so Neutron answers a 500 with its text. The pool simply has no room for
 * the request: we answer 409 (the pool's state conflicts with the request), keeping Neutron's type and message.
 */
export const subnetAllocationError = (reason: string): SubnetPoolError =>
  new NeutronError('SubnetAllocationError', `Failed to allocate subnet: ${reason}.`, 409);

/** subnetpool_prefix_ops.get_operation_request_body */
export const invalidPrefixOpsBody = (): SubnetPoolError => new NeutronError('HTTPBadRequest', 'Request body contains invalid data', 400);

/** netaddr's AddrFormatError for a prefix it cannot parse (IPNetwork('…')), a 400. */
export const addrFormatError = (network: string): SubnetPoolError =>
  new NeutronError('AddrFormatError', `invalid IPNetwork ${network}`, 400);
