import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PolicyCredentials } from './policy-engine.js';
import { loadPolicy, PolicyFileError } from './policy-loader.js';

const dir = mkdtempSync(join(tmpdir(), 'policy-loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const member: PolicyCredentials = { user_id: 'u1', project_id: 'p1', roles: ['member'], is_admin: false };
const owned = { tenant_id: 'p1', project_id: 'p1', shared: true };

describe('loadPolicy', () => {
  it('uses the Zed defaults without a file', () => {
    const engine = loadPolicy();
    expect(engine.check('create_network', owned, member)).toBe(true);
    expect(engine.check('create_network:shared', owned, member)).toBe(false);
  });

  it('lets a policy.yaml override single rules and keeps the others', () => {
    const path = file('policy.yaml', '"create_network:shared": "role:member"\ncreate_network: "!"\n');
    const engine = loadPolicy(path);
    expect(engine.check('create_network:shared', owned, member)).toBe(true);
    expect(engine.check('create_network', owned, member)).toBe(false);
    expect(engine.check('update_network', owned, member)).toBe(true);
    expect(engine.authorize('create_network', owned, member, { enforced: [{ name: 'shared', default: false }] })).toEqual(
      { allowed: false, message: '(rule:create_network and rule:create_network:shared) is disallowed by policy' },
    );
  });

  it('reads policy.json too', () => {
    const engine = loadPolicy(file('policy.json', JSON.stringify({ get_agent: '@' })));
    expect(engine.check('get_agent', {}, member)).toBe(true);
  });

  it('accepts an empty file', () => {
    expect(loadPolicy(file('empty.yaml', '')).check('get_agent', {}, member)).toBe(false);
  });

  it.each([
    ['broken.yaml', 'create_network: "role:admin\n', /not valid YAML or JSON/],
    ['list.yaml', '- role:admin\n', /expected a mapping of rule names to rule strings/],
    ['number.yaml', 'create_network: 5\n', /rule "create_network" must be a string, got number/],
    ['syntax.yaml', 'create_network: "role:admin or"\n', /rule "create_network": cannot parse rule "role:admin or"/],
    ['owner.yaml', 'owner: "tenant_id:p1"\n', /rule "owner": .*tenant_id checks must match a target field/],
  ])('rejects %s naming the file and the problem', (name, content, reason) => {
    const path = file(name, content);
    expect(() => loadPolicy(path)).toThrow(PolicyFileError);
    expect(() => loadPolicy(path)).toThrow(new RegExp(`^Invalid policy file ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    expect(() => loadPolicy(path)).toThrow(reason);
  });

  it('names a missing file', () => {
    const path = join(dir, 'missing.yaml');
    expect(() => loadPolicy(path)).toThrow(`Invalid policy file ${path}: cannot read it`);
  });
});
