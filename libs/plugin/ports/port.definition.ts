import { type AttributeMap, NOT_SPECIFIED, projectAttributes, standardAttributes } from '../../api/resource/attribute.js';
import type { ApiObject, RequestContext, ResourceDefinition, ResourceService } from '../../api/resource/resource-definition.js';
import { portNotFound } from './ports.errors.js';
import {
  convertKvpStrToList,
  convertToBoolean,
  convertToSanitizedMacAddress,
  validateFixedIps,
  validateListOfUniqueStrings,
  validateMacAddressOrNone,
  validateString,
  validateUuid,
} from '../../api/validators/index.js';

/**
 * port-mac-address-regenerate: null asks for a new MAC (the service generates it); text is sanitized. A JSON number
 * or boolean is left as is for the validator to refuse: netaddr would read `123` or `true` as an integer MAC.
 */
const convertMac = (value: unknown) =>
  value === null ? null : typeof value === 'number' || typeof value === 'boolean' ? value : convertToSanitizedMacAddress(value);

/** `fixed_ips=ip_address=…` filters: each value is `key=value` (convert_kvp_list_to_dict; a lone 'True' is no filter). */
const convertFixedIpFilter = (value: unknown) => (value === 'True' ? null : convertKvpStrToList(value));

/**
 * ports as neutron-lib's port definition has them (with port-mac-address-regenerate and
 * tag-ports-during-bulk-creation). Other extensions' attributes (allowed-address-pairs, binding, extra_dhcp_opt,
 * port-security, security-group) are fragments their own domains add (ResourceRegistry.extend), after these.
 */
export const portAttributes: AttributeMap = {
  id: { allowPost: false, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true },
  name: { allowPost: true, allowPut: true, default: '', validate: [validateString(255)], isFilter: true, isSortKey: true },
  network_id: { allowPost: true, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true },
  admin_state_up: { allowPost: true, allowPut: true, default: true, convert: convertToBoolean, isFilter: true, isSortKey: true },
  mac_address: {
    allowPost: true,
    allowPut: true,
    default: NOT_SPECIFIED,
    convert: convertMac,
    validate: [validateMacAddressOrNone()],
    enforcePolicy: true,
    isFilter: true,
    isSortKey: true,
    convertFilter: convertToSanitizedMacAddress,
  },
  fixed_ips: {
    allowPost: true,
    allowPut: true,
    default: NOT_SPECIFIED,
    validate: [validateFixedIps()],
    enforcePolicy: true,
    isFilter: true,
    convertFilter: convertFixedIpFilter,
  },
  device_id: { allowPost: true, allowPut: true, default: '', validate: [validateString(255)], isFilter: true, isSortKey: true },
  device_owner: {
    allowPost: true,
    allowPut: true,
    default: '',
    validate: [validateString(255)],
    enforcePolicy: true,
    isFilter: true,
    isSortKey: true,
  },
  ...projectAttributes(),
  status: { allowPost: false, allowPut: false, isFilter: true, isSortKey: true },
  ...standardAttributes(),
  tags: { allowPost: true, allowPut: false, default: [], validate: [validateListOfUniqueStrings(255)] },
};

export { portNotFound };

export function portDefinition(
  service: ResourceService,
  policyTarget: (ctx: RequestContext, item: ApiObject) => Promise<ApiObject>,
): ResourceDefinition {
  return {
    name: 'port',
    collection: 'ports',
    path: 'ports',
    attributes: portAttributes,
    service,
    taggable: true,
    quotaResource: 'port',
    table: 'ports',
    notFound: portNotFound,
    policyTarget,
  };
}
