import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './default-rules.js';
import type { PolicyAttribute } from './match-rule.js';
import { type PolicyCredentials, PolicyEngine } from './policy-engine.js';

const user = (project: string, roles: string[] = ['member', 'reader']): PolicyCredentials => ({
  user_id: `user-${project}`,
  project_id: project,
  roles,
  is_admin: false,
});
const admin: PolicyCredentials = { ...user('p-admin', ['admin', 'member', 'reader']), is_admin: true };

// The enforce_policy attributes of the network and port maps, in neutron-lib's order.
const NETWORK_ATTRS: PolicyAttribute[] = [
  { name: 'shared', default: false },
  { name: 'router:external', default: false },
  { name: 'provider:network_type' },
  { name: 'provider:physical_network' },
  { name: 'provider:segmentation_id' },
  { name: 'segments' },
  { name: 'port_security_enabled', default: true },
  { name: 'is_default', default: false },
];
const PORT_ATTRS: PolicyAttribute[] = [
  { name: 'mac_address' },
  { name: 'fixed_ips' },
  { name: 'device_owner', default: '' },
  { name: 'binding:vnic_type', default: 'normal' },
  { name: 'binding:host_id' },
  { name: 'binding:profile' },
  { name: 'allowed_address_pairs' },
  { name: 'port_security_enabled' },
];

describe('PolicyEngine.check', () => {
  const engine = new PolicyEngine({
    context_is_admin: 'role:admin',
    default: 'rule:owner',
    owner: 'tenant_id:%(tenant_id)s',
    only_admin: '!',
    anyone: '@',
    loop: 'rule:loop',
  });

  it('lets admins through every rule', () => {
    expect(engine.check('only_admin', {}, admin)).toBe(true);
    expect(engine.check('only_admin', {}, { ...user('p1', ['admin']), is_admin: false })).toBe(true);
    expect(engine.check('only_admin', {}, user('p1'))).toBe(false);
  });

  it('falls back to the default rule for an unknown rule', () => {
    expect(engine.check('no_such_rule', { tenant_id: 'p1' }, user('p1'))).toBe(true);
    expect(engine.check('no_such_rule', { tenant_id: 'p2' }, user('p1'))).toBe(false);
  });

  it('fails closed without a default rule', () => {
    const bare = new PolicyEngine({ anyone: '@' });
    expect(bare.check('anyone', {}, user('p1'))).toBe(true);
    expect(bare.check('no_such_rule', {}, user('p1'))).toBe(false);
  });

  it('uses project_id as tenant_id when the credentials lack one', () => {
    expect(engine.check('owner', { tenant_id: 'p1' }, user('p1'))).toBe(true);
    expect(engine.check('owner', { tenant_id: 'p1' }, { ...user('p1'), tenant_id: 'p2' })).toBe(false);
  });

  it('fails a rule that refers to itself instead of overflowing', () => {
    expect(engine.check('loop', {}, user('p1'))).toBe(false);
  });
});

