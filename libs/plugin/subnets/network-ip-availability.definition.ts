import type { AttributeMap } from '../../api/resource/attribute.js';
import type { ResourceDefinition } from '../../api/resource/resource-definition.js';
import { convertToInt } from '../../api/validators/index.js';
import { networkNotFound } from '../networks/network.errors.js';
import type { NetworkIpAvailabilityService } from './network-ip-availability.service.js';

const readOnly = { allowPost: false, allowPut: false };

/** neutron-lib network_ip_availability; columns name the networks table the list query runs on. */
export const networkIpAvailabilityAttributes: AttributeMap = {
  network_id: { ...readOnly, isFilter: true, isSortKey: true, column: 'id' },
  network_name: { ...readOnly, isFilter: true, column: 'name' },
  tenant_id: { ...readOnly, isFilter: true, column: 'project_id' },
  project_id: { ...readOnly, isFilter: true, column: 'project_id' },
  total_ips: readOnly,
  used_ips: readOnly,
  subnet_ip_availability: readOnly,
  // A filter only: the subnets' IP version (the nested ip_version is an output).
  ip_version: { ...readOnly, isVisible: false, isFilter: true, convertFilter: convertToInt },
};

export function networkIpAvailabilityDefinition(service: NetworkIpAvailabilityService): ResourceDefinition {
  return {
    name: 'network_ip_availability',
    collection: 'network_ip_availabilities',
    path: 'network-ip-availabilities',
    attributes: networkIpAvailabilityAttributes,
    service,
    readOnly: true,
    notFound: networkNotFound,
  };
}
