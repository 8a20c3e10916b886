/**
 * Static leases from the ports (Neutron serves no dynamic pool): MAC → the port's IPv4 addresses on DHCP-enabled
 * subnets, each with its reply options encoded once here, so a packet costs one Map lookup.
 */
import { Option } from './dhcp-packet.js';
import type { DhcpNetwork, DhcpPort, DhcpServerConfig, DhcpServerState, DhcpSubnet } from './dhcp-state.js';
import { encodeExtraDhcpOpt } from './extra-dhcp-opts.js';
import { formatIpv4, type Ipv4Cidr, parseCidr4, parseIpv4 } from './ipv4.js';
import { addresses, type ClasslessRoute, classlessRoutes, text, uint16, uint32 } from './option-encoding.js';

const INFINITE = 0xffffffff;
const DEFAULT_ROUTE = parseCidr4('0.0.0.0/0')!;
const MIN_MTU = 68;
const LEASE_TIME_CODES = new Set<number>([Option.LEASE_TIME, Option.RENEWAL_TIME, Option.REBINDING_TIME]);

export interface Lease {
  portId: string;
  networkId: string;
  subnetId: string;
  cidr: Ipv4Cidr;
  address: number;
  /** The DHCP port's address on this subnet (option 54). */
  serverId: number;
  /** `siaddr` (dnsmasq's server-ip-address extra option), else 0. */
  siaddr: number;
  /** Every option of an OFFER/ACK after 53, in send order: 54 first, lease times included. Built once. */
  readonly replyOptions: [number, Uint8Array][];
  /** The same for an ACK to INFORM: no lease times (RFC 2131 §4.3.5). */
  readonly informOptions: [number, Uint8Array][];
}

export interface Client {
  mac: string;
  networkId: string;
  /** The port's addresses in fixed_ips order: the first is offered. */
  leases: Lease[];
  /** Our addresses on the client's network: a REQUEST naming one of them selected us. */
  serverIds: Set<number>;
}

interface SubnetPlan {
  subnet: DhcpSubnet;
  cidr: Ipv4Cidr;
  serverId: number;
  /** option 54, encoded once */
  serverIdOption: Uint8Array;
  options: Map<number, Uint8Array>;
}

/** One served network: its subnets' plans (built once) and each port's client and warnings. */
interface NetworkLeases {
  plans: Map<string, SubnetPlan>;
  serverIds: Set<number>;
  warnings: string[];
  /** port id → its client (null: none of its addresses is served here) */
  ports: Map<string, Client | null>;
  /** only ports with warnings */
  portWarnings: Map<string, string[]>;
}

/**
 * The clients of every served network by MAC. A network is (re)planned as a whole when it, its subnets or its DHCP
 * port change; one port is added, replaced or removed in O(its addresses), so a port write on a network of 10,000
 * ports costs what it costs on a network of 10.
 */
export class LeaseTable {
  /** Usually one client per MAC; more when the same MAC is on ports of several served networks. */
  readonly clients = new Map<string, Client[]>();
  private readonly networks = new Map<string, NetworkLeases>();
  private count = 0;

  constructor(private readonly config: DhcpServerConfig) {}

  /** Clients served. */
  get size(): number {
    return this.count;
  }

  /** What could not be served (bad addresses, missing DHCP port address, unusable extra options). */
  get warnings(): string[] {
    const out: string[] = [];
    for (const net of this.networks.values()) {
      out.push(...net.warnings);
      for (const warnings of net.portWarnings.values()) out.push(...warnings);
    }
    return out;
  }

  /** Serves the network as given (replacing what was served for it); returns its warnings. */
  setNetwork(network: DhcpNetwork): string[] {
    this.removeNetwork(network.id);
    const warnings: string[] = [];
    const plans = new Map<string, SubnetPlan>();
    for (const subnet of network.subnets) {
      if (subnet.ip_version !== 4 || !subnet.enable_dhcp) continue;
      const plan = planSubnet(network, subnet, this.config, warnings);
      if (plan) plans.set(subnet.id, plan);
    }
    const serverIds = new Set([...plans.values()].map((p) => p.serverId));
    this.networks.set(network.id, { plans, serverIds, warnings, ports: new Map(), portWarnings: new Map() });
    const all = [...warnings];
    for (const port of network.ports) all.push(...this.upsertPort(network.id, port));
    return all;
  }

