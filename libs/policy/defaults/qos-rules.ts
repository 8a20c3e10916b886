import { ADMIN, ADMIN_OR_READER, ANYONE, policy, type PolicyDefault } from './policy-default.js';

const adminOnly = (name: string, legacy = true): PolicyDefault => policy(name, ADMIN, legacy ? ADMIN : undefined);

// The packet-rate rule types were added with new-style defaults only: Zed has no legacy rule for them.
const LEGACY_TYPES = ['bandwidth_limit', 'dscp_marking', 'minimum_bandwidth'];
const NEW_TYPES = ['packet_rate_limit', 'minimum_packet_rate'];

function ruleTypeRules(type: string, legacy: boolean): PolicyDefault[] {
  const name = `policy_${type}_rule`;
  return [
    policy(`get_${name}`, ADMIN_OR_READER, legacy ? ANYONE : undefined),
    ...['create', 'update', 'delete'].map((v) => adminOnly(`${v}_${name}`, legacy)),
  ];
}

export const QOS_RULES: PolicyDefault[] = [
  policy('get_policy', ADMIN_OR_READER, ANYONE),
  ...['create_policy', 'update_policy', 'delete_policy'].map((n) => adminOnly(n)),
  policy('get_rule_type', ADMIN, ANYONE),
  ...LEGACY_TYPES.flatMap((t) => ruleTypeRules(t, true)),
  ...NEW_TYPES.flatMap((t) => ruleTypeRules(t, false)),
  ...LEGACY_TYPES.flatMap((t) => [
    policy(`get_alias_${t}_rule`, ADMIN_OR_READER, ANYONE),
    adminOnly(`update_alias_${t}_rule`),
    adminOnly(`delete_alias_${t}_rule`),
  ]),
  ...['get', 'update', 'delete'].map((v) =>
    policy(`${v}_alias_minimum_packet_rate_rule`, `rule:${v}_policy_minimum_packet_rate_rule`),
  ),
];
