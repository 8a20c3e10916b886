/**
 * Small factories of sync_routers answers for the L3 specs and the bench: a router with `interfaces` tenant subnets
 * (10.0.<i>.0/24), a gateway on 172.24.4.0/24 unless `gateway: false`, and `fips` floating IPs on the first subnet.
 */
import type { L3PortInfo, L3RouterInfo } from '../../../rpc/l3-agent.contract.js';

export const EXT_NET = 'eeeeeeee-0000-4000-8000-000000000000';
export const EXT_SUBNET = 'eeeeeeee-1111-4000-8000-000000000000';

export interface RouterFactoryOptions {
  /** 0..65535: makes ids and addresses unique per router */
  n?: number;
  interfaces?: number;
  fips?: number;
  gateway?: boolean;
  enable_snat?: boolean;
}

const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');

export function routerId(n: number): string {
  return `${hex(n, 8)}-0000-4000-8000-000000000001`;
}

export function makeRouter(opts: RouterFactoryOptions = {}): L3RouterInfo {
  const n = opts.n ?? 1;
  const id = routerId(n);
  const enable_snat = opts.enable_snat ?? true;
  const interfaces: L3PortInfo[] = Array.from({ length: opts.interfaces ?? 1 }, (_, i) => {
    const subnet = `${hex(n, 8)}-${hex(i, 4)}-4000-8000-00000000000a`;
    return {
      id: `${hex(n, 4)}${hex(i, 4)}-aaaa-4000-8000-00000000000b`,
      network_id: `${hex(n, 8)}-${hex(i, 4)}-4000-8000-00000000000c`,
      mac_address: `fa:16:3e:${hex(n >> 8, 2)}:${hex(n & 0xff, 2)}:${hex(i, 2)}`,
      fixed_ips: [{ subnet_id: subnet, ip_address: `10.${i}.${n % 256}.1` }],
      subnets: [{ id: subnet, cidr: `10.${i}.${n % 256}.0/24`, gateway_ip: `10.${i}.${n % 256}.1`, ip_version: 4 }],
      device_owner: 'network:router_interface',
      mtu: 1450,
    };
  });
  const gwIp = `172.24.${(n >> 8) & 0xff}.${n & 0xff || 254}`;
  const gw_port: L3PortInfo | null =
    opts.gateway === false
      ? null
      : {
          id: `${hex(n, 4)}ffff-bbbb-4000-8000-00000000000d`,
          network_id: EXT_NET,
          mac_address: `fa:16:3e:ff:${hex(n >> 8, 2)}:${hex(n & 0xff, 2)}`,
          fixed_ips: [{ subnet_id: EXT_SUBNET, ip_address: gwIp }],
          subnets: [{ id: EXT_SUBNET, cidr: '172.24.0.0/16', gateway_ip: '172.24.0.1', ip_version: 4 }],
          device_owner: 'network:router_gateway',
          mtu: 1500,
        };
  return {
    id,
    name: `router-${n}`,
    admin_state_up: true,
    status: 'ACTIVE',
    project_id: 'project-1',
    gw_port,
    gw_port_id: gw_port?.id ?? null,
    enable_snat,
    external_gateway_info: gw_port
      ? { network_id: EXT_NET, enable_snat, external_fixed_ips: [{ subnet_id: EXT_SUBNET, ip_address: gwIp }] }
      : null,
    routes: [],
    _interfaces: interfaces,
    _floatingips: Array.from({ length: opts.fips ?? 0 }, (_, f) => ({
      id: `${hex(n, 4)}${hex(f, 4)}-cccc-4000-8000-00000000000e`,
      floating_ip_address: `172.25.${(n * 16 + f) >> 8 & 0xff}.${(n * 16 + f) & 0xff}`,
      fixed_ip_address: `10.0.${n % 256}.${10 + f}`,
      port_id: `${hex(n, 4)}${hex(f, 4)}-dddd-4000-8000-00000000000f`,
      status: 'DOWN',
    })),
    _pf_floatingips: [],
  };
}