  removeNetwork(networkId: string): void {
    const net = this.networks.get(networkId);
    if (!net) return;
    for (const id of [...net.ports.keys()]) this.removePort(networkId, id);
    this.networks.delete(networkId);
  }

  /** Adds or replaces one port of a served network (ignored for a network not served); returns its warnings. */
  upsertPort(networkId: string, port: DhcpPort): string[] {
    const net = this.networks.get(networkId);
    if (!net) return [];
    this.removePort(networkId, port.id);
    const warnings: string[] = [];
    const leases: Lease[] = [];
    for (const ip of port.fixed_ips) {
      const plan = net.plans.get(ip.subnet_id);
      if (!plan) continue;
      const address = parseIpv4(ip.ip_address);
      if (address === undefined) {
        warnings.push(`port ${port.id}: fixed IP '${ip.ip_address}' is not an IPv4 address`);
        continue;
      }
      leases.push(portLease(port, networkId, plan, address, warnings));
    }
    let client: Client | null = null;
    if (leases.length) {
      const mac = port.mac_address.toLowerCase();
      client = { mac, networkId, leases, serverIds: net.serverIds };
      const same = this.clients.get(mac);
      if (same) same.push(client);
      else this.clients.set(mac, [client]);
      this.count++;
    }
    net.ports.set(port.id, client);
    if (warnings.length) net.portWarnings.set(port.id, warnings);
    return warnings;
  }

  removePort(networkId: string, portId: string): void {
    const net = this.networks.get(networkId);
    if (!net?.ports.has(portId)) return;
    const client = net.ports.get(portId);
    net.ports.delete(portId);
    net.portWarnings.delete(portId);
    if (!client) return;
    const same = this.clients.get(client.mac) ?? [];
    const rest = same.filter((c) => c !== client);
    if (rest.length) this.clients.set(client.mac, rest);
    else this.clients.delete(client.mac);
    this.count--;
  }
}

export function buildLeaseTable(state: DhcpServerState): LeaseTable {
  const table = new LeaseTable(state.config);
  for (const network of state.networks) table.setNetwork(network);
  return table;
}

function planSubnet(network: DhcpNetwork, subnet: DhcpSubnet, config: DhcpServerConfig, warnings: string[]): SubnetPlan | undefined {
  const cidr = parseCidr4(subnet.cidr);
  const serverText = network.dhcp_addresses[subnet.id];
  const serverId = serverText === undefined ? undefined : parseIpv4(serverText);
  if (!cidr) {
    warnings.push(`subnet ${subnet.id}: cidr '${subnet.cidr}' is not IPv4`);
    return undefined;
  }
  if (serverId === undefined) {
    warnings.push(`subnet ${subnet.id}: no DHCP port address, not served`);
    return undefined;
  }
  const options = new Map<number, Uint8Array>();
  if (config.lease_duration === -1) {
    options.set(Option.LEASE_TIME, uint32(INFINITE));
  } else {
    options.set(Option.LEASE_TIME, uint32(config.lease_duration));
    options.set(Option.RENEWAL_TIME, uint32(Math.floor(config.lease_duration * 0.5)));
    options.set(Option.REBINDING_TIME, uint32(Math.floor(config.lease_duration * 0.875)));
  }
  options.set(Option.SUBNET_MASK, addresses([cidr.mask]));
  options.set(Option.BROADCAST_ADDRESS, addresses([cidr.broadcast]));
  const { gateway, routes } = subnetRoutes(network, subnet, warnings);
  if (gateway !== undefined) options.set(Option.ROUTER, addresses([gateway]));
  const dns = dnsServers(subnet, serverId);
  if (dns.length) options.set(Option.DNS_SERVERS, addresses(dns));
  options.set(Option.HOSTNAME, new Uint8Array()); // per port: holds the option's place in the send order
  if (config.dns_domain) options.set(Option.DOMAIN_NAME, text(config.dns_domain));
  if (network.mtu >= MIN_MTU) options.set(Option.MTU, uint16(network.mtu));
  if (routes.length) {
    const encoded = classlessRoutes(routes);
    options.set(Option.CLASSLESS_ROUTES, encoded);
    options.set(Option.MS_CLASSLESS_ROUTES, encoded);
  }
  return { subnet, cidr, serverId, serverIdOption: addresses([serverId]), options };
}

