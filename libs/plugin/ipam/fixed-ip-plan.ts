/**
 * Which addresses a port asks for, as Neutron's ipam_pluggable_backend works it out (pure, no database):
 * explicit fixed_ips are resolved to subnets and checked, defaults become "any address from this group of
 * subnets", and auto-address (SLAAC / DHCPv6-stateless) subnets add the EUI-64 address of the port's MAC.
 */
import type { FixedIp, FixedIpRequest } from './ipam.contract.js';
import { eui64Address, isEui64, parseAddress } from './ip-math.js';
import {
  allocationOnAutoAddressSubnet,
  allocationRequiresSubnetOrIp,
  allocationRequiresSubnets,
  invalidIpForNetwork,
  invalidIpForSubnet,
  invalidSubnetForNetwork,
  ROUTER_INTERFACE_OWNERS,
  ROUTER_INTERFACE_OWNERS_SNAT,
  subnetNotFound,
} from './ipam.errors.js';
import { checkSubnetIp, isAutoAddress, type SubnetInfo } from './subnet-info.js';

/** One address to hand out: a given address, or the lowest free one of the first subnet of `candidates` that has one. */
export type AddressWish = { subnet: SubnetInfo; ip: bigint } | { candidates: SubnetInfo[] };

export interface PortAddressing {
  networkId: string;
  deviceOwner: string;
  macAddress?: string;
  /** Every subnet of the port's network, in creation order. */
  subnets: SubnetInfo[];
  /** subnet_ids the request names that exist (and the caller may see) but belong to another network. */
  foreignSubnetIds: Set<string>;
}

const isRouterInterface = (owner: string) => ROUTER_INTERFACE_OWNERS.includes(owner);
const isRouterSnat = (owner: string) => ROUTER_INTERFACE_OWNERS_SNAT.includes(owner);

/** _allocate_ips_for_port: requests undefined = Neutron's default (one IPv4, one stateful IPv6, all auto-address). */
export function planCreate(p: PortAddressing, requests: FixedIpRequest[] | undefined): AddressWish[] {
  let wishes: AddressWish[];
  if (requests === undefined) {
    const v4 = p.subnets.filter((s) => s.version === 4);
    const v6Stateful = p.subnets.filter((s) => s.version === 6 && !isAutoAddress(s));
    wishes = [v4, v6Stateful].filter((g) => g.length).map((candidates) => ({ candidates }));
  } else {
    wishes = testFixedIps(p, requests);
  }
  return orderWishes([...wishes, ...autoAddressWishes(p, new Set())]);
}

export interface UpdatePlan {
  keep: FixedIp[];
  remove: FixedIp[];
  add: AddressWish[];
}

/** _get_changed_ips_for_port + _update_ips_for_port: what stays, what goes, what must be allocated. */
export function planUpdate(p: PortAddressing, allCurrent: FixedIp[], requests: FixedIpRequest[]): UpdatePlan {
  const byId = new Map(p.subnets.map((s) => [s.id, s]));
  // A new MAC makes the SLAAC addresses derived from the old one stale (update_port_with_ips).
  const stale = allCurrent.filter((ip) => isStaleEui64(p, byId.get(ip.subnet_id), ip));
  const current = allCurrent.filter((ip) => !stale.includes(ip));
  const keep: FixedIp[] = [];
  const addRequests: FixedIpRequest[] = [];
  const removeCandidates: FixedIp[] = [];
  const origByIp = new Map(current.map((ip) => [canonical(ip.ip_address), ip]));

  for (const req of requests) {
    if (req.ip_address === undefined) continue;
    const original = origByIp.get(canonical(req.ip_address));
    if (original) {
      origByIp.delete(canonical(req.ip_address));
      keep.push(original);
    } else addRequests.push(req);
  }
  const origBySubnet = new Map<string, FixedIp[]>();
  for (const ip of origByIp.values()) origBySubnet.set(ip.subnet_id, [...(origBySubnet.get(ip.subnet_id) ?? []), ip]);
  for (const req of requests) {
    if (req.ip_address !== undefined) continue;
    const orig = req.subnet_id === undefined ? undefined : origBySubnet.get(req.subnet_id);
    if (!orig?.length) {
      addRequests.push(req);
      continue;
    }
    const origIp = orig.pop()!;
    const parsed = parseAddress(origIp.ip_address);
    if (parsed && isEui64(parsed.version, parsed.value)) {
      // The prefix may have changed: let IPAM hand the EUI-64 address out again.
      addRequests.push(req);
      removeCandidates.push(origIp);
    } else keep.push(origIp);
  }
  const remove: FixedIp[] = [...stale];
  for (const ip of [...[...origBySubnet.values()].flat(), ...removeCandidates]) {
    const subnet = byId.get(ip.subnet_id);
    const required = isRouterSnat(p.deviceOwner) || !subnet || !isAutoAddress(subnet);
    if (required) remove.push(ip);
    else keep.push(ip);
  }
  const add = testFixedIps(p, addRequests);
  const handled = new Set([...add.map(wishSubnetId), ...keep.map((ip) => ip.subnet_id), ...remove.filter((ip) => !stale.includes(ip)).map((ip) => ip.subnet_id)]);
  return { keep, remove, add: orderWishes([...add, ...autoAddressWishes(p, handled)]) };
}

