import { agentsApiDomain } from '../agents-api/agents-api.module.js';
import { apiDomain } from '../api/index.js';
import { availabilityZonesDomain } from '../availability-zones/availability-zones.module.js';
import type { Domain } from '../db/index.js';
import { dhcpSchedulerDomain } from '../dhcp-scheduler/dhcp-scheduler.module.js';
import { identityDomain } from '../identity/identity.module.js';
import { l3Domain } from '../l3/l3.module.js';
import { meteringDomain } from '../metering/metering.module.js';
import { novaNotifierDomain } from '../nova-notifier/nova-notifier.module.js';
import { allowedAddressPairsDomain } from '../plugin/allowed-address-pairs/allowed-address-pairs.module.js';
import { extraDhcpOptsDomain } from '../plugin/extra-dhcp-opts/extra-dhcp-opts.module.js';
import { ml2Domain } from '../plugin/ml2/ml2.module.js';
import { networksDomain } from '../plugin/plugin.module.js';
import { portSecurityDomain } from '../plugin/port-security/port-security.module.js';
import { portsDomain } from '../plugin/ports/ports.module.js';
import { subnetPoolsDomain } from '../plugin/subnetpools/subnetpools.module.js';
import { subnetsDomain } from '../plugin/subnets/subnets.module.js';
import { quotasDomain } from '../quotas/quotas.module.js';
import { securityGroupsDomain } from '../security-groups/security-groups.module.js';

/**
 * Every domain of the Networking server, once: identity, the API, the core plug-in and its fragments, the service
 * plug-ins. Fragments on ports register in this order (their `order` fixes the attribute order). The server app and
 * the in-process harnesses take their modules, entities and migrations from this one list.
 */
export const SERVER_DOMAINS: readonly Domain[] = [
  identityDomain,
  apiDomain,
  quotasDomain,
  networksDomain,
  subnetPoolsDomain,
  subnetsDomain,
  securityGroupsDomain,
  portsDomain,
  allowedAddressPairsDomain,
  ml2Domain,
  extraDhcpOptsDomain,
  portSecurityDomain,
  availabilityZonesDomain,
  agentsApiDomain,
  dhcpSchedulerDomain,
  l3Domain,
  meteringDomain,
  novaNotifierDomain,
];

/** The server without what works in the background (DHCP scheduling and its DHCP ports): the core specs' server. */
export const CORE_DOMAINS: readonly Domain[] = SERVER_DOMAINS.filter((d) => d !== dhcpSchedulerDomain);
