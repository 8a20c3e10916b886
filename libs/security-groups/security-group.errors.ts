import { type DomainError, NeutronError } from '../api/errors/neutron-error.js';

/**
 * neutron/extensions/securitygroup.py's exception classes (the wire `type`), one factory below for each, with their
 * HTTP codes (InvalidInput 400, InUse 409).
 */
export const SECURITY_GROUP_ERRORS = [
  'SecurityGroupNotFound',
  'SecurityGroupRuleNotFound',
  'SecurityGroupInUse',
  'SecurityGroupCannotRemoveDefault',
  'SecurityGroupCannotUpdateDefault',
  'SecurityGroupConflict',
  'SecurityGroupRuleExists',
  'DuplicateSecurityGroupRuleInPost',
  'SecurityGroupInvalidPortRange',
  'SecurityGroupInvalidPortValue',
  'SecurityGroupInvalidProtocolForPort',
  'SecurityGroupInvalidIcmpValue',
  'SecurityGroupMissingIcmpType',
  'SecurityGroupEthertypeConflictWithProtocol',
  'SecurityGroupProtocolRequiredWithPorts',
  'SecurityGroupRuleParameterConflict',
  'SecurityGroupMultipleRemoteEntites',
  'SecurityGroupNotSingleGroupRules',
  'SecurityGroupRulesNotSingleTenant',
] as const;
export type SecurityGroupError = DomainError<typeof SECURITY_GROUP_ERRORS>;
type SecurityGroupErrorCode = SecurityGroupError['type'];

const invalid = (type: SecurityGroupErrorCode, message: string): SecurityGroupError => new NeutronError(type, message, 400);
const inUse = (type: SecurityGroupErrorCode, message: string): SecurityGroupError => new NeutronError(type, message, 409);

export const securityGroupNotFound = (id: string): SecurityGroupError => new NeutronError('SecurityGroupNotFound', `Security group ${id} does not exist`, 404);
export const securityGroupRuleNotFound = (id: string): SecurityGroupError =>
  new NeutronError('SecurityGroupRuleNotFound', `Security group rule ${id} does not exist`, 404);

export const securityGroupInUse = (id: string): SecurityGroupError => inUse('SecurityGroupInUse', `Security Group ${id} in use.`);
export const cannotRemoveDefault = (): SecurityGroupError => inUse('SecurityGroupCannotRemoveDefault', 'Insufficient rights for removing default security group.');
export const cannotUpdateDefault = (): SecurityGroupError => inUse('SecurityGroupCannotUpdateDefault', 'Updating default security group not allowed.');
export const securityGroupConflict = (reason: string): SecurityGroupError =>
  new NeutronError('SecurityGroupConflict', `Error ${reason} while attempting the operation.`, 409);
export const ruleExists = (ruleId: string): SecurityGroupError =>
  inUse('SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${ruleId}.`);
export const duplicateRuleInPost = (): SecurityGroupError => inUse('DuplicateSecurityGroupRuleInPost', 'Duplicate Security Group Rule in POST.');

export const invalidPortRange = (): SecurityGroupError => invalid('SecurityGroupInvalidPortRange', 'For TCP/UDP protocols, port_range_min must be <= port_range_max');
export const invalidPortValue = (port: number): SecurityGroupError => invalid('SecurityGroupInvalidPortValue', `Invalid value for port ${port}`);
export const invalidProtocolForPort = (protocol: number, valid: string): SecurityGroupError =>
  invalid(
    'SecurityGroupInvalidProtocolForPort',
    `Ports cannot be specified for protocol ${protocol}. Ports are only supported for ${valid}.`,
  );
export const invalidIcmpValue = (field: string, attr: string, value: number): SecurityGroupError =>
  invalid('SecurityGroupInvalidIcmpValue', `Invalid value for ICMP ${field} (${attr}) ${value}. It must be 0 to 255.`);
export const missingIcmpType = (value: number): SecurityGroupError =>
  invalid('SecurityGroupMissingIcmpType', `ICMP code (port-range-max) ${value} is provided but ICMP type (port-range-min) is missing.`);
export const ethertypeConflictWithProtocol = (ethertype: string, protocol: string): SecurityGroupError =>
  invalid('SecurityGroupEthertypeConflictWithProtocol', `Invalid ethertype ${ethertype} for protocol ${protocol}.`);
export const protocolRequiredWithPorts = (): SecurityGroupError =>
  invalid('SecurityGroupProtocolRequiredWithPorts', 'Must also specify protocol if port range is given.');
export const ruleParameterConflict = (ethertype: string, cidr: string): SecurityGroupError =>
  invalid('SecurityGroupRuleParameterConflict', `Conflicting value ethertype ${ethertype} for CIDR ${cidr}`);
export const multipleRemoteEntities = (): SecurityGroupError =>
  invalid(
    'SecurityGroupMultipleRemoteEntites',
    'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.',
  );
export const notSingleGroupRules = (): SecurityGroupError =>
  invalid('SecurityGroupNotSingleGroupRules', 'Only allowed to update rules for one security profile at a time');
export const rulesNotSingleTenant = (): SecurityGroupError =>
  invalid('SecurityGroupRulesNotSingleTenant', 'Multiple tenant_ids in bulk security group rule create not allowed');