/** _test_fixed_ips_for_port / _get_subnet_for_fixed_ip: each request checked before anything is allocated. */
function testFixedIps(p: PortAddressing, requests: FixedIpRequest[]): AddressWish[] {
  const wishes: AddressWish[] = [];
  for (const fixed of requests) {
    const subnet = subnetForFixedIp(p, fixed);
    const auto = isAutoAddress(subnet);
    if (fixed.ip_address !== undefined) {
      if (auto && !isRouterInterface(p.deviceOwner)) throw allocationOnAutoAddressSubnet(fixed.ip_address, subnet.id);
      wishes.push({ subnet, ip: parseAddress(fixed.ip_address)!.value });
    } else if (isRouterSnat(p.deviceOwner) || !auto) {
      wishes.push({ candidates: [subnet] });
    }
  }
  return wishes;
}

function subnetForFixedIp(p: PortAddressing, fixed: FixedIpRequest): SubnetInfo {
  if (!p.subnets.length) throw allocationRequiresSubnets();
  const ip = fixed.ip_address === undefined ? undefined : parseAddress(fixed.ip_address);
  if (fixed.subnet_id !== undefined) {
    const subnet = p.subnets.find((s) => s.id === fixed.subnet_id);
    if (!subnet) {
      if (!p.foreignSubnetIds.has(fixed.subnet_id)) throw subnetNotFound(fixed.subnet_id);
      throw invalidSubnetForNetwork(p.networkId, fixed.subnet_id);
    }
    if (fixed.ip_address !== undefined && !(ip && checkSubnetIp(subnet, ip, p.deviceOwner))) throw invalidIpForSubnet(fixed.ip_address);
    return subnet;
  }
  if (fixed.ip_address === undefined) throw allocationRequiresSubnetOrIp();
  const subnet = ip && p.subnets.find((s) => checkSubnetIp(s, ip, p.deviceOwner));
  if (!subnet) throw invalidIpForNetwork(fixed.ip_address);
  return subnet;
}

/** _get_auto_address_ips: every auto-address subnet not already handled gets the MAC's EUI-64 address (not for router ports). */
function autoAddressWishes(p: PortAddressing, exclude: Set<string>): AddressWish[] {
  if (isRouterSnat(p.deviceOwner) || !p.macAddress) return [];
  return p.subnets
    .filter((s) => s.version === 6 && isAutoAddress(s) && !exclude.has(s.id))
    .map((subnet) => ({ subnet, ip: eui64Address(subnet.net, p.macAddress!) }));
}

/** Given addresses first, so they are not handed out to a request that did not care which address it got. */
function orderWishes(wishes: AddressWish[]): AddressWish[] {
  return [...wishes.filter((w) => 'ip' in w), ...wishes.filter((w) => !('ip' in w))];
}

function isStaleEui64(p: PortAddressing, subnet: SubnetInfo | undefined, ip: FixedIp): boolean {
  if (!p.macAddress || !subnet || !isAutoAddress(subnet) || isRouterSnat(p.deviceOwner)) return false;
  const value = parseAddress(ip.ip_address);
  return !!value && isEui64(value.version, value.value) && value.value !== eui64Address(subnet.net, p.macAddress);
}

const wishSubnetId = (w: AddressWish): string => ('subnet' in w ? w.subnet.id : w.candidates[0].id);

function canonical(text: string): string {
  const ip = parseAddress(text);
  return ip ? `${ip.version}:${ip.value}` : text;
}
