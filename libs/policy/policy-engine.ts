import { type CheckNode, checkToString } from './check-node.js';
import {
  type CredentialValues,
  evaluateCheck,
  type EvaluationContext,
  type FieldConverter,
  type PolicyTarget,
} from './check-evaluator.js';
import { buildMatchRule, type MatchRuleOptions } from './match-rule.js';
import { parseRule } from './rule-parser.js';

export interface PolicyCredentials {
  user_id: string;
  project_id: string;
  /** Defaults to project_id, as Neutron's context does. */
  tenant_id?: string;
  roles: string[];
  is_admin: boolean;
}

export type AuthorizeOptions = MatchRuleOptions;

export type PolicyDecision = { allowed: true } | { allowed: false; message: string };

export interface PolicyEngineOptions {
  /** Extra or replacement converters for `field:` checks, keyed `RESOURCE:FIELD`. */
  fieldConverters?: Readonly<Record<string, FieldConverter>>;
}

const ADMIN_RULE = 'context_is_admin';
const DEFAULT_RULE = 'default';

/** neutron-lib's `convert_to_boolean` for the fields policies compare with `field:` checks. */
export function convertToBoolean(value: string): unknown {
  const lowered = value.toLowerCase();
  if (lowered === 'true' || lowered === '1') return true;
  if (lowered === 'false' || lowered === '0') return false;
  return value;
}

export const DEFAULT_FIELD_CONVERTERS: Readonly<Record<string, FieldConverter>> = {
  'networks:shared': convertToBoolean,
  'networks:router:external': convertToBoolean,
  'subnetpools:shared': convertToBoolean,
  'address_scopes:shared': convertToBoolean,
  'address_groups:shared': convertToBoolean,
};

/** oslo.policy's Enforcer plus the resource-level logic of neutron/policy.py. */
export class PolicyEngine {
  private readonly texts: ReadonlyMap<string, string>;
  /** Rules parse on first use: a request meets a handful of the ~400 defaults, and parsing them all cost the start. */
  private readonly parsed = new Map<string, CheckNode>();
  private readonly ctx: EvaluationContext;

  constructor(rules: Readonly<Record<string, string>>, opts: PolicyEngineOptions = {}) {
    this.texts = new Map(Object.entries(rules));
    this.ctx = {
      lookupRule: (name) => this.rule(name) ?? this.rule(DEFAULT_RULE),
      fieldConverters: { ...DEFAULT_FIELD_CONVERTERS, ...opts.fieldConverters },
    };
  }

  hasRule(name: string): boolean {
    return this.texts.has(name);
  }

  ruleNames(): string[] {
    return [...this.texts.keys()];
  }

  private rule(name: string): CheckNode | undefined {
    let node = this.parsed.get(name);
    if (node === undefined) {
      const text = this.texts.get(name);
      if (text === undefined) return undefined;
      node = parseRule(text);
      this.parsed.set(name, node);
    }
    return node;
  }

  /** Whether Neutron treats the caller as admin: the token says so or `context_is_admin` passes. */
  isAdmin(creds: PolicyCredentials): boolean {
    if (creds.is_admin) return true;
    const rule = this.rule(ADMIN_RULE);
    const values = credentialValues(creds);
    return rule !== undefined && evaluateCheck(rule, values, values, this.ctx);
  }

  /** One named rule (falling back to `default` when undefined); admins always pass. */
  check(rule: string, target: PolicyTarget, creds: PolicyCredentials): boolean {
    if (this.isAdmin(creds)) return true;
    return this.evaluate({ type: 'rule', name: rule }, target, creds);
  }

  /**
   * Neutron's `policy.enforce` for an API action: the action rule AND the rules of the
   * enforce_policy attributes the request sets. The message is PolicyNotAuthorized's.
   */
  authorize(
    action: string,
    target: PolicyTarget,
    creds: PolicyCredentials,
    opts: AuthorizeOptions = {},
  ): PolicyDecision {
    if (this.isAdmin(creds)) return { allowed: true };
    const match = buildMatchRule(action, target, opts);
    if (this.evaluate(match, target, creds)) return { allowed: true };
    return { allowed: false, message: `${checkToString(match)} is disallowed by policy` };
  }

  /**
   * The attributes of a shown resource the caller may not see: those with a failing
   * `<action>:<attr>` rule. Attributes without such a rule stay visible (no `default` fallback).
   * Pass every visible attribute: Neutron checks them all, not only the enforce_policy ones
   * (`get_subnet:segment_id` applies although segment_id is not enforce_policy in plain ML2).
   */
  filterAttributes(
    action: string,
    target: PolicyTarget,
    creds: PolicyCredentials,
    attributes: readonly string[],
  ): string[] {
    if (this.isAdmin(creds)) return [];
    const hidden: string[] = [];
    for (const attr of attributes) {
      const name = `${action}:${attr}`;
      if (!this.texts.has(name) || this.evaluate({ type: 'rule', name }, target, creds)) continue;
      hidden.push(attr);
      // Neutron hides project_id together with tenant_id.
      if (attr === 'tenant_id') hidden.push('project_id');
    }
    return hidden;
  }

  private evaluate(node: CheckNode, target: PolicyTarget, creds: PolicyCredentials): boolean {
    return evaluateCheck(node, target, credentialValues(creds), this.ctx);
  }
}

function credentialValues(creds: PolicyCredentials): CredentialValues {
  return { ...creds, tenant_id: creds.tenant_id ?? creds.project_id };
}
