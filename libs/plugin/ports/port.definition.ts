import { notFound } from '../../api/errors/neutron-error.js';
import { type AttributeMap, NOT_SPECIFIED, projectAttributes, standardAttributes } from '../../api/resource/attribute.js';
import type { ApiObject, RequestContext, ResourceDefinition, ResourceService } from '../../api/resource/resource-definition.js';
import {
  convertKvpStrToList,
  convertNoneToEmptyList,
  convertToBoolean,
  convertToInt,
  convertToSanitizedMacAddress,
  type KeySpecs,
  validateAllowedAddressPairs,
  validateAnyKeySpecsOrNone,
  validateDictOrNone,
  validateFixedIps,
  validateListOfUniqueStrings,
  validateMacAddressOrNone,
  validateString,
  validateUuid,
  validateUuidList,
  validateValues,
} from '../../api/validators/index.js';

export const VNIC_TYPES = [
  'normal',
  'direct',
  'macvtap',
  'baremetal',
  'direct-physical',
  'virtio-forwarder',
  'smart-nic',
  'vdpa',
  'accelerator-direct',
  'accelerator-direct-physical',
  'remote-managed',
];

const DHCP_OPT_VERSION = { convert_to: convertToInt, 'type:values': [4, 6], required: false } as const;
/** extra_dhcp_opt's EXTRA_DHCP_OPT_KEY_SPECS: blank-able options first, then any one-line option name. */
const EXTRA_DHCP_OPT_KEY_SPECS: KeySpecs[] = [
  {
    opt_name: { 'type:values': ['router', 'classless-static-route'], required: true },
    opt_value: { 'type:string_or_none': 255, required: true },
    ip_version: DHCP_OPT_VERSION,
  },
  {
    opt_name: { 'type:oneline_not_empty_string': 64, required: true },
    opt_value: { 'type:oneline_not_empty_string_or_none': 255, required: true },
    ip_version: DHCP_OPT_VERSION,
  },
];

/** port-mac-address-regenerate: null asks for a new MAC (the service generates it); anything else is sanitized. */
const convertMac = (value: unknown) => (value === null ? null : convertToSanitizedMacAddress(value));

/** `fixed_ips=ip_address=…` filters: each value is `key=value` (convert_kvp_list_to_dict; a lone 'True' is no filter). */
const convertFixedIpFilter = (value: unknown) => (value === 'True' ? null : convertKvpStrToList(value));

/**
 * ports as neutron-lib defines them (port, port-mac-address-regenerate, allowed-address-pairs, binding,
 * extra_dhcp_opt, port-security, security-group, tag-ports-during-bulk-creation), in Neutron's attribute order:
 * that order shows in policy messages.
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
  allowed_address_pairs: {
    allowPost: true,
    allowPut: true,
    default: NOT_SPECIFIED,
    convert: convertNoneToEmptyList,
    validate: [validateAllowedAddressPairs(10)],
    enforcePolicy: true,
  },
  'binding:vif_type': { allowPost: false, allowPut: false, enforcePolicy: true },
  'binding:vif_details': { allowPost: false, allowPut: false, enforcePolicy: true },
  'binding:vnic_type': { allowPost: true, allowPut: true, default: 'normal', validate: [validateValues(VNIC_TYPES)], enforcePolicy: true },
  'binding:host_id': {
    allowPost: true,
    allowPut: true,
    default: NOT_SPECIFIED,
    enforcePolicy: true,
    isFilter: true,
    column: 'binding_host_id',
  },
  'binding:profile': { allowPost: true, allowPut: true, default: NOT_SPECIFIED, validate: [validateDictOrNone()], enforcePolicy: true },
  extra_dhcp_opts: { allowPost: true, allowPut: true, default: null, validate: [validateAnyKeySpecsOrNone(EXTRA_DHCP_OPT_KEY_SPECS)] },
  port_security_enabled: { allowPost: true, allowPut: true, default: NOT_SPECIFIED, convert: convertToBoolean, enforcePolicy: true },
  security_groups: {
    allowPost: true,
    allowPut: true,
    default: NOT_SPECIFIED,
    convert: convertNoneToEmptyList,
    validate: [validateUuidList()],
    isFilter: true,
  },
  ...standardAttributes(),
  tags: { allowPost: true, allowPut: false, default: [], validate: [validateListOfUniqueStrings(255)] },
};

export const portNotFound = (id: string) => notFound('PortNotFound', `Port ${id} could not be found.`);

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
