import { parseIpNetwork } from '../../api/validators/ip.js';
import { pyRepr } from '../../api/validators/index.js';
import { cidrBounds, inRange, parseAddress } from '../../plugin/ipam/ip-math.js';
import { invalidRoutes, routesExhausted } from '../l3.errors.js';

/** Neutron's `max_routes` default. */
export const MAX_ROUTES = 30;

export interface Route {
  destination: string;
  nexthop: string;
}

/** True when `address` lies in `cidr` (same IP version). */
export function addressInCidr(address: string, cidr: string): boolean {
  const ip = parseAddress(address);
  const net = parseIpNetwork(cidr);
  return !!ip && ip.version === net.version && inRange(ip.value, cidrBounds(net));
}

/**
 * extraroute_db._validate_routes: at most MAX_ROUTES, each nexthop on one of the router's subnets (`cidrs`) and not
 * one of the router's own addresses (`ips`).
 */
export function assertValidRoutes(routerId: string, routes: Route[], cidrs: string[], ips: string[]): void {
  if (routes.length > MAX_ROUTES) throw routesExhausted(routerId, MAX_ROUTES);
  for (const route of routes) {
    if (!cidrs.some((cidr) => addressInCidr(route.nexthop, cidr))) {
      throw invalidRoutes(pyRepr(routes), 'the nexthop is not connected with router');
    }
    if (ips.includes(route.nexthop)) throw invalidRoutes(pyRepr(routes), 'the nexthop is used by router');
  }
}

const key = (r: Route) => `${r.destination}|${r.nexthop}`;

/** _add_extra_routes: the union, exact duplicates once; the same destination with other nexthops is kept. */
export function addRoutes(old: Route[], add: Route[]): Route[] {
  const seen = new Map<string, Route>();
  for (const r of [...old, ...add]) seen.set(key(r), { destination: r.destination, nexthop: r.nexthop });
  return [...seen.values()];
}

/** _remove_extra_routes: the old routes but those given (exact matches only). */
export function removeRoutes(old: Route[], remove: Route[]): Route[] {
  const gone = new Set(remove.map(key));
  return old.filter((r) => !gone.has(key(r)));
}

/** helpers.diff_list_of_dict: what to insert and what to delete to go from `old` to `next`. */
export function diffRoutes(old: Route[], next: Route[]): { added: Route[]; removed: Route[] } {
  const oldKeys = new Set(old.map(key));
  const nextKeys = new Set(next.map(key));
  return { added: next.filter((r) => !oldKeys.has(key(r))), removed: old.filter((r) => !nextKeys.has(key(r))) };
}
