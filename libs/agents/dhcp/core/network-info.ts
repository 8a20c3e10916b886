/** The server's `get_network_info` answer (libs/rpc/dhcp-agent.contract.ts) as the DHCP core's input. */
import type { DhcpNetworkInfo, DhcpPortInfo } from '../../../rpc/dhcp-agent.contract.js';
import type { DhcpNetwork, DhcpPort } from './dhcp-state.js';

/** Ports dnsmasq gets no host entry for (neutron/agent/linux/dhcp.py port_requires_dhcp_configuration). */
const NO_DHCP_ENTRY = new Set(['network:router_ha_interface', 'network:floatingip', 'network:dhcp', 'network:distributed']);

export function dhcpNetworkFromInfo(info: DhcpNetworkInfo): DhcpNetwork {
  const dhcpAddresses: Record<string, string> = {};
  for (const ip of info.dhcp_port?.fixed_ips ?? []) dhcpAddresses[ip.subnet_id] ??= ip.ip_address;
  return {
    id: info.id,
    mtu: info.mtu,
    subnets: info.subnets.map((s) => ({
      id: s.id,
      cidr: s.cidr,
      gateway_ip: s.gateway_ip,
      dns_nameservers: s.dns_nameservers,
      host_routes: s.host_routes,
      enable_dhcp: s.enable_dhcp,
      ip_version: s.ip_version,
    })),
    dhcp_addresses: dhcpAddresses,
    ports: info.ports.filter(needsDhcpEntry).map(dhcpPortFromInfo),
  };
}

/**
 * The same, sharing the port objects of `info` instead of copying them (the simulated driver keeps them in its lease
 * table: one object per port, not two).
 */
export function dhcpNetworkSharingPorts(info: DhcpNetworkInfo): DhcpNetwork {
  return { ...dhcpNetworkFromInfo({ ...info, ports: [] }), ports: info.ports.filter(needsDhcpEntry) };
}

export function needsDhcpEntry(port: DhcpPortInfo): boolean {
  return !port.device_owner || !NO_DHCP_ENTRY.has(port.device_owner);
}

export function dhcpPortFromInfo(port: DhcpPortInfo): DhcpPort {
  return { id: port.id, mac_address: port.mac_address, fixed_ips: port.fixed_ips, extra_dhcp_opts: port.extra_dhcp_opts };
}
