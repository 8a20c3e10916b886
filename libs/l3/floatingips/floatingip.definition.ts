import { type AttributeMap, projectAttributes, standardAttributes } from '../../api/resource/attribute.js';
import type { ResourceDefinition, ResourceService } from '../../api/resource/resource-definition.js';
import { validateIpAddressOrNone, validateString, validateSubnetOrNone, validateUuid, validateUuidOrNone } from '../../api/validators/index.js';
import { FLOATING_IPS_TABLE } from '../l3.entities.js';
import { floatingIpNotFound } from '../l3.errors.js';

/** floatingips (neutron-lib l3 + fip-port-details), in Neutron's order. */
export const floatingIpAttributes: AttributeMap = {
  id: { allowPost: false, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true },
  floating_ip_address: { allowPost: true, allowPut: false, default: null, validate: [validateIpAddressOrNone()], isFilter: true, isSortKey: true, enforcePolicy: true },
  subnet_id: { allowPost: true, allowPut: false, default: null, validate: [validateUuidOrNone()], isVisible: false },
  floating_network_id: { allowPost: true, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true },
  router_id: { allowPost: false, allowPut: false, default: null, validate: [validateUuidOrNone()], isFilter: true, isSortKey: true },
  port_id: { allowPost: true, allowPut: true, default: null, validate: [validateUuidOrNone()], isFilter: true, column: 'fixed_port_id' },
  fixed_ip_address: { allowPost: true, allowPut: true, default: null, validate: [validateIpAddressOrNone()], isFilter: true, isSortKey: true },
  ...projectAttributes(),
  status: { allowPost: false, allowPut: false, isFilter: true, isSortKey: true },
  port_details: { allowPost: false, allowPut: false },
  ...standardAttributes(),
};

export function floatingIpDefinition(service: ResourceService): ResourceDefinition {
  return {
    name: 'floatingip',
    collection: 'floatingips',
    path: 'floatingips',
    attributes: floatingIpAttributes,
    service,
    taggable: true,
    quotaResource: 'floatingip',
    table: FLOATING_IPS_TABLE,
    notFound: floatingIpNotFound,
  };
}

/** floatingip_pools (floatingip-pools): the IPv4 subnets of the external networks, list only. */
export const floatingIpPoolAttributes: AttributeMap = {
  subnet_id: { allowPost: false, allowPut: false, validate: [validateUuid()] },
  subnet_name: { allowPost: false, allowPut: false, validate: [validateString(255)] },
  network_id: { allowPost: false, allowPut: false, validate: [validateUuid()] },
  cidr: { allowPost: false, allowPut: false, validate: [validateSubnetOrNone()] },
  tenant_id: { allowPost: false, allowPut: false, validate: [validateString(255)] },
  project_id: { allowPost: false, allowPut: false, validate: [validateString(255)] },
};
