import {
  ADMIN,
  ADMIN_OR_MEMBER,
  ADMIN_OR_OWNER,
  ADMIN_OR_PARENT_OWNER,
  ADMIN_OR_READER,
  ANYONE,
  either,
  MEMBER,
  PARENT_OWNER,
  policy,
  type PolicyDefault,
  READER,
} from './policy-default.js';

const adminOnly = (name: string): PolicyDefault => policy(name, ADMIN, ADMIN);
const ownerAction = (name: string): PolicyDefault => policy(name, ADMIN_OR_MEMBER, ADMIN_OR_OWNER);

/** Rules of a sub-resource owned through its parent (`ext_parent:tenant_id`). */
function childRules(resource: string, verbs: string[]): PolicyDefault[] {
  return verbs.map((verb) =>
    policy(`${verb}_${resource}`, either(verb === 'get' ? READER : MEMBER, PARENT_OWNER), ADMIN_OR_PARENT_OWNER),
  );
}

/** Rules of a resource that Zed's new defaults give to project members only (admins pass via the bypass). */
function memberRules(resource: string): PolicyDefault[] {
  return [
    policy(`create_${resource}`, MEMBER, ANYONE),
    policy(`get_${resource}`, READER, ADMIN_OR_OWNER),
    policy(`update_${resource}`, MEMBER, ADMIN_OR_OWNER),
    policy(`delete_${resource}`, MEMBER, ADMIN_OR_OWNER),
  ];
}

function gatewayRules(action: 'create_router' | 'update_router'): PolicyDefault[] {
  return [
    adminOnly(`${action}:distributed`),
    adminOnly(`${action}:ha`),
    ownerAction(`${action}:external_gateway_info`),
    ownerAction(`${action}:external_gateway_info:network_id`),
    adminOnly(`${action}:external_gateway_info:enable_snat`),
    adminOnly(`${action}:external_gateway_info:external_fixed_ips`),
  ];
}

export const L3_RULES: PolicyDefault[] = [
  policy('create_router', ADMIN_OR_MEMBER, ANYONE),
  ...gatewayRules('create_router'),
  policy('get_router', ADMIN_OR_READER, ADMIN_OR_OWNER),
  adminOnly('get_router:distributed'),
  adminOnly('get_router:ha'),
  ownerAction('update_router'),
  ...gatewayRules('update_router'),
  ownerAction('delete_router'),
  ...['add_router_interface', 'remove_router_interface', 'add_extraroutes', 'remove_extraroutes'].map(ownerAction),

  policy('create_floatingip', ADMIN_OR_MEMBER, ANYONE),
  adminOnly('create_floatingip:floating_ip_address'),
  policy('get_floatingip', ADMIN_OR_READER, ADMIN_OR_OWNER),
  ownerAction('update_floatingip'),
  ownerAction('delete_floatingip'),
  policy('get_floatingip_pool', READER, ANYONE),

  ...childRules('floatingip_port_forwarding', ['create', 'get', 'update', 'delete']),
  ...childRules('router_conntrack_helper', ['create', 'get', 'update', 'delete']),
  ...childRules('local_ip_port_association', ['create', 'get', 'delete']),
  ...memberRules('local_ip'),
  ...memberRules('ndp_proxy'),
];
