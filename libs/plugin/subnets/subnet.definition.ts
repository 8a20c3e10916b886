import { type AttributeMap, NOT_SPECIFIED, projectAttributes, standardAttributes } from '../../api/resource/attribute.js';
import type { ResourceDefinition } from '../../api/resource/resource-definition.js';
import {
  convertCidrToCanonicalFormat,
  convertIpToCanonicalFormat,
  convertNoneToEmptyList,
  convertToBoolean,
  convertToInt,
  validateHostroutes,
  validateIpAddressOrNone,
  validateIpPools,
  validateNameservers,
  validateNonNegative,
  validateString,
  validateSubnetOrNone,
  validateSubnetpoolIdOrNone,
  validateUuid,
  validateValues,
} from '../../api/validators/index.js';
import { subnetNotFound } from '../ipam/ipam.errors.js';
import { IPV6_MODES } from './subnet-validation.js';
import type { SubnetsService } from './subnets.service.js';

/** subnets (neutron-lib subnet, plus default-subnetpools' use_default_subnetpool and the standard attributes). */
export const subnetAttributes: AttributeMap = {
  id: { allowPost: false, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true },
  name: { allowPost: true, allowPut: true, default: '', validate: [validateString(255)], isFilter: true, isSortKey: true },
  ip_version: { allowPost: true, allowPut: false, convert: convertToInt, validate: [validateValues([4, 6])], isFilter: true, isSortKey: true },
  network_id: { allowPost: true, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true },
  subnetpool_id: {
    allowPost: true,
    allowPut: false,
    default: NOT_SPECIFIED,
    validate: [validateSubnetpoolIdOrNone()],
    isFilter: true,
    isSortKey: true,
  },
  prefixlen: { allowPost: true, allowPut: false, default: NOT_SPECIFIED, convert: convertToInt, validate: [validateNonNegative()], isVisible: false },
  cidr: {
    allowPost: true,
    allowPut: false,
    default: NOT_SPECIFIED,
    convert: convertCidrToCanonicalFormat,
    validate: [validateSubnetOrNone()],
    isFilter: true,
    isSortKey: true,
  },
  gateway_ip: {
    allowPost: true,
    allowPut: true,
    default: NOT_SPECIFIED,
    convert: convertIpToCanonicalFormat,
    validate: [validateIpAddressOrNone()],
    isFilter: true,
    isSortKey: true,
  },
  allocation_pools: { allowPost: true, allowPut: true, default: NOT_SPECIFIED, convert: convertIpToCanonicalFormat, validate: [validateIpPools()] },
  dns_nameservers: { allowPost: true, allowPut: true, default: NOT_SPECIFIED, convert: convertNoneToEmptyList, validate: [validateNameservers()] },
  host_routes: { allowPost: true, allowPut: true, default: NOT_SPECIFIED, convert: convertNoneToEmptyList, validate: [validateHostroutes()] },
  ...projectAttributes(),
  enable_dhcp: { allowPost: true, allowPut: true, default: true, convert: convertToBoolean, isFilter: true, isSortKey: true },
  ipv6_ra_mode: { allowPost: true, allowPut: false, default: NOT_SPECIFIED, validate: [validateValues(IPV6_MODES)], isFilter: true, isSortKey: true },
  ipv6_address_mode: {
    allowPost: true,
    allowPut: false,
    default: NOT_SPECIFIED,
    validate: [validateValues(IPV6_MODES)],
    isFilter: true,
    isSortKey: true,
  },
  shared: {
    allowPost: false,
    allowPut: false,
    default: false,
    convert: convertToBoolean,
    isVisible: false,
    isFilter: true,
    enforcePolicy: true,
  },
  use_default_subnetpool: { allowPost: true, allowPut: false, default: false, convert: convertToBoolean, isVisible: false },
  ...standardAttributes(),
};

export function subnetDefinition(service: SubnetsService): ResourceDefinition {
  return {
    name: 'subnet',
    collection: 'subnets',
    path: 'subnets',
    attributes: subnetAttributes,
    service,
    taggable: true,
    quotaResource: 'subnet',
    table: 'subnets',
    notFound: subnetNotFound,
    policyTarget: (ctx, item) => service.policyTarget(ctx, item),
  };
}
