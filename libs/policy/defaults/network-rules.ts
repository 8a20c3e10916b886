import {
  ADMIN,
  ADMIN_OR_MEMBER,
  ADMIN_OR_NET_OWNER,
  ADMIN_OR_OWNER,
  ADMIN_OR_READER,
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

const PROVIDER = ['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'];

export const NETWORK_RULES: PolicyDefault[] = [
  policy('external', 'field:networks:router:external=True'),
  policy('create_network', ADMIN_OR_MEMBER, ANYONE),
  ...['shared', 'router:external', 'is_default', 'segments', ...PROVIDER].map((a) => adminOnly(`create_network:${a}`)),
  policy('create_network:port_security_enabled', ADMIN_OR_MEMBER, ANYONE),
  policy(
    'get_network',
    either(ADMIN_OR_READER, 'rule:shared', 'rule:external', ADVSVC),
    either(ADMIN_OR_OWNER, 'rule:shared', 'rule:external', ADVSVC),
  ),
  policy('get_network:router:external', ADMIN_OR_READER, ANYONE),
  ...['segments', ...PROVIDER].map((a) => adminOnly(`get_network:${a}`)),
  policy('update_network', ADMIN_OR_MEMBER, ADMIN_OR_OWNER),
  ...['segments', 'shared', ...PROVIDER, 'router:external', 'is_default'].map((a) => adminOnly(`update_network:${a}`)),
  policy('update_network:port_security_enabled', ADMIN_OR_MEMBER, ADMIN_OR_OWNER),
  policy('delete_network', ADMIN_OR_MEMBER, ADMIN_OR_OWNER),

  policy('create_subnet', either(ADMIN_OR_MEMBER, NET_OWNER), ADMIN_OR_NET_OWNER),
  adminOnly('create_subnet:segment_id'),
  adminOnly('create_subnet:service_types'),
  policy('get_subnet', either(ADMIN_OR_READER, 'rule:shared'), either(ADMIN_OR_OWNER, 'rule:shared')),
  adminOnly('get_subnet:segment_id'),
  policy('update_subnet', either(ADMIN_OR_MEMBER, NET_OWNER), ADMIN_OR_NET_OWNER),
  adminOnly('update_subnet:segment_id'),
  adminOnly('update_subnet:service_types'),
  policy('delete_subnet', either(ADMIN_OR_MEMBER, NET_OWNER), ADMIN_OR_NET_OWNER),

  policy('shared_subnetpools', 'field:subnetpools:shared=True'),
  policy('create_subnetpool', ADMIN_OR_MEMBER, ANYONE),
  adminOnly('create_subnetpool:shared'),
  adminOnly('create_subnetpool:is_default'),
  policy(
    'get_subnetpool',
    either(ADMIN_OR_READER, 'rule:shared_subnetpools'),
    either(ADMIN_OR_OWNER, 'rule:shared_subnetpools'),
  ),
  policy('update_subnetpool', ADMIN_OR_MEMBER, ADMIN_OR_OWNER),
  adminOnly('update_subnetpool:is_default'),
  policy('delete_subnetpool', ADMIN_OR_MEMBER, ADMIN_OR_OWNER),
  ...['onboard_network_subnets', 'add_prefixes', 'remove_prefixes'].map((n) =>
    policy(n, ADMIN_OR_MEMBER, ADMIN_OR_OWNER),
  ),

  ...['create', 'get', 'update', 'delete'].map((v) => adminOnly(`${v}_segment`)),
  ...['create', 'get', 'update', 'delete'].map((v) => adminOnly(`${v}_network_segment_range`)),
  adminOnly('get_network_ip_availability'),
  policy('get_auto_allocated_topology', READER, ADMIN_OR_OWNER),
  policy('delete_auto_allocated_topology', MEMBER, ADMIN_OR_OWNER),
];
