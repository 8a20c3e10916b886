import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, POLICY_DEFAULTS } from './default-rules.js';
import { effectiveCheck } from './defaults/policy-default.js';
import { type PolicyCredentials, PolicyEngine } from './policy-engine.js';
import { analyzeRule } from './rule-parser.js';

const engine = new PolicyEngine(DEFAULT_RULES);
const user = (project: string, roles: string[] = ['member', 'reader']): PolicyCredentials => ({
  user_id: `user-${project}`,
  project_id: project,
  roles,
  is_admin: false,
});
const owned = (project: string, extra: Record<string, unknown> = {}) => ({
  tenant_id: project,
  project_id: project,
  ...extra,
});

describe('DEFAULT_RULES', () => {
  it('parses every rule cleanly', () => {
    for (const [name, text] of Object.entries(DEFAULT_RULES)) expect(analyzeRule(text).problems, name).toEqual([]);
  });

  it('registers each policy once', () => {
    const names = POLICY_DEFAULTS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('ORs the legacy rule into the new default only when they differ', () => {
    expect(effectiveCheck({ name: 'x', check: 'rule:a', deprecated: 'rule:b' })).toBe('(rule:a) or (rule:b)');
    expect(effectiveCheck({ name: 'x', check: 'rule:a', deprecated: 'rule:a' })).toBe('rule:a');
    expect(effectiveCheck({ name: 'x', check: 'rule:a' })).toBe('rule:a');
  });
});

describe('Zed effective decisions', () => {
  it('lets the owner, but not another project, read a private network', () => {
    expect(engine.check('get_network', owned('p1', { shared: false }), user('p1'))).toBe(true);
    expect(engine.check('get_network', owned('p1', { shared: false }), user('p2'))).toBe(false);
  });

  it('shows shared and external networks to every project', () => {
    expect(engine.check('get_network', owned('p1', { shared: true }), user('p2'))).toBe(true);
    expect(engine.check('get_network', owned('p1', { shared: false, 'router:external': true }), user('p2'))).toBe(
      true,
    );
  });

  it('shows any network to advsvc', () => {
    expect(engine.check('get_network', owned('p1', { shared: false }), user('p9', ['advsvc']))).toBe(true);
  });

  it('does not enforce the reader/member split (legacy model)', () => {
    expect(engine.check('create_network', owned('p1'), user('p1', ['reader']))).toBe(true);
    expect(engine.check('delete_network', owned('p1'), user('p1', ['reader']))).toBe(true);
    expect(engine.check('delete_network', owned('p1'), user('p2', ['member']))).toBe(false);
  });

  it('gives subnets of a network to its owner', () => {
    const subnet = owned('p2', { 'network:tenant_id': 'p1', 'network:project_id': 'p1' });
    expect(engine.check('create_subnet', subnet, user('p1'))).toBe(true);
    expect(engine.check('update_subnet', subnet, user('p3'))).toBe(false);
    expect(engine.check('get_subnet', owned('p1', { shared: false }), user('p2'))).toBe(false);
    expect(engine.check('get_subnet', owned('p1', { shared: true }), user('p2'))).toBe(true);
  });

  it('lets the network owner, not only the port owner, read and delete ports', () => {
    const port = owned('p2', { 'network:tenant_id': 'p1' });
    expect(engine.check('get_port', port, user('p1'))).toBe(true);
    expect(engine.check('delete_port', port, user('p1'))).toBe(true);
    expect(engine.check('update_port', port, user('p1'))).toBe(false);
    expect(engine.check('get_port', port, user('p3'))).toBe(false);
  });

  it('lets anyone read security groups but only the owner change them', () => {
    expect(engine.check('get_security_group', owned('p1'), user('p2'))).toBe(true);
    expect(engine.check('update_security_group', owned('p1'), user('p2'))).toBe(false);
    const rule = owned('p2', { 'security_group:tenant_id': 'p1' });
    expect(engine.check('get_security_group_rule', rule, user('p1'))).toBe(true);
    expect(engine.check('delete_security_group_rule', rule, user('p1'))).toBe(false);
  });

  it('keeps agents, quotas, segments and IP availability admin-only', () => {
    for (const rule of ['get_agent', 'create_dhcp-network', 'get_l3-routers', 'update_quota', 'get_segment']) {
      expect(engine.check(rule, owned('p1'), user('p1')), rule).toBe(false);
    }
    expect(engine.check('get_network_ip_availability', owned('p1'), user('p1'))).toBe(false);
    expect(engine.check('get_agent', {}, { ...user('p1'), is_admin: true })).toBe(true);
  });

  it('honours the new-style reader grant on metering labels', () => {
    expect(engine.check('get_metering_label', owned('p1'), user('p1', ['reader']))).toBe(true);
    expect(engine.check('get_metering_label', owned('p1'), user('p2', ['reader']))).toBe(false);
    expect(engine.check('create_metering_label', owned('p1'), user('p1'))).toBe(false);
  });

  it('lets anyone list availability zones', () => {
    expect(engine.check('get_availability_zone', {}, user('p1', []))).toBe(true);
  });

  it('restricts wildcard RBAC targets to admins', () => {
    expect(engine.check('create_rbac_policy:target_tenant', owned('p1', { target_tenant: '*' }), user('p1'))).toBe(
      false,
    );
    expect(engine.check('create_rbac_policy:target_tenant', owned('p1', { target_tenant: 'p2' }), user('p1'))).toBe(
      true,
    );
  });

  it('shows shared subnet pools and address scopes to other projects', () => {
    expect(engine.check('get_subnetpool', owned('p1', { shared: true }), user('p2'))).toBe(true);
    expect(engine.check('get_subnetpool', owned('p1', { shared: false }), user('p2'))).toBe(false);
    expect(engine.check('get_address_scope', owned('p1', { shared: true }), user('p2'))).toBe(true);
  });

  it('makes router distributed/ha admin-only', () => {
    expect(engine.check('create_router:distributed', owned('p1'), user('p1'))).toBe(false);
    expect(engine.check('get_router:ha', owned('p1'), user('p1'))).toBe(false);
    expect(engine.check('create_router:external_gateway_info:network_id', owned('p1'), user('p1'))).toBe(true);
  });
});
