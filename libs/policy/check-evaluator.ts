import type { CheckNode } from './check-node.js';
import { interpolate, pyLiteral, pyStr } from './python-format.js';

export type PolicyTarget = Readonly<Record<string, unknown>>;
export type CredentialValues = Readonly<Record<string, unknown>>;

/** Converts the VALUE of `field:RESOURCE:FIELD=VALUE` like the attribute's `convert_to` does. */
export type FieldConverter = (value: string) => unknown;

export interface EvaluationContext {
  /** The named rule, or the fallback oslo.policy would use; undefined fails the check. */
  lookupRule(name: string): CheckNode | undefined;
  /** Keyed by `RESOURCE:FIELD`, e.g. `networks:shared`. */
  fieldConverters: Readonly<Record<string, FieldConverter>>;
}

// Deeper than any sane policy; a rule that refers to itself must fail, not overflow the stack.
const MAX_DEPTH = 64;

export function evaluateCheck(
  node: CheckNode,
  target: PolicyTarget,
  creds: CredentialValues,
  ctx: EvaluationContext,
  depth = 0,
): boolean {
  switch (node.type) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'not':
      return !evaluateCheck(node.rule, target, creds, ctx, depth);
    case 'and':
      return node.rules.every((r) => evaluateCheck(r, target, creds, ctx, depth));
    case 'or':
      return node.rules.some((r) => evaluateCheck(r, target, creds, ctx, depth));
    case 'rule': {
      const rule = depth < MAX_DEPTH ? ctx.lookupRule(node.name) : undefined;
      return rule !== undefined && evaluateCheck(rule, target, creds, ctx, depth + 1);
    }
    case 'role':
      return roleCheck(node.match, target, creds);
    case 'owner':
      return ownerCheck(node.match, target, creds);
    case 'field':
      return fieldCheck(node, target, ctx);
    case 'generic':
      return genericCheck(node.key, node.match, target, creds);
  }
}

function roleCheck(match: string, target: PolicyTarget, creds: CredentialValues): boolean {
  const role = interpolate(match, target);
  const roles = creds.roles;
  if (role === undefined || !Array.isArray(roles)) return false;
  const wanted = role.toLowerCase();
  return roles.some((r) => typeof r === 'string' && r.toLowerCase() === wanted);
}

// Neutron fetches the parent resource when the target lacks the field; our callers pre-fill
// `network:tenant_id` and friends instead, so a missing field fails the substitution.
function ownerCheck(match: string, target: PolicyTarget, creds: CredentialValues): boolean {
  const expected = interpolate(match, target);
  return expected !== undefined && Object.hasOwn(creds, 'tenant_id') && expected === pyStr(creds.tenant_id);
}

function fieldCheck(
  node: Extract<CheckNode, { type: 'field' }>,
  target: PolicyTarget,
  ctx: EvaluationContext,
): boolean {
  const actual = fieldValue(node.resource, node.field, target);
  if (actual === null || actual === undefined) return false;
  if (node.value.startsWith('~')) {
    return typeof actual === 'string' && new RegExp(`^(?:${node.value.slice(1)})`).test(actual);
  }
  const convert = ctx.fieldConverters[`${node.resource}:${node.field}`];
  return deepEqual(actual, convert ? convert(node.value) : node.value);
}

// Subnets and ports are checked against `networks:shared` too; Neutron then reads the parent
// network, we read the `network:shared` key the caller puts in the target.
function fieldValue(resource: string, field: string, target: PolicyTarget): unknown {
  if (Object.hasOwn(target, field)) return target[field];
  if (resource === 'networks' && field === 'shared') return target['network:shared'];
  return undefined;
}

function genericCheck(key: string, match: string, target: PolicyTarget, creds: CredentialValues): boolean {
  const expected = interpolate(match, target);
  if (expected === undefined) return false;
  const literal = pyLiteral(key);
  if (literal) return expected === pyStr(literal.value);
  return findInCreds(creds, key.split('.'), expected);
}

// A list anywhere on the path matches when any element does, as oslo's `_find_in_dict`.
function findInCreds(value: unknown, path: string[], expected: string): boolean {
  if (path.length === 0) return expected === pyStr(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (!Object.hasOwn(record, path[0])) return false;
  const next = record[path[0]];
  const rest = path.slice(1);
  if (Array.isArray(next)) return next.some((item) => findInCreds(item, rest, expected));
  return findInCreds(next, rest, expected);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}
