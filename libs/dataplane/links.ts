/** Network devices in a namespace: read with `ip -json link`, changed with one `ip link` command each. */
import { failureKind } from './command.js';
import { ip, ipJson, type Namespace } from './ip.js';
import { assertInterfaceName, assertNamespaceName } from './names.js';

export interface Link {
  name: string;
  index: number;
  /** 'bridge', 'veth', 'vlan', 'vxlan', …; null for a plain device (lo, a NIC) or when read without details */
  kind: string | null;
  /** the bridge it is a port of */
  master: string | null;
  /** the device it sits on (a VLAN's parent, a veth's peer in the same namespace) */
  parent: string | null;
  mtu: number;
  /** administratively up (IFF_UP) */
  up: boolean;
  operstate: string;
  address: string | null;
  /** VLAN id or VNI, for vlan and vxlan devices */
  segmentId: number | null;
}

interface IpLinkRow {
  ifindex: number;
  ifname: string;
  flags?: string[];
  mtu: number;
  operstate?: string;
  master?: string;
  link?: string | null;
  address?: string;
  linkinfo?: { info_kind?: string; info_data?: { id?: number } };
}

const toLink = (r: IpLinkRow): Link => ({
  name: r.ifname,
  index: r.ifindex,
  kind: r.linkinfo?.info_kind ?? null,
  master: r.master ?? null,
  parent: r.link ?? null,
  mtu: r.mtu,
  up: r.flags?.includes('UP') ?? false,
  operstate: r.operstate ?? 'UNKNOWN',
  address: r.address ?? null,
  segmentId: r.linkinfo?.info_data?.id ?? null,
});

/** Every device in the namespace. `details` adds kind and VLAN/VNI ids (`ip -d`), at a little more cost. */
export async function listLinks(namespace: Namespace, opts: { details?: boolean } = {}): Promise<Link[]> {
  const rows = await ipJson<IpLinkRow>(namespace, [...(opts.details ? ['-details'] : []), 'link', 'show']);
  return rows.map(toLink);
}

/** One device, or null when it does not exist. */
export async function getLink(namespace: Namespace, name: string): Promise<Link | null> {
  try {
    const [row] = await ipJson<IpLinkRow>(namespace, ['-details', 'link', 'show', 'dev', assertInterfaceName(name)]);
    return row ? toLink(row) : null;
  } catch (err) {
    if (failureKind(err) === 'not-found') return null;
    throw err;
  }
}

export async function addBridge(namespace: Namespace, name: string): Promise<void> {
  // forward_delay 0, STP off: a port forwards as soon as it is up (Neutron's linuxbridge bridges)
  await ip(namespace, ['link', 'add', 'name', assertInterfaceName(name), 'type', 'bridge', 'forward_delay', '0', 'stp_state', '0']);
}

/**
 * A veth pair: `name` in `namespace`, `peer` in `peerNamespace` (default: the same one). This is how a hypervisor
 * plugs a guest: tap end on the host, the other end as the guest's NIC.
 */
export async function addVethPair(
  namespace: Namespace,
  name: string,
  peer: string,
  opts: { peerNamespace?: Namespace; peerAddress?: string } = {},
): Promise<void> {
  const peerArgs = ['name', assertInterfaceName(peer)];
  if (opts.peerAddress) peerArgs.push('address', opts.peerAddress);
  if (opts.peerNamespace !== undefined && opts.peerNamespace !== namespace) {
    // ip resolves a netns name relative to the root's /run/netns, so a root-namespace peer cannot be named here
    if (opts.peerNamespace === '') throw new Error('addVethPair: create the pair in the root namespace and move the other end instead');
    peerArgs.push('netns', assertNamespaceName(opts.peerNamespace));
  }
  await ip(namespace, ['link', 'add', 'name', assertInterfaceName(name), 'type', 'veth', 'peer', ...peerArgs]);
}

/** An 802.1Q sub-interface `name` of `parent` (needs CONFIG_VLAN_8021Q). */
export async function addVlan(namespace: Namespace, name: string, parent: string, vlanId: number): Promise<void> {
  if (!Number.isInteger(vlanId) || vlanId < 1 || vlanId > 4094) throw new Error(`invalid VLAN id ${vlanId}`);
  await ip(namespace, [
    'link', 'add', 'link', assertInterfaceName(parent), 'name', assertInterfaceName(name), 'type', 'vlan', 'id', String(vlanId),
  ]);
}

export interface VxlanOptions {
  /** UDP port, default 4789 (IANA) */
  dstport?: number;
  /** local tunnel endpoint address; none: the kernel picks by route */
  local?: string;
  /** underlay device */
  dev?: string;
  /** MAC learning from received packets; off as in Neutron's linuxbridge (l2population fills the FDB) */
  learning?: boolean;
}

export async function addVxlan(namespace: Namespace, name: string, vni: number, opts: VxlanOptions = {}): Promise<void> {
  if (!Number.isInteger(vni) || vni < 1 || vni > 0xffffff) throw new Error(`invalid VNI ${vni}`);
  const args = ['link', 'add', 'name', assertInterfaceName(name), 'type', 'vxlan', 'id', String(vni), 'dstport', String(opts.dstport ?? 4789)];
  if (opts.local) args.push('local', opts.local);
  if (opts.dev) args.push('dev', assertInterfaceName(opts.dev));
  args.push(opts.learning ? 'learning' : 'nolearning');
  await ip(namespace, args);
}

/** A dummy device (needs CONFIG_DUMMY). */
export async function addDummy(namespace: Namespace, name: string): Promise<void> {
  await ip(namespace, ['link', 'add', 'name', assertInterfaceName(name), 'type', 'dummy']);
}

/** Deletes the device; one already gone is not an error. */
export async function deleteLink(namespace: Namespace, name: string): Promise<void> {
  try {
    await ip(namespace, ['link', 'delete', 'dev', assertInterfaceName(name)]);
  } catch (err) {
    if (failureKind(err) !== 'not-found') throw err;
  }
}

export interface LinkChange {
  up?: boolean;
  mtu?: number;
  /** a bridge to join; null: leave its bridge */
  master?: string | null;
  /** move into this namespace (it then leaves this one; '' cannot be named, see addVethPair) */
  netns?: string;
  address?: string;
}

/** All changes in one `ip link set` (the kernel applies them in order: netns, mtu, master, up). */
export async function setLink(namespace: Namespace, name: string, change: LinkChange): Promise<void> {
  const args = ['link', 'set', 'dev', assertInterfaceName(name)];
  if (change.netns !== undefined) args.push('netns', assertNamespaceName(change.netns));
  if (change.address !== undefined) args.push('address', change.address);
  if (change.mtu !== undefined) {
    if (!Number.isInteger(change.mtu) || change.mtu < 68) throw new Error(`invalid MTU ${change.mtu}`);
    args.push('mtu', String(change.mtu));
  }
  if (change.master === null) args.push('nomaster');
  else if (change.master !== undefined) args.push('master', assertInterfaceName(change.master));
  if (change.up !== undefined) args.push(change.up ? 'up' : 'down');
  if (args.length === 4) return;
  await ip(namespace, args);
}
