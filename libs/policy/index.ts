export { type CheckNode, checkToString } from './check-node.js';
export type { FieldConverter, PolicyTarget } from './check-evaluator.js';
export { DEFAULT_RULES, type PolicyDefault, POLICY_DEFAULTS } from './default-rules.js';
export { buildMatchRule, type MatchRuleOptions, type PolicyAttribute } from './match-rule.js';
export {
  type AuthorizeOptions,
  convertToBoolean,
  DEFAULT_FIELD_CONVERTERS,
  type PolicyCredentials,
  type PolicyDecision,
  PolicyEngine,
  type PolicyEngineOptions,
} from './policy-engine.js';
export { loadPolicy, PolicyFileError, readPolicyFile } from './policy-loader.js';
export { analyzeRule, parseRule, type ParsedRule } from './rule-parser.js';
