/**
 * The L3 agent's pure core: a router as sync_routers gives it → what its namespace must hold (Neutron's RouterInfo
 * in neutron/agent/l3/router_info.py, as data instead of commands). No I/O; the cost is O(the router's own size):
 * its ports, addresses, routes, floating IPs and port forwardings, each looked at once.
 */
import type {
  FloatingIpStatus,
  L3FixedIp,
  L3PortForwardingInfo,
  L3PortInfo,
  L3RouterInfo,
} from '../../../rpc/l3-agent.contract.js';
import { MAX_CHAIN_LEN_WRAP, type Ruleset, wrapped } from './ruleset.js';

/** Neutron's device names: a prefix and the port id's first 11 characters (ARCHITECTURE.md, dataplane names). */
export const routerNamespace = (routerId: string) => `qrouter-${routerId}`;
export const internalDevice = (portId: string) => `qr-${portId.slice(0, 11)}`;
export const gatewayDevice = (portId: string) => `qg-${portId.slice(0, 11)}`;

/** Neutron's external_ingress_mark / ROUTER_MARK_MASK: packets that entered through the gateway device. */
export const EXTERNAL_INGRESS_MARK = '0x2/0xffff';
/** iptables_manager's comment on the jump to the snat chain. */
const SNAT_OUT_COMMENT = 'Perform source NAT on outgoing traffic.';

export interface RouterDevice {
  /** qr-… or qg-… */
  name: string;
  kind: 'internal' | 'gateway';
  port_id: string;
  network_id: string;
  mac_address: string;
  mtu: number | null;
  /** CIDR form, sorted: the port's fixed IPs with their subnets' prefix, and on qg- the floating IPs as /32 */
  addresses: string[];
}

export interface RouterRoute {
  destination: string;
  via: string;
  /** the default route names the gateway device; extra routes let the kernel pick the connected one */
  device?: string;
}

export interface DesiredFloatingIp {
  id: string;
  floating_ip_address: string;
  fixed_ip_address: string;
}

/** Everything the router's namespace must hold. */
export interface DesiredRouter {
  id: string;
  namespace: string;
  /** net.ipv4.ip_forward (and IPv6 forwarding) in the namespace */
  forwarding: true;
  /** sorted by name */
  devices: RouterDevice[];
  /** the default route first, then the extra routes as the router lists them */
  routes: RouterRoute[];
  ruleset: Ruleset;
  /** the floating IPs served (on qg- and in the NAT rules): the ones a gratuitous ARP announces */
  floating_ips: DesiredFloatingIp[];
  /** what to report with update_floatingip_statuses for every floating IP the router lists */
  fip_statuses: Record<string, FloatingIpStatus>;
}

/** A router with admin_state_up false is not built (Neutron's agent removes it): null. */
export function compileRouter(router: L3RouterInfo): DesiredRouter | null {
  if (!router.admin_state_up) return null;
  const devices: RouterDevice[] = (router._interfaces ?? []).map((port) => device(port, 'internal', internalDevice(port.id)));
  const gw = router.gw_port;
  const gwDevice = gw ? device(gw, 'gateway', gatewayDevice(gw.id)) : null;
  const gwIp = gw?.fixed_ips.find((f) => isIpv4(f.ip_address))?.ip_address ?? null;

  const served: DesiredFloatingIp[] = [];
  const fip_statuses: Record<string, FloatingIpStatus> = {};
  for (const fip of router._floatingips ?? []) {
    // without a gateway there is nowhere to put the address (Neutron reports such floating IPs in error)
    if (!gwDevice || !fip.fixed_ip_address) {
      fip_statuses[fip.id] = 'ERROR';
      continue;
    }
    served.push({ id: fip.id, floating_ip_address: fip.floating_ip_address, fixed_ip_address: fip.fixed_ip_address });
    fip_statuses[fip.id] = 'ACTIVE';
  }
  const portForwardings = gwDevice ? (router._pf_floatingips ?? []) : [];
  if (gwDevice) {
    const own = new Set(gwDevice.addresses);
    const fipAddresses = new Set(served.map((f) => `${f.floating_ip_address}/32`));
    for (const pf of portForwardings) fipAddresses.add(`${pf.floating_ip_address}/32`);
    for (const cidr of fipAddresses) if (!own.has(cidr)) gwDevice.addresses.push(cidr);
    gwDevice.addresses.sort();
    devices.push(gwDevice);
  }
  devices.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const routes: RouterRoute[] = [];
  const gwSubnetGateway = gw ? externalGateway(gw) : null;
  if (gwDevice && gwSubnetGateway) routes.push({ destination: '0.0.0.0/0', via: gwSubnetGateway, device: gwDevice.name });
  for (const route of router.routes ?? []) routes.push({ destination: route.destination, via: route.nexthop });

  return {
    id: router.id,
    namespace: routerNamespace(router.id),
    forwarding: true,
    devices,
    routes,
    ruleset: buildRuleset({
      gatewayDevice: gwDevice?.name ?? null,
      gatewayIp: gwIp,
      snat: router.enable_snat !== false && router.external_gateway_info?.enable_snat !== false,
      floatingIps: served,
      portForwardings,
    }),
    floating_ips: served,
    fip_statuses,
  };
}

/** Every router, each on its own (a router's result never depends on another's). */
export function compileAll(routers: readonly L3RouterInfo[]): Map<string, DesiredRouter | null> {
  const out = new Map<string, DesiredRouter | null>();
  for (const router of routers) out.set(router.id, compileRouter(router));
  return out;
}

