import { ADMIN, ADMIN_OR_READER, ANYONE, policy, type PolicyDefault } from './policy-default.js';

const adminOnly = (name: string): PolicyDefault => policy(name, ADMIN, ADMIN);

/** Agents and their schedulers, quotas, metering, availability zones, flavors, service providers. */
export const SERVICE_RULES: PolicyDefault[] = [
  ...['get_agent', 'update_agent', 'delete_agent'].map(adminOnly),
  ...['create_dhcp-network', 'get_dhcp-networks', 'delete_dhcp-network'].map(adminOnly),
  ...['create_l3-router', 'get_l3-routers', 'delete_l3-router'].map(adminOnly),
  ...['get_dhcp-agents', 'get_l3-agents'].map(adminOnly),

  ...['get_quota', 'update_quota', 'delete_quota'].map(adminOnly),

  adminOnly('create_metering_label'),
  policy('get_metering_label', ADMIN_OR_READER, ADMIN),
  adminOnly('delete_metering_label'),
  adminOnly('create_metering_label_rule'),
  policy('get_metering_label_rule', ADMIN_OR_READER, ADMIN),
  adminOnly('delete_metering_label_rule'),

  policy('get_availability_zone', ADMIN, ANYONE),

  ...['create_flavor', 'update_flavor', 'delete_flavor'].map(adminOnly),
  policy('get_flavor', ADMIN_OR_READER, ANYONE),
  ...['create', 'get', 'update', 'delete'].map((v) => adminOnly(`${v}_service_profile`)),
  policy('get_flavor_service_profile', ADMIN_OR_READER, ANYONE),
  adminOnly('create_flavor_service_profile'),
  adminOnly('delete_flavor_service_profile'),

  policy('get_service_provider', 'role:reader', ANYONE),
];
