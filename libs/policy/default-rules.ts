import { BASE_RULES } from './defaults/base-rules.js';
import { L3_RULES } from './defaults/l3-rules.js';
import { NETWORK_RULES } from './defaults/network-rules.js';
import { effectiveCheck, type PolicyDefault } from './defaults/policy-default.js';
import { PORT_RULES } from './defaults/port-rules.js';
import { QOS_RULES } from './defaults/qos-rules.js';
import { SECURITY_RULES } from './defaults/security-rules.js';
import { SERVICE_RULES } from './defaults/service-rules.js';

export type { PolicyDefault } from './defaults/policy-default.js';

/** Every policy Neutron Zed registers, with its new default and the legacy rule it replaced. */
export const POLICY_DEFAULTS: readonly PolicyDefault[] = [
  ...BASE_RULES,
  ...NETWORK_RULES,
  ...PORT_RULES,
  ...L3_RULES,
  ...SECURITY_RULES,
  ...SERVICE_RULES,
  ...QOS_RULES,
];

/**
 * The rules Zed enforces out of the box (enforce_new_defaults=False): each new default OR-ed with
 * its legacy rule, which in practice is the legacy admin/owner model.
 */
export const DEFAULT_RULES: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(POLICY_DEFAULTS.map((d) => [d.name, effectiveCheck(d)])),
);
