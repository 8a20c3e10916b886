import { ADMIN_OR_NET_OWNER, ADMIN_OR_OWNER, either, policy, type PolicyDefault } from './policy-default.js';

/** The building blocks every resource rule refers to. */
export const BASE_RULES: PolicyDefault[] = [
  policy('context_is_admin', 'role:admin'),
  policy('owner', 'tenant_id:%(tenant_id)s'),
  policy('admin_or_owner', either('rule:context_is_admin', 'rule:owner')),
  policy('context_is_advsvc', 'role:advsvc'),
  policy('admin_or_network_owner', either('rule:context_is_admin', 'tenant_id:%(network:tenant_id)s')),
  policy('admin_owner_or_network_owner', either('rule:owner', ADMIN_OR_NET_OWNER)),
  policy('network_owner', 'tenant_id:%(network:tenant_id)s'),
  policy('admin_only', 'rule:context_is_admin'),
  policy('regular_user', ''),
  policy('shared', 'field:networks:shared=True'),
  policy('default', ADMIN_OR_OWNER),
  policy('admin_or_ext_parent_owner', either('rule:context_is_admin', 'tenant_id:%(ext_parent:tenant_id)s')),
  policy('ext_parent_owner', 'tenant_id:%(ext_parent:tenant_id)s'),
  policy('sg_owner', 'tenant_id:%(security_group:tenant_id)s'),
];
