import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { type AppConfig, configSchema } from './config.schema.js';

/** The variables a container needs, mapped to their config key. */
export const NAMED_ENV: Record<string, { key: string; type: 'string' | 'number' }> = {
  APPLIANCE_API_PORT: { key: 'api.port', type: 'number' },
  APPLIANCE_IDENTITY_PORT: { key: 'identity.port', type: 'number' },
  APPLIANCE_HOST: { key: 'host', type: 'string' },
  APPLIANCE_PUBLIC_URL_HOST: { key: 'identity.public_url_host', type: 'string' },
  APPLIANCE_API_PUBLIC_ENDPOINT: { key: 'api.public_endpoint', type: 'string' },
  APPLIANCE_IDENTITY_PUBLIC_ENDPOINT: { key: 'identity.public_endpoint', type: 'string' },
  APPLIANCE_DATA_DIR: { key: 'data_dir', type: 'string' },
  APPLIANCE_DATABASE_URL: { key: 'database.url', type: 'string' },
  APPLIANCE_ADMIN_PASSWORD: { key: 'identity.admin_password', type: 'string' },
  APPLIANCE_LOG_LEVEL: { key: 'log.level', type: 'string' },
  APPLIANCE_POLICY_FILE: { key: 'policy.file', type: 'string' },
  APPLIANCE_AGENT_HOST: { key: 'agents.host', type: 'string' },
  APPLIANCE_BUS_TRANSPORT: { key: 'bus.transport', type: 'string' },
  APPLIANCE_REDIS_URL: { key: 'bus.redis_url', type: 'string' },
  APPLIANCE_NOVA_URL: { key: 'nova.url', type: 'string' },
  APPLIANCE_DATAPLANE_DRIVER: { key: 'dataplane.driver', type: 'string' },
  APPLIANCE_HOST_NAMESPACE: { key: 'dataplane.host_namespace', type: 'string' },
};
const GENERIC_PREFIX = 'APPLIANCE__';

export class ConfigError extends Error {}

export interface LoadOptions {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  defaultsFile?: string;
}

/** config/default.yaml < --config FILE (or APPLIANCE_CONFIG) < environment; validated once. */
export function loadConfig(opts: LoadOptions = {}): AppConfig {
  const env = opts.env ?? process.env;
  const argv = opts.argv ?? process.argv.slice(2);
  const merged = readYaml(opts.defaultsFile ?? defaultConfigPath());
  const file = configFileFromArgs(argv) ?? env.APPLIANCE_CONFIG;
  if (file) deepMerge(merged, readYaml(file));
  applyEnv(merged, env);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

export function defaultConfigPath(): string {
  // dist/libs/config/*.js and libs/config/*.ts both sit below the repository root.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = resolve(dir, 'config/default.yaml');
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      dir = resolve(dir, '..');
    }
  }
  throw new ConfigError('config/default.yaml not found above ' + fileURLToPath(import.meta.url));
}

function configFileFromArgs(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config') return argv[i + 1];
    if (argv[i].startsWith('--config=')) return argv[i].slice('--config='.length);
  }
  return undefined;
}

function readYaml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`Cannot read config file ${file}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (e) {
    throw new ConfigError(`Config file ${file} is not valid YAML: ${(e as Error).message}`);
  }
  if (doc == null) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`Config file ${file} must hold a mapping`);
  return doc as Record<string, unknown>;
}

function applyEnv(target: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  for (const [name, { key, type }] of Object.entries(NAMED_ENV)) {
    const raw = env[name];
    if (raw === undefined) continue;
    setPath(target, key.split('.'), type === 'number' ? toNumber(name, raw) : raw);
  }
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(GENERIC_PREFIX) || raw === undefined) continue;
    const path = name.slice(GENERIC_PREFIX.length).toLowerCase().split('__');
    setPath(target, path, parseScalar(raw));
  }
}

function toNumber(name: string, raw: string): number | string {
  // Leave non-numbers as text so the schema reports the key with a clear message.
  return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
}

/** Generic variables take YAML scalars: numbers, booleans, lists ("[a, b]"). */
function parseScalar(raw: string): unknown {
  try {
    return yaml.load(raw);
  } catch {
    return raw;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(source)) {
    const cur = target[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)) {
      deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>);
    } else {
      target[k] = v;
    }
  }
}
