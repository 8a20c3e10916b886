import { type AttributeMap, projectAttributes, standardAttributes } from '../api/resource/attribute.js';
import type { ResourceDefinition, ResourceService } from '../api/resource/resource-definition.js';
import {
  convertEthertypeToCaseInsensitive,
  convertIpPrefixToCidr,
  convertToBoolean,
  convertToProtocol,
  convertValidatePortValue,
  SG_SUPPORTED_ETHERTYPES,
  validateNameNotDefault,
  validateString,
  validateStringOrNone,
  validateUuid,
  validateValues,
} from '../api/validators/index.js';
import { securityGroupNotFound, securityGroupRuleNotFound } from './security-group.errors.js';
import { SECURITY_GROUP_RULES_TABLE, SECURITY_GROUPS_TABLE } from './security-group.entities.js';

const id = { allowPost: false, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true };

/** security_groups (neutron/extensions/securitygroup.py + stateful-security-group). */
export const securityGroupAttributes: AttributeMap = {
  id,
  name: { allowPost: true, allowPut: true, default: '', validate: [validateNameNotDefault(255)], isFilter: true, isSortKey: true },
  ...projectAttributes(),
  security_group_rules: { allowPost: false, allowPut: false },
  stateful: { allowPost: true, allowPut: true, default: true, convert: convertToBoolean },
  ...standardAttributes(),
};

const { tags: _rulesHaveNoTags, ...ruleStandardAttributes } = standardAttributes();

/** security_group_rules (neutron/extensions/securitygroup.py + security-groups-normalized-cidr), in Neutron's order. */
export const securityGroupRuleAttributes: AttributeMap = {
  id,
  security_group_id: { allowPost: true, allowPut: false, validate: [validateString(36)], isFilter: true, isSortKey: true },
  // neutron-lib gives no validator (an object reached the database); refuse anything but a string or null.
  remote_group_id: { allowPost: true, allowPut: false, default: null, validate: [validateStringOrNone()], isFilter: true, isSortKey: true },
  direction: { allowPost: true, allowPut: false, validate: [validateValues(['ingress', 'egress'])], isFilter: true, isSortKey: true },
  protocol: { allowPost: true, allowPut: false, default: null, convert: convertToProtocol, isFilter: true, isSortKey: true },
  port_range_min: { allowPost: true, allowPut: false, default: null, convert: convertValidatePortValue, isFilter: true, isSortKey: true },
  port_range_max: { allowPost: true, allowPut: false, default: null, convert: convertValidatePortValue, isFilter: true, isSortKey: true },
  ethertype: {
    allowPost: true,
    allowPut: false,
    default: 'IPv4',
    convert: convertEthertypeToCaseInsensitive,
    validate: [validateValues(SG_SUPPORTED_ETHERTYPES)],
    isFilter: true,
    isSortKey: true,
  },
  remote_ip_prefix: { allowPost: true, allowPut: false, default: null, convert: convertIpPrefixToCidr, isFilter: true, isSortKey: true },
  ...projectAttributes(),
  ...ruleStandardAttributes,
  normalized_cidr: { allowPost: false, allowPut: false, isFilter: true, isSortKey: true },
};

export function securityGroupDefinition(service: ResourceService): ResourceDefinition {
  return {
    name: 'security_group',
    collection: 'security_groups',
    path: 'security-groups',
    attributes: securityGroupAttributes,
    service,
    taggable: true,
    quotaResource: 'security_group',
    table: SECURITY_GROUPS_TABLE,
    notFound: securityGroupNotFound,
  };
}

export function securityGroupRuleDefinition(service: ResourceService): ResourceDefinition {
  return {
    name: 'security_group_rule',
    collection: 'security_group_rules',
    path: 'security-group-rules',
    attributes: securityGroupRuleAttributes,
    service,
    quotaResource: 'security_group_rule',
    table: SECURITY_GROUP_RULES_TABLE,
    notFound: securityGroupRuleNotFound,
  };
}
