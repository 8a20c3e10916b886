/**
 * What a driver must run to take a router's namespace from `current` (what it applied last; null: nothing) to
 * `desired` (null: the router must not be here), in order. Only what differs: a new floating IP is one address, one
 * ruleset change (three rules) and one gratuitous ARP; a router whose state did not change gives no operation. The
 * ruleset goes in as one `iptables-restore --noflush` input per change (atomic per table), never a flush of what is
 * live. O(size of both states).
 */
import type { DesiredRouter, RouterDevice, RouterRoute } from './router-state.js';
import { rulesetChanges } from './ruleset.js';

export type RouterOp =
  | { op: 'create-namespace'; namespace: string }
  | { op: 'enable-forwarding'; namespace: string }
  /** create the device (plugged into its network), set its MAC and MTU, bring it up */
  | { op: 'plug-device'; namespace: string; device: RouterDevice }
  | { op: 'unplug-device'; namespace: string; name: string; kind: RouterDevice['kind']; network_id: string }
  | { op: 'add-address'; namespace: string; device: string; cidr: string }
  | { op: 'remove-address'; namespace: string; device: string; cidr: string }
  | { op: 'replace-route'; namespace: string; route: RouterRoute }
  | { op: 'delete-route'; namespace: string; route: RouterRoute }
  /** `iptables-restore --noflush` input (see rulesetChanges) */
  | { op: 'load-ruleset'; namespace: string; restore: string }
  /** announce an address the router now answers for (`arping -U`) */
  | { op: 'garp'; namespace: string; device: string; address: string }
  | { op: 'delete-namespace'; namespace: string };

/**
 * Order: namespace, forwarding, devices, addresses (a route needs its connected subnet), stale routes out, routes in,
 * the ruleset (a new floating IP's DNAT goes live once its address is there), stale addresses and devices out
 * (after the rules that used them), gratuitous ARPs last.
 */
export function diffRouter(current: DesiredRouter | null, desired: DesiredRouter | null): RouterOp[] {
  if (!desired) return current ? [{ op: 'delete-namespace', namespace: current.namespace }] : [];
  const namespace = desired.namespace;
  const ops: RouterOp[] = [];
  if (!current) ops.push({ op: 'create-namespace', namespace }, { op: 'enable-forwarding', namespace });

  const liveDevices = new Map((current?.devices ?? []).map((d) => [d.name, d]));
  const wantedDevices = new Map(desired.devices.map((d) => [d.name, d]));
  const replace: RouterOp[] = [];
  const plug: RouterOp[] = [];
  const plugged = new Set<string>();
  const addAddresses: RouterOp[] = [];
  const removeAddresses: RouterOp[] = [];
  const unplug: RouterOp[] = [];
  const garp: RouterOp[] = [];
  for (const device of desired.devices) {
    const live = liveDevices.get(device.name);
    const kept = live && sameLink(live, device) ? live : undefined;
    // the same name on another port, network, MAC or MTU: out before the new one comes in
    if (live && !kept) replace.push(unplugOp(namespace, live));
    if (!kept) {
      plug.push({ op: 'plug-device', namespace, device });
      plugged.add(device.name);
    }
    const had = new Set(kept?.addresses ?? []);
    const want = new Set(device.addresses);
    for (const cidr of device.addresses) {
      if (had.has(cidr)) continue;
      addAddresses.push({ op: 'add-address', namespace, device: device.name, cidr });
      if (device.kind === 'gateway' && isIpv4(cidr)) garp.push({ op: 'garp', namespace, device: device.name, address: cidr.split('/')[0] });
    }
    for (const cidr of kept?.addresses ?? []) {
      if (!want.has(cidr)) removeAddresses.push({ op: 'remove-address', namespace, device: device.name, cidr });
    }
  }
  for (const live of current?.devices ?? []) if (!wantedDevices.has(live.name)) unplug.push(unplugOp(namespace, live));

  const liveRoutes = new Map((current?.routes ?? []).map((r) => [r.destination, r]));
  const wantedRoutes = new Map(desired.routes.map((r) => [r.destination, r]));
  const deleteRoutes: RouterOp[] = [];
  const replaceRoutes: RouterOp[] = [];
  for (const [destination, route] of liveRoutes) {
    if (!wantedRoutes.has(destination)) deleteRoutes.push({ op: 'delete-route', namespace, route });
  }
  for (const route of desired.routes) {
    const live = liveRoutes.get(route.destination);
    // a replugged device lost its routes with it
    const replugged = route.device !== undefined && plugged.has(route.device);
    if (!live || live.via !== route.via || live.device !== route.device || replugged) replaceRoutes.push({ op: 'replace-route', namespace, route });
  }

  const restore = rulesetChanges(current?.ruleset ?? null, desired.ruleset);
  const rules: RouterOp[] = restore ? [{ op: 'load-ruleset', namespace, restore }] : [];
  return [...ops, ...replace, ...plug, ...addAddresses, ...deleteRoutes, ...replaceRoutes, ...rules, ...removeAddresses, ...unplug, ...garp];
}

/** A device keeps its link while its port, network, MAC and MTU stay; otherwise it is replugged. */
function sameLink(a: RouterDevice, b: RouterDevice): boolean {
  return a.port_id === b.port_id && a.network_id === b.network_id && a.mac_address === b.mac_address && a.mtu === b.mtu && a.kind === b.kind;
}

function unplugOp(namespace: string, device: RouterDevice): RouterOp {
  return { op: 'unplug-device', namespace, name: device.name, kind: device.kind, network_id: device.network_id };
}

const isIpv4 = (cidr: string) => !cidr.includes(':');