function device(port: L3PortInfo, kind: RouterDevice['kind'], name: string): RouterDevice {
  const prefixes = new Map<string, string>();
  for (const subnet of port.subnets ?? []) prefixes.set(subnet.id, subnet.cidr.split('/')[1]);
  const addresses = port.fixed_ips.map((ip) => `${ip.ip_address}/${prefixOf(ip, prefixes)}`).sort();
  return {
    name,
    kind,
    port_id: port.id,
    network_id: port.network_id,
    mac_address: port.mac_address.toLowerCase(),
    mtu: port.mtu ?? null,
    addresses,
  };
}

function prefixOf(ip: L3FixedIp, subnetPrefixes: Map<string, string>): string | number {
  return subnetPrefixes.get(ip.subnet_id) ?? ip.prefixlen ?? (isIpv4(ip.ip_address) ? 32 : 128);
}

/** The external subnet's gateway: the first IPv4 subnet of the gateway port that has one. */
function externalGateway(gw: L3PortInfo): string | null {
  const v4 = new Set(gw.fixed_ips.filter((f) => isIpv4(f.ip_address)).map((f) => f.subnet_id));
  const subnet = (gw.subnets ?? []).find((s) => s.gateway_ip && isIpv4(s.gateway_ip) && (v4.size === 0 || v4.has(s.id)));
  return subnet?.gateway_ip ?? null;
}

const isIpv4 = (address: string) => !address.includes(':');

interface NatInput {
  gatewayDevice: string | null;
  gatewayIp: string | null;
  snat: boolean;
  floatingIps: readonly DesiredFloatingIp[];
  portForwardings: readonly L3PortForwardingInfo[];
}

/** Neutron's port forwarding chain name: `pf-` and the id, cut to the wrapped chain limit. */
export const portForwardingChain = (pfId: string) => `pf-${pfId}`.slice(0, MAX_CHAIN_LEN_WRAP);

/**
 * The ruleset: iptables_manager's skeleton for neutron-l3-agent (filter, mangle `mark`, nat with
 * neutron-postrouting-bottom → snat → float-snat), then router_info's gateway rules (SNAT of what leaves through qg-
 * unless SNAT is off; the hairpin SNAT of DNATed traffic that did not enter through qg-, so replies come back through
 * the router), the floating IPs' DNAT/SNAT pairs and the port forwarding extension's `fip-pf` chains.
 */
export function buildRuleset(input: NatInput): Ruleset {
  const { gatewayDevice: qg, gatewayIp, snat, floatingIps, portForwardings } = input;
  const w = wrapped;
  const nat: Record<string, string[]> = {
    [w('OUTPUT')]: [],
    [w('POSTROUTING')]: [],
    [w('PREROUTING')]: [],
    [w('float-snat')]: [],
    [w('snat')]: [`-j ${w('float-snat')}`],
    [w('fip-pf')]: [],
    'neutron-postrouting-bottom': [`-m comment --comment "${SNAT_OUT_COMMENT}" -j ${w('snat')}`],
  };
  const mark: string[] = [];
  if (qg && gatewayIp) {
    nat[w('POSTROUTING')].push(`! -o ${qg} -m conntrack ! --ctstate DNAT -j ACCEPT`);
    if (snat) nat[w('snat')].push(`-o ${qg} -j SNAT --to-source ${gatewayIp}`);
    nat[w('snat')].push(`-m mark ! --mark ${EXTERNAL_INGRESS_MARK} -m conntrack --ctstate DNAT -j SNAT --to-source ${gatewayIp}`);
    mark.push(`-i ${qg} -j MARK --set-xmark ${EXTERNAL_INGRESS_MARK}`);
  }
  nat[w('PREROUTING')].push(`-j ${w('fip-pf')}`);
  for (const fip of floatingIps) {
    nat[w('PREROUTING')].push(`-d ${fip.floating_ip_address}/32 -j DNAT --to-destination ${fip.fixed_ip_address}`);
    nat[w('OUTPUT')].push(`-d ${fip.floating_ip_address}/32 -j DNAT --to-destination ${fip.fixed_ip_address}`);
    nat[w('float-snat')].push(`-s ${fip.fixed_ip_address}/32 -j SNAT --to-source ${fip.floating_ip_address}`);
  }
  for (const pf of portForwardings) {
    const chain = w(portForwardingChain(pf.id));
    nat[w('fip-pf')].push(`-j ${chain}`);
    const external = String(pf.external_port).replace('-', ':');
    const internal = String(pf.internal_port).replace(':', '-');
    nat[chain] = [
      `-d ${pf.floating_ip_address}/32 -p ${pf.protocol} -m ${pf.protocol} --dport ${external} ` +
        `-j DNAT --to-destination ${pf.internal_ip_address}:${internal}`,
    ];
  }
  return {
    filter: {
      builtin: {
        INPUT: [`-j ${w('INPUT')}`],
        FORWARD: ['-j neutron-filter-top', `-j ${w('FORWARD')}`],
        OUTPUT: ['-j neutron-filter-top', `-j ${w('OUTPUT')}`],
      },
      chains: {
        'neutron-filter-top': [`-j ${w('local')}`],
        [w('FORWARD')]: [],
        [w('INPUT')]: [],
        [w('OUTPUT')]: [],
        [w('local')]: [],
      },
    },
    mangle: {
      builtin: { PREROUTING: [`-j ${w('mark')}`] },
      chains: { [w('mark')]: mark },
    },
    nat: {
      builtin: {
        PREROUTING: [`-j ${w('PREROUTING')}`],
        OUTPUT: [`-j ${w('OUTPUT')}`],
        POSTROUTING: [`-j ${w('POSTROUTING')}`, '-j neutron-postrouting-bottom'],
      },
      chains: nat,
    },
  };
}

