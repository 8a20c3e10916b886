import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { DEFAULT_RULES } from './default-rules.js';
import { PolicyEngine, type PolicyEngineOptions } from './policy-engine.js';
import { analyzeRule } from './rule-parser.js';

export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Invalid policy file ${file}: ${reason}`);
    this.name = 'PolicyFileError';
  }
}

/** The Zed defaults, overridden rule by rule by an optional policy.yaml / policy.json. */
export function loadPolicy(file?: string, opts?: PolicyEngineOptions): PolicyEngine {
  const overrides = file ? readPolicyFile(file) : {};
  return new PolicyEngine({ ...DEFAULT_RULES, ...overrides }, opts);
}

/**
 * Reads `name: rule` pairs (YAML, of which JSON is a subset). Unlike oslo.policy, a rule that
 * does not parse is an error rather than a silent "never": a typo should stop the boot.
 */
export function readPolicyFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PolicyFileError(file, `cannot read it (${(err as Error).message})`);
  }
  let data: unknown;
  try {
    data = yaml.load(text, { filename: file });
  } catch (err) {
    throw new PolicyFileError(file, `not valid YAML or JSON (${(err as Error).message})`);
  }
  if (data === undefined || data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new PolicyFileError(file, 'expected a mapping of rule names to rule strings');
  }
  const rules: Record<string, string> = {};
  for (const [name, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value !== 'string') {
      throw new PolicyFileError(file, `rule "${name}" must be a string, got ${describe(value)}`);
    }
    const { problems } = analyzeRule(value);
    if (problems.length) throw new PolicyFileError(file, `rule "${name}": ${problems.join('; ')}`);
    rules[name] = value;
  }
  return rules;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : typeof value;
}
