import { type AttributeMap, NOT_SPECIFIED, projectAttributes, standardAttributes } from '../../api/resource/attribute.js';
import type { ResourceDefinition, ResourceService } from '../../api/resource/resource-definition.js';
import { networkNotFound } from './network.errors.js';
import {
  convertToBoolean,
  convertToInt,
  validateAvailabilityZoneHintList,
  validateNonNegative,
  validateNetworkSegments,
  validateString,
  validateUuid,
} from '../../api/validators/index.js';

const provider = { allowPost: true, allowPut: true, default: NOT_SPECIFIED, enforcePolicy: true, isFilter: true } as const;

/** networks (neutron-lib network, external-net, net-mtu-writable, port-security, network_availability_zone). */
export const networkAttributes: AttributeMap = {
  id: { allowPost: false, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true },
  name: { allowPost: true, allowPut: true, validate: [validateString(255)], default: '', isFilter: true, isSortKey: true },
  subnets: { allowPost: false, allowPut: false, default: [] },
  admin_state_up: { allowPost: true, allowPut: true, default: true, convert: convertToBoolean, isFilter: true, isSortKey: true },
  status: { allowPost: false, allowPut: false, isFilter: true, isSortKey: true },
  ...projectAttributes(),
  shared: { allowPost: true, allowPut: true, default: false, convert: convertToBoolean, isFilter: true, enforcePolicy: true },
  'router:external': {
    allowPost: true,
    allowPut: true,
    default: false,
    convert: convertToBoolean,
    isFilter: true,
    enforcePolicy: true,
    column: 'router_external',
  },
  mtu: { allowPost: true, allowPut: true, default: 0, convert: convertToInt, validate: [validateNonNegative()], isFilter: true, isSortKey: true },
  port_security_enabled: { allowPost: true, allowPut: true, default: true, convert: convertToBoolean, enforcePolicy: true },
  availability_zone_hints: { allowPost: true, allowPut: false, default: [], validate: [validateAvailabilityZoneHintList()], isSortKey: false },
  availability_zones: { allowPost: false, allowPut: false },
  // provider (neutron-lib provider_net) and multi-provider: admin-only by policy, stored as the network's segments.
  'provider:network_type': { ...provider, validate: [validateString(32)] },
  'provider:physical_network': { ...provider, validate: [validateString(64)] },
  'provider:segmentation_id': { ...provider, convert: convertToInt },
  segments: { allowPost: true, allowPut: true, default: NOT_SPECIFIED, validate: [validateNetworkSegments(NOT_SPECIFIED)], enforcePolicy: true },
  ipv4_address_scope: { allowPost: false, allowPut: false },
  ipv6_address_scope: { allowPost: false, allowPut: false },
  ...standardAttributes(),
};

export function networkDefinition(service: ResourceService): ResourceDefinition {
  return {
    name: 'network',
    collection: 'networks',
    path: 'networks',
    attributes: networkAttributes,
    service,
    taggable: true,
    quotaResource: 'network',
    table: 'networks',
    notFound: networkNotFound,
  };
}
