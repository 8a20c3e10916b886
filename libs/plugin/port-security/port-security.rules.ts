/**
 * Port security's decisions (Neutron's portsecurity_db and securitygroups_db): what a port without port security may
 * not have, and which groups a new port gets.
 */
import { NeutronError } from '../../api/errors/neutron-error.js';
import type { ApiObject } from '../../api/resource/resource-definition.js';

export const pairsNeedPortSecurity = () =>
  new NeutronError('AddressPairAndPortSecurityRequired', 'Port Security must be enabled in order to have allowed address pairs on a port.', 409);
export const groupsNeedPortSecurity = () =>
  new NeutronError(
    'PortSecurityAndIPRequiredForSecurityGroups',
    'Port security must be enabled and port must have an IP address in order to use security groups.',
    400,
  );
export const portHasSecurityGroup = () =>
  new NeutronError(
    'PortSecurityPortHasSecurityGroup',
    'Port has security group associated. Cannot disable port security or IP address until security group is removed.',
    409,
  );

const nonEmpty = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0;

/** _portsec_ext_port_create_processing: a new port without port security gets no address pairs and no groups. */
export function checkPortSecurityCreate(args: { portSecurity: boolean; requested: string[] | undefined; addressPairs: unknown[] | undefined }): void {
  if (args.portSecurity) return;
  if (nonEmpty(args.addressPairs)) throw pairsNeedPortSecurity();
  if (nonEmpty(args.requested)) throw groupsNeedPortSecurity();
}

/**
 * The groups a new port is bound to (_portsec_ext_port_create_processing, _ensure_default_security_group_on_port,
 * _get_security_groups_on_port). `requested` undefined = not in the body.
 */
export function groupsForNewPort(args: {
  portSecurity: boolean;
  trusted: boolean;
  requested: string[] | undefined;
  addressPairs: unknown[] | undefined;
  defaultGroup: string | undefined;
}): string[] {
  checkPortSecurityCreate(args);
  let groups = args.requested;
  if (args.portSecurity && !args.trusted && groups === undefined && args.defaultGroup) groups = [args.defaultGroup];
  return groups === undefined || args.trusted ? [] : groups;
}

/** _portsec_ext_port_update_processing: what a port without port security may not keep or get. */
export function checkPortSecurityUpdate(args: { portSecurity: boolean; changes: ApiObject; hasPairs: boolean; hasGroups: boolean }): void {
  const { changes } = args;
  if (args.portSecurity) return;
  if (nonEmpty(changes.allowed_address_pairs)) throw pairsNeedPortSecurity();
  if (!('allowed_address_pairs' in changes) && args.hasPairs) throw pairsNeedPortSecurity();
  if (nonEmpty(changes.security_groups)) throw groupsNeedPortSecurity();
  if (!('security_groups' in changes) && args.hasGroups) throw portHasSecurityGroup();
}

/** helpers.compare_elements: the same groups in any order. */
export function sameGroups(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}
