import type { CheckNode } from './check-node.js';
import { deepEqual, type PolicyTarget } from './check-evaluator.js';

/** An attribute whose map entry has `enforce_policy`. */
export interface PolicyAttribute {
  name: string;
  /** The attribute map's `default`, when it has one: a create value equal to it does not count as set. */
  default?: unknown;
  /** Sub-attribute names of a dict attribute (validator `type:dict*`), in declaration order. */
  subAttributes?: readonly string[];
}

export interface MatchRuleOptions {
  /** Keys of the request body (POST or PUT). */
  attributes?: readonly string[];
  /**
   * The resource's `enforce_policy` attributes, in attribute-map order (that order shows in the
   * message). Omitted: every key of `attributes` is taken as one, without a default.
   */
  enforced?: readonly (PolicyAttribute | string)[];
}

/**
 * Neutron's `_build_match_rule`: `rule:<action>`, AND-ed with `rule:<action>:<attr>` for each
 * explicitly set enforce_policy attribute, itself AND-ed with its sub-attribute rules.
 * Attribute rules are added whether or not they are defined; undefined ones fall back to `default`.
 */
export function buildMatchRule(action: string, target: PolicyTarget, opts: MatchRuleOptions = {}): CheckNode {
  let match: CheckNode = { type: 'rule', name: action };
  if (!checksAttributes(action)) return match;
  const enforced = (opts.enforced ?? opts.attributes ?? []).map((a) => (typeof a === 'string' ? { name: a } : a));
  for (const attr of enforced) {
    if (!isExplicitlySet(attr, action, target, opts.attributes)) continue;
    const value = target[attr.name];
    let attrRule: CheckNode = { type: 'rule', name: `${action}:${attr.name}` };
    if (attr.subAttributes?.length && isPlainObject(value)) {
      const present = attr.subAttributes.filter((sub) => Object.hasOwn(value, sub));
      attrRule = and(attrRule, and(...present.map((sub) => rule(action, attr.name, sub))));
    }
    if (Array.isArray(value)) {
      const keys = value.filter(isPlainObject).flatMap((item) => Object.keys(item));
      if (keys.length) attrRule = and(attrRule, and(...keys.map((key) => rule(action, attr.name, key))));
    }
    match = and(match, attrRule);
  }
  return match;
}

// Neutron skips attribute rules for get_* and delete_* actions.
function checksAttributes(action: string): boolean {
  const verb = action.split(':', 1)[0].split('_', 1)[0];
  return verb !== 'get' && verb !== 'delete';
}

// Updates count every key of the body; creates (and empty updates) ignore values equal to the default.
function isExplicitlySet(
  attr: PolicyAttribute,
  action: string,
  target: PolicyTarget,
  bodyKeys: readonly string[] | undefined,
): boolean {
  const value = target[attr.name];
  if (!Object.hasOwn(target, attr.name) || value === undefined) return false;
  const isUpdate = action.startsWith('update_') && bodyKeys !== undefined && bodyKeys.length > 0;
  if (isUpdate) return bodyKeys.includes(attr.name);
  if (bodyKeys !== undefined && bodyKeys.length > 0 && !bodyKeys.includes(attr.name)) return false;
  return !Object.hasOwn(attr, 'default') || !deepEqual(value, attr.default);
}

function rule(action: string, attr: string, sub: string): CheckNode {
  return { type: 'rule', name: `${action}:${attr}:${sub}` };
}

function and(...rules: CheckNode[]): CheckNode {
  return { type: 'and', rules };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
