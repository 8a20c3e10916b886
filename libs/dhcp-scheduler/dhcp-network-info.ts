import type { EntityManager } from 'typeorm';
import type { DhcpNetworkInfo, DhcpPortInfo, DhcpSubnetInfo } from '../rpc/dhcp-agent.contract.js';
import { internalContext } from '../api/resource/internal-context.js';
import { anyOf, anyOfSql, sqlBool } from '../db/index.js';
import type { Ipam } from '../plugin/ipam/ipam.contract.js';
import type { NetworkRow } from '../plugin/networks/network.entity.js';
import { ExtraDhcpOptEntity } from '../plugin/extra-dhcp-opts/extra-dhcp-opt.entity.js';
import { PortEntity, type PortRow } from '../plugin/ports/port.entity.js';
import { SubnetEntity } from '../plugin/subnets/subnet.entity.js';
import { dhcpDeviceId } from './dhcp-device-id.js';
import { DHCP_OWNER } from './dhcp-ports.service.js';

/**
 * get_network_info for many networks at once: their DHCP-enabled subnets, every port with its addresses and
 * extra_dhcp_opts, and the agent's own DHCP port. Four queries whatever the number of networks and ports.
 */
export async function dhcpNetworkInfos(em: EntityManager, ipam: Ipam, networks: NetworkRow[], host: string): Promise<DhcpNetworkInfo[]> {
  if (!networks.length) return [];
  const ids = networks.map((n) => n.id);
  const [subnets, ports] = await Promise.all([
    em
      .getRepository(SubnetEntity)
      .createQueryBuilder('s')
      .where(...anyOfSql(em, 's.network_id', ids))
      .andWhere('s.enable_dhcp = :yes', { yes: sqlBool(em, true) })
      .orderBy('s.id')
      .getMany(),
    em.getRepository(PortEntity).createQueryBuilder('p').where(...anyOfSql(em, 'p.network_id', ids)).orderBy('p.created_at').addOrderBy('p.id').getMany(),
  ]);
  const portIds = ports.map((p) => p.id);
  const [fixedIps, opts] = await Promise.all([
    ipam.loadForPorts(internalContext(em, () => undefined), portIds),
    portIds.length ? em.getRepository(ExtraDhcpOptEntity).find({ where: { port_id: anyOf(em, portIds) }, order: { position: 'ASC' } }) : [],
  ]);
  const optsOf = groupBy(opts, (o) => o.port_id);
  const subnetsOf = groupBy(subnets, (s) => s.network_id);
  const portsOf = groupBy(ports, (p) => p.network_id);
  const portInfo = (p: PortRow): DhcpPortInfo => ({
    id: p.id,
    mac_address: p.mac_address,
    device_owner: p.device_owner,
    device_id: p.device_id,
    admin_state_up: p.admin_state_up,
    fixed_ips: fixedIps.get(p.id) ?? [],
    extra_dhcp_opts: (optsOf.get(p.id) ?? []).map((o) => ({ opt_name: o.opt_name, opt_value: o.opt_value, ip_version: o.ip_version })),
  });
  return networks.map((network) => {
    const netPorts = (portsOf.get(network.id) ?? []).map(portInfo);
    const deviceId = dhcpDeviceId(network.id, host);
    return {
      id: network.id,
      project_id: network.project_id,
      mtu: network.mtu,
      admin_state_up: network.admin_state_up,
      subnets: (subnetsOf.get(network.id) ?? []).map(
        (s): DhcpSubnetInfo => ({
          id: s.id,
          cidr: s.cidr,
          ip_version: s.ip_version,
          gateway_ip: s.gateway_ip,
          enable_dhcp: s.enable_dhcp,
          dns_nameservers: s.dns_nameservers,
          host_routes: s.host_routes,
          ipv6_address_mode: s.ipv6_address_mode,
          ipv6_ra_mode: s.ipv6_ra_mode,
        }),
      ),
      ports: netPorts,
      dhcp_port: netPorts.find((p) => p.device_owner === DHCP_OWNER && p.device_id === deviceId) ?? null,
    };
  });
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
