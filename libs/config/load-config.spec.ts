import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'config-spec-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const c = loadConfig({ argv: [], env: {} });
    expect([c.api.port, c.identity.port, c.host, c.data_dir, c.database.url, c.identity.admin_password]).toEqual([
      9696, 5000, '127.0.0.1', './data', '', 'admin',
    ]);
  });

  it('layers default.yaml < --config file < environment', () => {
    const override = file('o.yaml', 'api:\n  port: 7000\nidentity:\n  port: 7001\n');
    const c = loadConfig({ argv: ['--config', override], env: { APPLIANCE_IDENTITY_PORT: '7002', APPLIANCE_DATABASE_URL: 'postgres://u@h/db' } });
    expect([c.api.port, c.identity.port, c.database.url]).toEqual([7000, 7002, 'postgres://u@h/db']);
    expect(c.network.global_physnet_mtu).toBe(1500);
  });

  it('reads every container variable', () => {
    const c = loadConfig({
      argv: [],
      env: {
        APPLIANCE_API_PORT: '1',
        APPLIANCE_IDENTITY_PORT: '2',
        APPLIANCE_HOST: '0.0.0.0',
        APPLIANCE_PUBLIC_URL_HOST: 'cloud.example',
        APPLIANCE_DATA_DIR: '/var/lib/x',
        APPLIANCE_ADMIN_PASSWORD: 's3cret',
      },
    });
    expect([c.api.port, c.identity.port, c.host, c.identity.public_url_host, c.data_dir, c.identity.admin_password]).toEqual([
      1, 2, '0.0.0.0', 'cloud.example', '/var/lib/x', 's3cret',
    ]);
  });

  it('takes any key as APPLIANCE__SECTION__KEY with YAML values', () => {
    const c = loadConfig({ argv: [], env: { APPLIANCE__QUOTAS__NETWORK: '5', APPLIANCE__NETWORK__AVAILABILITY_ZONES: '[az1, az2]' } });
    expect(c.quotas.network).toBe(5);
    expect(c.network.availability_zones).toEqual(['az1', 'az2']);
  });

  it('takes the public endpoints (Keystone public_endpoint) without a trailing slash, and refuses a non-URL', () => {
    const c = loadConfig({
      argv: [],
      env: { APPLIANCE_API_PUBLIC_ENDPOINT: 'http://cloud.example:59696/', APPLIANCE_IDENTITY_PUBLIC_ENDPOINT: 'https://cloud.example/identity' },
    });
    expect(c.api.public_endpoint).toBe('http://cloud.example:59696');
    expect(c.identity.public_endpoint).toBe('https://cloud.example/identity');
    expect(() => loadConfig({ argv: [], env: { APPLIANCE_API_PUBLIC_ENDPOINT: 'cloud.example:59696' } })).toThrow(
      'api.public_endpoint: must be empty or an http(s):// URL without query',
    );
  });

  it('stops with a message naming the key and the problem', () => {
    expect(() => loadConfig({ argv: [], env: { APPLIANCE_API_PORT: 'nine' } })).toThrow(/api\.port: .*expected number/);
    expect(() => loadConfig({ argv: [], env: { APPLIANCE_API_PORT: '70000' } })).toThrow(/api\.port: /);
    expect(() => loadConfig({ argv: [], env: { APPLIANCE_DATABASE_URL: 'mysql://x' } })).toThrow(
      'database.url: must be empty (SQLite) or a postgres:// URL',
    );
    const typo = file('typo.yaml', 'api:\n  prot: 1\n');
    expect(() => loadConfig({ argv: [`--config=${typo}`], env: {} })).toThrow(/api: Unrecognized key: "prot"/);
  });

  it('names a missing or broken config file', () => {
    expect(() => loadConfig({ argv: ['--config', join(dir, 'nope.yaml')], env: {} })).toThrow(ConfigError);
    const broken = file('broken.yaml', 'api: [\n');
    expect(() => loadConfig({ argv: ['--config', broken], env: {} })).toThrow(/is not valid YAML/);
  });
});
