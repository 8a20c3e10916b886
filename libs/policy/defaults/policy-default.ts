/** One of Neutron Zed's registered policies. */
export interface PolicyDefault {
  name: string;
  /** Zed's (new, persona-based) default. */
  check: string;
  /** The pre-Wallaby rule it replaced, still honoured while enforce_new_defaults=False. */
  deprecated?: string;
}

export function policy(name: string, check: string, deprecated?: string): PolicyDefault {
  return deprecated === undefined ? { name, check } : { name, check, deprecated };
}

/**
 * What oslo.policy actually enforces with enforce_new_defaults=False and no override:
 * `(new) or (deprecated)` whenever the two differ.
 */
export function effectiveCheck(d: PolicyDefault): string {
  if (d.deprecated === undefined || d.deprecated === d.check) return d.check;
  return `(${d.check}) or (${d.deprecated})`;
}

export const either = (...checks: string[]): string => checks.join(' or ');
export const both = (...checks: string[]): string => checks.join(' and ');

export const ADMIN = 'rule:admin_only';
export const ADMIN_OR_OWNER = 'rule:admin_or_owner';
export const ANYONE = 'rule:regular_user';
export const ADVSVC = 'rule:context_is_advsvc';
export const NET_OWNER = 'rule:network_owner';
export const ADMIN_OR_NET_OWNER = 'rule:admin_or_network_owner';
export const PARENT_OWNER = 'rule:ext_parent_owner';
export const ADMIN_OR_PARENT_OWNER = 'rule:admin_or_ext_parent_owner';
/** Zed's persona checks: a member (or reader) of the resource's project. */
export const MEMBER = 'role:member and project_id:%(project_id)s';
export const READER = 'role:reader and project_id:%(project_id)s';
export const ADMIN_OR_MEMBER = either(ADMIN, MEMBER);
export const ADMIN_OR_READER = either(ADMIN, READER);
