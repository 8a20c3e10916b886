import {
  ADMIN,
  ADMIN_OR_MEMBER,
  ADMIN_OR_NET_OWNER,
  ADMIN_OR_OWNER,
  ADVSVC,
  ANYONE,
  either,
  MEMBER,
  NET_OWNER,
  policy,
  type PolicyDefault,
  READER,
} from './policy-default.js';

const adminOnly = (name: string): PolicyDefault => policy(name, ADMIN, ADMIN);

// Device owners starting with "network:" (DHCP, router ports...) are reserved to network owners.
const NOT_NETWORK_DEVICE = 'not rule:network_device';
const ADVSVC_OR_NET_OWNER = either(ADVSVC, NET_OWNER, ADMIN);
const ADVSVC_OR_NET_OWNER_OLD = either(ADVSVC, ADMIN_OR_NET_OWNER);
const NET_OWNER_ONLY = either(ADMIN, NET_OWNER);

function portAttributeRules(action: 'create_port' | 'update_port'): PolicyDefault[] {
  return [
    policy(`${action}:fixed_ips:ip_address`, ADVSVC_OR_NET_OWNER, ADVSVC_OR_NET_OWNER_OLD),
    policy(
      `${action}:fixed_ips:subnet_id`,
      either(ADVSVC_OR_NET_OWNER, 'rule:shared'),
      either(ADVSVC_OR_NET_OWNER_OLD, 'rule:shared'),
    ),
    policy(`${action}:port_security_enabled`, ADVSVC_OR_NET_OWNER, ADVSVC_OR_NET_OWNER_OLD),
    adminOnly(`${action}:binding:host_id`),
    adminOnly(`${action}:binding:profile`),
    policy(`${action}:allowed_address_pairs`, NET_OWNER_ONLY, ADMIN_OR_NET_OWNER),
    policy(`${action}:allowed_address_pairs:mac_address`, NET_OWNER_ONLY, ADMIN_OR_NET_OWNER),
    policy(`${action}:allowed_address_pairs:ip_address`, NET_OWNER_ONLY, ADMIN_OR_NET_OWNER),
  ];
}

export const PORT_RULES: PolicyDefault[] = [
  policy('network_device', 'field:port:device_owner=~^network:'),
  policy('admin_or_data_plane_int', either('rule:context_is_admin', 'role:data_plane_integrator')),

  policy('create_port', ADMIN_OR_MEMBER, ANYONE),
  policy(
    'create_port:device_owner',
    either(NOT_NETWORK_DEVICE, ADMIN, ADVSVC, NET_OWNER),
    either(NOT_NETWORK_DEVICE, ADVSVC, ADMIN_OR_NET_OWNER),
  ),
  policy('create_port:mac_address', either(ADVSVC, NET_OWNER, ADMIN), ADVSVC_OR_NET_OWNER_OLD),
  policy(
    'create_port:fixed_ips',
    either(ADVSVC_OR_NET_OWNER, 'rule:shared'),
    either(ADVSVC_OR_NET_OWNER_OLD, 'rule:shared'),
  ),
  policy('create_port:binding:vnic_type', ADMIN_OR_MEMBER, ANYONE),
  ...portAttributeRules('create_port'),

  policy('get_port', either(ADMIN, ADVSVC, READER), either(ADVSVC, 'rule:admin_owner_or_network_owner')),
  ...['binding:vif_type', 'binding:vif_details', 'binding:host_id', 'binding:profile', 'resource_request'].map(
    (a) => adminOnly(`get_port:${a}`),
  ),

  policy('update_port', either(ADMIN_OR_MEMBER, ADVSVC), either(ADMIN_OR_OWNER, ADVSVC)),
  policy(
    'update_port:device_owner',
    either(NOT_NETWORK_DEVICE, ADVSVC, NET_OWNER, ADMIN),
    either(NOT_NETWORK_DEVICE, ADVSVC, ADMIN_OR_NET_OWNER),
  ),
  policy('update_port:mac_address', either(ADMIN, ADVSVC), either(ADMIN, ADVSVC)),
  policy('update_port:fixed_ips', ADVSVC_OR_NET_OWNER, ADVSVC_OR_NET_OWNER_OLD),
  policy('update_port:binding:vnic_type', either(ADMIN_OR_MEMBER, ADVSVC), either(ADMIN_OR_OWNER, ADVSVC)),
  policy('update_port:data_plane_status', either(ADMIN, 'role:data_plane_integrator'), 'rule:admin_or_data_plane_int'),
  ...portAttributeRules('update_port'),

  policy('delete_port', either(ADMIN, ADVSVC, MEMBER), either(ADVSVC, 'rule:admin_owner_or_network_owner')),

  // binding-extended (neutron/conf/policies/port_bindings.py): admin only.
  ...['get_port_binding', 'create_port_binding', 'update_port_binding', 'delete_port_binding', 'activate'].map(adminOnly),

  policy('create_trunk', MEMBER, ANYONE),
  policy('get_trunk', READER, ADMIN_OR_OWNER),
  policy('update_trunk', MEMBER, ADMIN_OR_OWNER),
  policy('delete_trunk', MEMBER, ADMIN_OR_OWNER),
  policy('get_subports', READER, ANYONE),
  policy('add_subports', MEMBER, ADMIN_OR_OWNER),
  policy('remove_subports', MEMBER, ADMIN_OR_OWNER),
];
