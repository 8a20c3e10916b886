import {
  ADMIN,
  ADMIN_OR_MEMBER,
  ADMIN_OR_OWNER,
  ADMIN_OR_READER,
  ANYONE,
  both,
  either,
  MEMBER,
  policy,
  type PolicyDefault,
  READER,
} from './policy-default.js';

const adminOnly = (name: string): PolicyDefault => policy(name, ADMIN, ADMIN);

// Only admins may share with every project ("*").
const NO_WILDCARD = '(not field:rbac_policy:target_tenant=* and not field:rbac_policy:target_project=*)';

/** Security groups and their rules, address scopes and groups, RBAC and logging. */
export const SECURITY_RULES: PolicyDefault[] = [
  policy('admin_or_sg_owner', either('rule:context_is_admin', 'tenant_id:%(security_group:tenant_id)s')),
  policy('admin_owner_or_sg_owner', either('rule:owner', 'rule:admin_or_sg_owner')),
  policy('create_security_group', MEMBER, ADMIN_OR_OWNER),
  policy('get_security_group', READER, ANYONE),
  policy('update_security_group', MEMBER, ADMIN_OR_OWNER),
  policy('delete_security_group', MEMBER, ADMIN_OR_OWNER),
  policy('create_security_group_rule', MEMBER, ADMIN_OR_OWNER),
  policy('get_security_group_rule', either(READER, 'rule:sg_owner'), 'rule:admin_owner_or_sg_owner'),
  policy('delete_security_group_rule', MEMBER, ADMIN_OR_OWNER),

  policy('shared_address_scopes', 'field:address_scopes:shared=True'),
  policy('create_address_scope', ADMIN_OR_MEMBER, ANYONE),
  adminOnly('create_address_scope:shared'),
  policy(
    'get_address_scope',
    either(ADMIN_OR_READER, 'rule:shared_address_scopes'),
    either(ADMIN_OR_OWNER, 'rule:shared_address_scopes'),
  ),
  policy('update_address_scope', ADMIN_OR_MEMBER, ADMIN_OR_OWNER),
  adminOnly('update_address_scope:shared'),
  policy('delete_address_scope', ADMIN_OR_MEMBER, ADMIN_OR_OWNER),

  policy('shared_address_groups', 'field:address_groups:shared=True'),
  policy(
    'get_address_group',
    either(READER, 'rule:shared_address_groups'),
    either(ADMIN_OR_OWNER, 'rule:shared_address_groups'),
  ),

  policy('restrict_wildcard', either(NO_WILDCARD, ADMIN)),
  policy('create_rbac_policy', ADMIN_OR_MEMBER, ANYONE),
  policy('create_rbac_policy:target_tenant', either(ADMIN, NO_WILDCARD), 'rule:restrict_wildcard'),
  policy('update_rbac_policy', ADMIN_OR_MEMBER, ADMIN_OR_OWNER),
  policy(
    'update_rbac_policy:target_tenant',
    either(ADMIN, NO_WILDCARD),
    both('rule:restrict_wildcard', ADMIN_OR_OWNER),
  ),
  policy('get_rbac_policy', ADMIN_OR_READER, ADMIN_OR_OWNER),
  policy('delete_rbac_policy', ADMIN_OR_MEMBER, ADMIN_OR_OWNER),

  adminOnly('get_loggable_resource'),
  ...['create', 'get', 'update', 'delete'].map((v) => adminOnly(`${v}_log`)),
];