/**
 * Neutron's dnsmasq options (agent/linux/dhcp.py): a 0.0.0.0/0 host route stands in for a missing gateway; the
 * network's other IPv4 subnets are on-link routes; with any route, the default route via the gateway comes last,
 * because a client that takes option 121 ignores option 3 (RFC 3442).
 */
function subnetRoutes(network: DhcpNetwork, subnet: DhcpSubnet, warnings: string[]): { gateway?: number; routes: ClasslessRoute[] } {
  let gateway = subnet.gateway_ip ? parseIpv4(subnet.gateway_ip) : undefined;
  const routes: ClasslessRoute[] = [];
  for (const other of network.subnets) {
    const cidr = other.ip_version === 4 && other.cidr !== subnet.cidr ? parseCidr4(other.cidr) : undefined;
    if (cidr) routes.push({ destination: cidr, nexthop: 0 });
  }
  for (const route of subnet.host_routes) {
    const destination = parseCidr4(route.destination);
    const nexthop = parseIpv4(route.nexthop);
    if (!destination || nexthop === undefined) {
      warnings.push(`subnet ${subnet.id}: host route ${route.destination} via ${route.nexthop} is not IPv4, skipped`);
      continue;
    }
    if (destination.prefixlen === 0) gateway ??= nexthop;
    else routes.push({ destination, nexthop });
  }
  if (routes.length && gateway !== undefined) routes.push({ destination: DEFAULT_ROUTE, nexthop: gateway });
  return { gateway, routes };
}

/** The subnet's name servers; none given = the DHCP port's address (as dnsmasq); only 0.0.0.0 = announce none. */
function dnsServers(subnet: DhcpSubnet, serverId: number): number[] {
  if (subnet.dns_nameservers.length === 0) return [serverId];
  const parsed = subnet.dns_nameservers.map(parseIpv4).filter((a): a is number => a !== undefined);
  return parsed.every((a) => a === 0) ? [] : parsed;
}

function portLease(port: DhcpPort, networkId: string, plan: SubnetPlan, address: number, warnings: string[]): Lease {
  let siaddr = 0;
  for (const opt of port.extra_dhcp_opts ?? []) {
    const encoded = encodeExtraDhcpOpt(opt);
    if (encoded.kind === 'siaddr') siaddr = encoded.address;
    else if (encoded.kind === 'skipped' && (opt.ip_version ?? 4) === 4) warnings.push(`port ${port.id}: extra_dhcp_opt ${opt.opt_name}: ${encoded.reason}`);
  }
  return new PortLease(port, networkId, plan, address, siaddr);
}

/**
 * A lease whose reply options are built on its first reply and kept: a network of 10,000 ports that few clients ask
 * about costs a few small objects per port, not two option lists each.
 */
class PortLease implements Lease {
  private built?: { reply: [number, Uint8Array][]; inform: [number, Uint8Array][] };

  constructor(
    private readonly port: DhcpPort,
    readonly networkId: string,
    private readonly plan: SubnetPlan,
    readonly address: number,
    readonly siaddr: number,
  ) {}

  get portId(): string {
    return this.port.id;
  }
  get subnetId(): string {
    return this.plan.subnet.id;
  }
  get cidr(): Ipv4Cidr {
    return this.plan.cidr;
  }
  get serverId(): number {
    return this.plan.serverId;
  }
  get replyOptions(): [number, Uint8Array][] {
    return (this.built ??= this.build()).reply;
  }
  get informOptions(): [number, Uint8Array][] {
    return (this.built ??= this.build()).inform;
  }

  private build(): { reply: [number, Uint8Array][]; inform: [number, Uint8Array][] } {
    const options = new Map(this.plan.options);
    // Neutron's dnsmasq host entry names the host 'host-<ip with dashes>'; dnsmasq sends that short name.
    options.set(Option.HOSTNAME, text(`host-${formatIpv4(this.address).replaceAll('.', '-')}`));
    for (const opt of this.port.extra_dhcp_opts ?? []) {
      const encoded = encodeExtraDhcpOpt(opt);
      if (encoded.kind === 'option') options.set(encoded.code, encoded.value);
      else if (encoded.kind === 'suppress') options.delete(encoded.code);
    }
    const reply: [number, Uint8Array][] = [[Option.SERVER_ID, this.plan.serverIdOption], ...options];
    return { reply, inform: reply.filter(([code]) => !LEASE_TIME_CODES.has(code)) };
  }
}