describe('PolicyEngine.authorize (Zed defaults)', () => {
  const engine = new PolicyEngine(DEFAULT_RULES);

  it('denies a non-admin shared network with the exact Neutron message', () => {
    const target = { tenant_id: 'p1', project_id: 'p1', name: 'n', shared: true };
    expect(engine.authorize('create_network', target, user('p1'), { enforced: NETWORK_ATTRS })).toEqual({
      allowed: false,
      message: '(rule:create_network and rule:create_network:shared) is disallowed by policy',
    });
    expect(engine.authorize('create_network', target, admin, { enforced: NETWORK_ATTRS })).toEqual({ allowed: true });
  });

  it('ignores create values equal to the attribute default', () => {
    const target = { tenant_id: 'p1', project_id: 'p1', shared: false, 'router:external': false };
    expect(engine.authorize('create_network', target, user('p1'), { enforced: NETWORK_ATTRS })).toEqual({
      allowed: true,
    });
  });

  it('counts every key of an update body, even one equal to the default', () => {
    const target = { tenant_id: 'p1', project_id: 'p1', name: 'x', shared: false };
    const opts = { enforced: NETWORK_ATTRS, attributes: ['name', 'shared'] };
    expect(engine.authorize('update_network', target, user('p1'), opts)).toEqual({
      allowed: false,
      message: '(rule:update_network and rule:update_network:shared) is disallowed by policy',
    });
    expect(engine.authorize('update_network', target, user('p1'), { ...opts, attributes: ['name'] })).toEqual({
      allowed: true,
    });
  });

  it('nests one AND per attribute, in attribute-map order', () => {
    const target = { tenant_id: 'p1', project_id: 'p1', 'provider:network_type': 'vlan', shared: true };
    const decision = engine.authorize('create_network', target, user('p1'), { enforced: NETWORK_ATTRS });
    expect(decision).toEqual({
      allowed: false,
      message:
        '((rule:create_network and rule:create_network:shared) and rule:create_network:provider:network_type)' +
        ' is disallowed by policy',
    });
  });

  it('takes every body key as enforced when no attribute list is given', () => {
    const decision = engine.authorize('create_network', { tenant_id: 'p1', shared: true }, user('p1'), {
      attributes: ['shared'],
    });
    expect(decision.allowed).toBe(false);
  });

  it('adds sub-attribute rules for list items, which a fixed IP on a foreign network fails', () => {
    const target = {
      tenant_id: 'p1',
      project_id: 'p1',
      network_id: 'n1',
      'network:tenant_id': 'p2',
      'network:shared': true,
      fixed_ips: [{ subnet_id: 's1' }, { subnet_id: 's1', ip_address: '10.0.0.5' }],
    };
    const decision = engine.authorize('create_port', target, user('p1'), { enforced: PORT_ATTRS });
    expect(decision).toEqual({
      allowed: false,
      message:
        '(rule:create_port and (rule:create_port:fixed_ips and (rule:create_port:fixed_ips:subnet_id and ' +
        'rule:create_port:fixed_ips:subnet_id and rule:create_port:fixed_ips:ip_address))) is disallowed by policy',
    });
    const subnetOnly = { ...target, fixed_ips: [{ subnet_id: 's1' }] };
    expect(engine.authorize('create_port', subnetOnly, user('p1'), { enforced: PORT_ATTRS })).toEqual({
      allowed: true,
    });
  });

  it('adds sub-attribute rules of dict attributes in declaration order', () => {
    const enforced: PolicyAttribute[] = [
      { name: 'external_gateway_info', default: null, subAttributes: ['network_id', 'enable_snat', 'external_fixed_ips'] },
    ];
    const target = { tenant_id: 'p1', project_id: 'p1', external_gateway_info: { enable_snat: false, network_id: 'e' } };
    expect(engine.authorize('create_router', target, user('p1'), { enforced })).toEqual({
      allowed: false,
      message:
        '(rule:create_router and (rule:create_router:external_gateway_info and ' +
        '(rule:create_router:external_gateway_info:network_id and rule:create_router:external_gateway_info:enable_snat)))' +
        ' is disallowed by policy',
    });
    const withoutSnat = { ...target, external_gateway_info: { network_id: 'e' } };
    expect(engine.authorize('create_router', withoutSnat, user('p1'), { enforced })).toEqual({ allowed: true });
  });

  it('reserves network:* device owners to the network owner', () => {
    const target = { tenant_id: 'p1', project_id: 'p1', 'network:tenant_id': 'p2', device_owner: 'network:dhcp' };
    const opts = { enforced: PORT_ATTRS };
    expect(engine.authorize('create_port', target, user('p1'), opts)).toEqual({
      allowed: false,
      message: '(rule:create_port and rule:create_port:device_owner) is disallowed by policy',
    });
    expect(engine.authorize('create_port', { ...target, device_owner: 'compute:nova' }, user('p1'), opts)).toEqual({
      allowed: true,
    });
    expect(engine.authorize('create_port', target, user('p2'), opts)).toEqual({ allowed: true });
  });

  it('checks no attributes for get and delete actions', () => {
    const target = { tenant_id: 'p2', project_id: 'p2', shared: true };
    expect(engine.authorize('get_network', target, user('p1'), { enforced: NETWORK_ATTRS })).toEqual({
      allowed: true,
    });
    expect(engine.authorize('delete_network', target, user('p1'), { enforced: NETWORK_ATTRS })).toEqual({
      allowed: false,
      message: 'rule:delete_network is disallowed by policy',
    });
  });

  it('denies reading another project router with the single-rule message', () => {
    expect(engine.authorize('get_router', { tenant_id: 'p2', project_id: 'p2' }, user('p1'))).toEqual({
      allowed: false,
      message: 'rule:get_router is disallowed by policy',
    });
  });
});

describe('PolicyEngine.filterAttributes', () => {
  const engine = new PolicyEngine(DEFAULT_RULES);
  const network = { id: 'n1', tenant_id: 'p1', project_id: 'p1', shared: false, 'router:external': false };
  const attrs = ['id', 'provider:network_type', 'provider:segmentation_id', 'router:external', 'segments', 'name'];

  it('hides admin-only attributes from the owner', () => {
    expect(engine.filterAttributes('get_network', network, user('p1'), attrs)).toEqual([
      'provider:network_type',
      'provider:segmentation_id',
      'segments',
    ]);
  });

  it('hides nothing from an admin', () => {
    expect(engine.filterAttributes('get_network', network, admin, attrs)).toEqual([]);
  });

  it('hides project_id along with tenant_id', () => {
    const custom = new PolicyEngine({ ...DEFAULT_RULES, 'get_network:tenant_id': 'rule:admin_only' });
    expect(custom.filterAttributes('get_network', network, user('p1'), ['tenant_id', 'name'])).toEqual([
      'tenant_id',
      'project_id',
    ]);
  });
});
