/**
 * validatorsByName: neutron-lib's registry (validators.validators plus the ones extensions add), keyed by its names.
 * Each entry takes the `validate` parameter of an attribute map (`{'type:string': 255}` → validatorsByName['type:string'](255)).
 */
import type { Validator } from './types.js';
import {
  type KeySpecs,
  validateAnyKeySpecsOrNone,
  validateDict,
  validateDictOrEmpty,
  validateDictOrNodata,
  validateDictOrNone,
  validateFixedIps,
  validateHostroutes,
  validateIpPools,
  validateListOfRegexOrNone,
  validateListOfUniqueStrings,
  validateNameservers,
  validateSubnetList,
  validateSubnetListOrNone,
  validateSubnetServiceTypes,
  validateSubports,
  validateUuidList,
  validateUuidListNonEmpty,
} from './collection.validators.js';
import {
  validateAllowedAddressPairs,
  validateAvailabilityZoneHintList,
  validateNameNotDefault,
  validateNetworkSegments,
} from './extension.validators.js';
import {
  validateIpAddress,
  validateIpAddressOrNone,
  validateIpOrSubnetOrNone,
  validateMacAddress,
  validateMacAddressOrNone,
  validateSubnet,
  validateSubnetOrNone,
} from './network.validators.js';
import {
  type Limit,
  validateBoolean,
  validateInteger,
  validateNonNegative,
  validatePortRangeOrNone,
  validateRange,
  validateRangeOrNone,
} from './number.validators.js';
import {
  type MaxLen,
  validateNotEmptyString,
  validateNotEmptyStringOrNone,
  validateOnelineNotEmptyString,
  validateOnelineNotEmptyStringOrNone,
  validateRegex,
  validateRegexOrNone,
  validateString,
  validateStringOrNone,
  validateSubnetpoolId,
  validateSubnetpoolIdOrNone,
  validateUuid,
  validateUuidOrNone,
  validateValues,
} from './string.validators.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ValidatorFactory = (param?: any) => Validator;

const range = (p?: readonly [Limit, Limit]) => p ?? [null, null];

export const validatorsByName: Record<string, ValidatorFactory> = {
  'type:dict': (p?: KeySpecs | null) => validateDict(p),
  'type:dict_or_none': (p?: KeySpecs | null) => validateDictOrNone(p),
  'type:dict_or_empty': (p?: KeySpecs | null) => validateDictOrEmpty(p),
  'type:dict_or_nodata': (p?: KeySpecs | null) => validateDictOrNodata(p),
  'type:fixed_ips': () => validateFixedIps(),
  'type:hostroutes': () => validateHostroutes(),
  'type:ip_address': () => validateIpAddress(),
  'type:ip_address_or_none': () => validateIpAddressOrNone(),
  'type:ip_or_subnet_or_none': () => validateIpOrSubnetOrNone(),
  'type:ip_pools': () => validateIpPools(),
  'type:list_of_regex_or_none': (p: string | RegExp) => validateListOfRegexOrNone(p),
  'type:mac_address': () => validateMacAddress(),
  'type:mac_address_or_none': () => validateMacAddressOrNone(),
  'type:nameservers': () => validateNameservers(),
  'type:non_negative': () => validateNonNegative(),
  'type:port_range': (p?: readonly [number, number] | null) => validatePortRangeOrNone(p),
  'type:range': (p?: readonly [Limit, Limit]) => validateRange(...range(p)),
  'type:range_or_none': (p?: readonly [Limit, Limit]) => validateRangeOrNone(...range(p)),
  'type:regex': (p: string | RegExp) => validateRegex(p),
  'type:regex_or_none': (p: string | RegExp) => validateRegexOrNone(p),
  'type:string': (p?: MaxLen) => validateString(p),
  'type:string_or_none': (p?: MaxLen) => validateStringOrNone(p),
  'type:not_empty_string': (p?: MaxLen) => validateNotEmptyString(p),
  'type:not_empty_string_or_none': (p?: MaxLen) => validateNotEmptyStringOrNone(p),
  'type:oneline_not_empty_string': (p?: MaxLen) => validateOnelineNotEmptyString(p),
  'type:oneline_not_empty_string_or_none': (p?: MaxLen) => validateOnelineNotEmptyStringOrNone(p),
  'type:subnet': () => validateSubnet(),
  'type:subnet_list': () => validateSubnetList(),
  'type:subnet_or_none': () => validateSubnetOrNone(),
  'type:subnetpool_id': () => validateSubnetpoolId(),
  'type:subnetpool_id_or_none': () => validateSubnetpoolIdOrNone(),
  'type:subports': () => validateSubports(),
  'type:uuid': () => validateUuid(),
  'type:uuid_or_none': () => validateUuidOrNone(),
  'type:uuid_list': () => validateUuidList(),
  'type:uuid_list_non_empty': () => validateUuidListNonEmpty(),
  'type:values': (p?: readonly unknown[] | null) => validateValues(p),
  'type:boolean': () => validateBoolean(),
  'type:integer': (p?: readonly unknown[] | null) => validateInteger(p),
  'type:list_of_unique_strings': (p?: MaxLen) => validateListOfUniqueStrings(p),
  'type:list_of_any_key_specs_or_none': (p: readonly KeySpecs[]) => validateAnyKeySpecsOrNone(p),
  'type:list_of_subnets_or_none': () => validateSubnetListOrNone(),
  'type:list_of_subnet_service_types': () => validateSubnetServiceTypes(),
  // registered by extension modules
  'type:availability_zone_hint_list': () => validateAvailabilityZoneHintList(),
  // the Python parameter is None; ours is cfg max_allowed_address_pair (default 10)
  'type:allowed_address_pairs': (p?: number | null) => validateAllowedAddressPairs(p ?? 10),
  // the Python parameter is None; ours is the ATTR_NOT_SPECIFIED sentinel to fill in
  'type:network_segments': (p?: unknown) => (p === undefined || p === null ? validateNetworkSegments() : validateNetworkSegments(p)),
  'type:name_not_default': (p?: MaxLen) => validateNameNotDefault(p ?? 255),
};

/** get_validator: by 'type:name' or bare 'name'. */
export function getValidator(name: string): ValidatorFactory | undefined {
  const key = name.startsWith('type:') ? name : `type:${name}`;
  return Object.hasOwn(validatorsByName, key) ? validatorsByName[key] : undefined;
}
