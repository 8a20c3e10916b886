/** A parsed oslo.policy rule: a tree of checks. */
export type CheckNode =
  | { type: 'true' }
  | { type: 'false' }
  | { type: 'not'; rule: CheckNode }
  | { type: 'and'; rules: CheckNode[] }
  | { type: 'or'; rules: CheckNode[] }
  /** `rule:NAME`: another named rule. */
  | { type: 'rule'; name: string }
  /** `role:NAME`: the caller has the role (case-insensitive). */
  | { type: 'role'; match: string }
  /** Neutron's OwnerCheck, registered for `tenant_id:%(FIELD)s`. */
  | { type: 'owner'; targetField: string; match: string }
  /** Neutron's FieldCheck, `field:RESOURCE:FIELD=VALUE` (`=~REGEX` matches the start). */
  | { type: 'field'; resource: string; field: string; value: string }
  /** oslo's GenericCheck, `KEY:MATCH`: a credential path or a literal compared with MATCH. */
  | { type: 'generic'; key: string; match: string };

/** The text oslo.policy's `__str__` gives, which is what PolicyNotAuthorized messages quote. */
export function checkToString(node: CheckNode): string {
  switch (node.type) {
    case 'true':
      return '@';
    case 'false':
      return '!';
    case 'not':
      return `not ${checkToString(node.rule)}`;
    case 'and':
      return `(${node.rules.map(checkToString).join(' and ')})`;
    case 'or':
      return `(${node.rules.map(checkToString).join(' or ')})`;
    case 'rule':
      return `rule:${node.name}`;
    case 'role':
      return `role:${node.match}`;
    case 'owner':
      return `tenant_id:${node.match}`;
    case 'field':
      // Neutron's FieldCheck stores its match re-joined with ':' instead of '='.
      return `field:${node.resource}:${node.field}:${node.value}`;
    case 'generic':
      return `${node.key}:${node.match}`;
  }
}

export const TRUE_CHECK: CheckNode = { type: 'true' };
export const FALSE_CHECK: CheckNode = { type: 'false' };
