/**
 * What the DHCP server serves: the networks the agent hosts, as the server describes them
 * (get_active_networks_info), plus the two config values Neutron's DHCP agent takes from its own config.
 */
import type { ExtraDhcpOpt } from './extra-dhcp-opts.js';

export type { ExtraDhcpOpt } from './extra-dhcp-opts.js';

export interface DhcpHostRoute {
  destination: string;
  nexthop: string;
}

export interface DhcpSubnet {
  id: string;
  cidr: string;
  gateway_ip: string | null;
  dns_nameservers: string[];
  host_routes: DhcpHostRoute[];
  enable_dhcp: boolean;
  ip_version: number;
}

export interface DhcpPort {
  id: string;
  mac_address: string;
  fixed_ips: { subnet_id: string; ip_address: string }[];
  extra_dhcp_opts?: ExtraDhcpOpt[];
}

export interface DhcpNetwork {
  id: string;
  /** The network's MTU, sent as option 26. */
  mtu: number;
  subnets: DhcpSubnet[];
  /** subnet id → the DHCP port's address on that subnet: the server identifier, and the DNS server by default. */
  dhcp_addresses: Record<string, string>;
  ports: DhcpPort[];
}

export interface DhcpServerConfig {
  /** Seconds (Neutron's dhcp_lease_duration, default 86400); -1 = infinite. */
  lease_duration: number;
  /** Neutron's dns_domain (default 'openstacklocal'); '' = no option 15. */
  dns_domain: string;
}

export interface DhcpServerState {
  config: DhcpServerConfig;
  networks: DhcpNetwork[];
}

export const NEUTRON_DHCP_DEFAULTS: DhcpServerConfig = { lease_duration: 86400, dns_domain: 'openstacklocal' };
