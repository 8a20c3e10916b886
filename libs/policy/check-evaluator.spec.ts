import { describe, expect, it } from 'vitest';
import { type CredentialValues, evaluateCheck, type EvaluationContext, type PolicyTarget } from './check-evaluator.js';
import { DEFAULT_FIELD_CONVERTERS } from './policy-engine.js';
import { parseRule } from './rule-parser.js';

const ctx: EvaluationContext = { lookupRule: () => undefined, fieldConverters: DEFAULT_FIELD_CONVERTERS };
const creds: CredentialValues = {
  user_id: 'u1',
  project_id: 'p1',
  tenant_id: 'p1',
  roles: ['Member', 'reader'],
  is_admin: false,
  token: { user: { enabled: true }, groups: [{ name: 'ops' }, { name: 'dev' }] },
};
const run = (rule: string, target: PolicyTarget = {}, who: CredentialValues = creds): boolean =>
  evaluateCheck(parseRule(rule), target, who, ctx);

describe('generic checks', () => {
  it('substitutes %(key)s from the target and compares with the credential', () => {
    expect(run('project_id:%(project_id)s', { project_id: 'p1' })).toBe(true);
    expect(run('project_id:%(project_id)s', { project_id: 'p2' })).toBe(false);
    expect(run('user_id:%(user_id)s', { user_id: 'u1' })).toBe(true);
  });

  it('fails when the target lacks the substituted key', () => {
    expect(run('project_id:%(project_id)s', {})).toBe(false);
  });

  it('substitutes keys containing colons', () => {
    expect(run('project_id:%(network:project_id)s', { 'network:project_id': 'p1' })).toBe(true);
    expect(run('project_id:%(network:project_id)s', { 'network:project_id': 'p9' })).toBe(false);
  });

  it('compares a literal with the substituted target value', () => {
    expect(run("'p1':%(project_id)s", { project_id: 'p1' })).toBe(true);
    expect(run("'p1':%(project_id)s", { project_id: 'p2' })).toBe(false);
    expect(run('True:%(enabled)s', { enabled: true })).toBe(true);
    expect(run('True:%(enabled)s', { enabled: false })).toBe(false);
  });

  it('matches booleans as Python prints them', () => {
    expect(run('is_admin:False')).toBe(true);
    expect(run('is_admin:True')).toBe(false);
    expect(run('is_admin:True', {}, { ...creds, is_admin: true })).toBe(true);
  });

  it('follows dotted credential paths and any element of a list', () => {
    expect(run('token.user.enabled:True')).toBe(true);
    expect(run('token.groups.name:dev')).toBe(true);
    expect(run('token.groups.name:qa')).toBe(false);
    expect(run('token.missing.name:dev')).toBe(false);
  });
});

describe('role checks', () => {
  it('is case-insensitive and needs the role', () => {
    expect(run('role:member')).toBe(true);
    expect(run('role:READER')).toBe(true);
    expect(run('role:admin')).toBe(false);
  });
});

describe('owner (tenant_id) checks', () => {
  it('compares the target field with the caller project', () => {
    expect(run('tenant_id:%(tenant_id)s', { tenant_id: 'p1' })).toBe(true);
    expect(run('tenant_id:%(tenant_id)s', { tenant_id: 'p2' })).toBe(false);
    expect(run('tenant_id:%(network:tenant_id)s', { tenant_id: 'p2', 'network:tenant_id': 'p1' })).toBe(true);
  });

  it('fails when the parent owner was not pre-filled', () => {
    expect(run('tenant_id:%(network:tenant_id)s', { tenant_id: 'p1' })).toBe(false);
  });
});

describe('field checks', () => {
  it('converts the value like the attribute (booleans)', () => {
    expect(run('field:networks:shared=True', { shared: true })).toBe(true);
    expect(run('field:networks:shared=True', { shared: false })).toBe(false);
    expect(run('field:networks:shared=true', { shared: true })).toBe(true);
    expect(run('field:networks:router:external=True', { 'router:external': true })).toBe(true);
  });

  it('compares unconverted fields as strings', () => {
    expect(run('field:rbac_policy:target_tenant=*', { target_tenant: '*' })).toBe(true);
    expect(run('field:rbac_policy:target_tenant=*', { target_tenant: 'p2' })).toBe(false);
  });

  it('matches ~regex values at the start of the field', () => {
    expect(run('field:port:device_owner=~^network:', { device_owner: 'network:dhcp' })).toBe(true);
    expect(run('field:port:device_owner=~network:', { device_owner: 'compute:network:x' })).toBe(false);
    expect(run('field:port:device_owner=~^network:', { device_owner: 'compute:nova' })).toBe(false);
  });

  it('reads networks:shared from network:shared for subnets and ports', () => {
    expect(run('field:networks:shared=True', { network_id: 'n1', 'network:shared': true })).toBe(true);
    expect(run('field:networks:shared=True', { network_id: 'n1' })).toBe(false);
  });

  it('fails on a missing or null field', () => {
    expect(run('field:networks:shared=True', { shared: null })).toBe(false);
    expect(run('not field:networks:shared=True', { shared: null })).toBe(true);
  });
});
