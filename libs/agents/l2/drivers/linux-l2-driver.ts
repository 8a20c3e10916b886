/**
 * The `linux` L2 driver: Neutron's linuxbridge layout, built with iproute2 inside the host namespace the appliance
 * owns (config dataplane.host_namespace; '' = the machine's root namespace, only when configured so).
 *
 * A hypervisor (or a test) plugs a guest by creating `tap<port[:11]>` in that namespace; this driver puts it into
 * `brq<network[:11]>` with the network's uplink: the mapped interface itself (flat), `<iface>.<vid>` (vlan) or
 * `vxlan-<vni>`. The namespace survives the agent: the taps in it belong to the hypervisor, as a host's root
 * namespace would outlive neutron-linuxbridge-agent. What the driver owns (bridges `brq…`, `vxlan-…`, VLAN devices on
 * mapped interfaces) and no wired port needs is removed after each full sync, the first one at start included.
 *
 * A mapped interface missing from the namespace: warned about, and its flat/vlan ports stay DOWN (plug → false). The
 * driver does not invent a stand-in (a dummy device would make a provider network look wired that reaches nothing);
 * the ports are wired at the next full sync after the interface appears.
 */
import { pino, type Logger } from 'pino';
import {
  addBridge,
  addVlan,
  addVxlan,
  deleteLink,
  deleteNamespace,
  ensureNamespace,
  failureKind,
  listLinks,
  setLink,
  type Link,
  monitorLinks,
} from '../../../dataplane/index.js';
import type { DeviceWiring, L2Capabilities, L2Driver, NetworkSegment } from './l2-driver.js';
import { bridgeName, vlanDevice, vxlanDevice } from './linuxbridge-names.js';

const TAP_PREFIX = 'tap';
const BRIDGE_PREFIX = 'brq';
const VXLAN_PREFIX = 'vxlan-';
/** Linuxbridge terminates VXLAN only (no GENEVE, as in Neutron). */
export const LINUX_TUNNEL_TYPES: readonly string[] = ['vxlan'];

export interface LinuxL2DriverOptions {
  /** the namespace holding taps, bridges and uplinks; '' = the root namespace */
  namespace: string;
  capabilities: L2Capabilities;
  /** VXLAN endpoint: local address and UDP port (default: the kernel picks the address, port 4789) */
  vxlan?: { local?: string; dstport?: number };
  /** On stop, remove the bridges and uplinks it made, and the host namespace if it made it and no tap is left in it. */
  cleanupOnStop?: boolean;
  log?: Logger;
}

/** An uplink: its name, and whether this driver created it (a flat network's NIC is not ours to delete). */
interface Uplink {
  name: string;
  owned: boolean;
}

type Links = Map<string, Link>;

export class LinuxL2Driver implements L2Driver {
  readonly name = 'linux' as const;
  readonly namespace: string;
  /** What this driver can wire: the configured tunnel types it supports; the agent reports these. */
  readonly capabilities: L2Capabilities;
  private readonly caps: L2Capabilities;
  private readonly log: Logger;
  private ready: Promise<void> | null = null;
  /** device → network of the taps this driver wired */
  private readonly wired = new Map<string, string>();
  /** network → its uplink (null: a local network, no uplink) */
  private readonly uplinks = new Map<string, Uplink | null>();
  private readonly warned = new Set<string>();
  /** This run created the host namespace (so it may remove it again on stop). */
  private createdNamespace = false;

  constructor(private readonly opts: LinuxL2DriverOptions) {
    this.namespace = opts.namespace;
    this.log = (opts.log ?? pino({ level: 'silent' })).child({ driver: 'linux-l2', namespace: opts.namespace || '(root)' });
    const tunnelTypes = opts.capabilities.tunnelTypes.filter((t) => LINUX_TUNNEL_TYPES.includes(t));
    const dropped = opts.capabilities.tunnelTypes.filter((t) => !LINUX_TUNNEL_TYPES.includes(t));
    if (dropped.length) this.log.warn({ tunnel_types: dropped }, 'the linux L2 driver cannot terminate these tunnel types; not reporting them');
    this.caps = this.capabilities = { ...opts.capabilities, tunnelTypes };
  }

  /** Link events naming a tap (a guest plugged or gone) wake the agent; the poll stays as the safety net. */
  watchDevices(onChange: (deleted?: string) => void): () => void {
    return monitorLinks(this.namespace, (line) => {
      // `[Deleted ]<index>: <name>[@<peer>]: <flags> …`
      const event = /^(Deleted )?\d+: ([^:@\s]+)/.exec(line);
      if (event?.[2].startsWith(TAP_PREFIX)) onChange(event[1] ? event[2] : undefined);
    });
  }

  /** One `ip -json link show`: the poll runs it every interval. */
  async listDevices(): Promise<string[]> {
    await this.ensureReady();
    let links: Link[];
    try {
      links = await listLinks(this.namespace);
    } catch (err) {
      if (failureKind(err) !== 'no-namespace') throw err;
      // deleted under us (by hand, or a test): it is ours, make it again; its taps are gone with it
      this.log.warn('the host namespace disappeared; creating it again');
      this.ready = null;
      this.wired.clear();
      this.uplinks.clear();
      await this.ensureReady();
      links = await listLinks(this.namespace);
    }
    return links.map((l) => l.name).filter((n) => n.startsWith(TAP_PREFIX));
  }

  async plugDevice(wiring: DeviceWiring): Promise<boolean> {
    await this.ensureReady();
    const links = await this.snapshot();
    if (!links.has(wiring.device)) return false;
    const uplink = await this.ensureUplink(wiring.segment, links);
    if (uplink === undefined) return false;
    const bridge = bridgeName(wiring.network_id);
    const existing = links.get(bridge);
    if (existing && existing.kind !== 'bridge') {
      this.log.error({ bridge, kind: existing.kind }, 'a device that is not a bridge has the name of a network bridge');
      return false;
    }
    if (!existing) await this.tolerateExists(() => addBridge(this.namespace, bridge));
    if (!existing?.up) await setLink(this.namespace, bridge, { up: true });
    if (uplink) {
      const link = links.get(uplink.name);
      if (link?.master !== bridge || !link.up) await setLink(this.namespace, uplink.name, { master: bridge, up: true });
    }
    try {
      const mtu = wiring.segment.mtu && links.get(wiring.device)?.mtu !== wiring.segment.mtu ? wiring.segment.mtu : undefined;
      await setLink(this.namespace, wiring.device, { mtu, master: bridge, up: true });
    } catch (err) {
      if (failureKind(err) === 'not-found') return false; // the tap went away meanwhile: the next pass sees it gone
      throw err;
    }
    this.wired.set(wiring.device, wiring.network_id);
    this.uplinks.set(wiring.network_id, uplink);
    return true;
  }

  /** Takes the tap out of its bridge; the bridge stays until removeNetwork or cleanup. */
  async unplugDevice(wiring: DeviceWiring): Promise<void> {
    await this.ensureReady();
    this.wired.delete(wiring.device);
    try {
      await setLink(this.namespace, wiring.device, { master: null });
    } catch (err) {
      if (failureKind(err) !== 'not-found') throw err;
    }
  }

  /** Deletes the bridge (its ports leave it) and the uplink this driver made for it. */
  async removeNetwork(networkId: string): Promise<void> {
    await this.ensureReady();
    const links = await this.snapshot();
    const bridge = bridgeName(networkId);
    const owned = this.ownedUplinksOf(bridge, links);
    const known = this.uplinks.get(networkId);
    if (known?.owned) owned.add(known.name);
    await deleteLink(this.namespace, bridge);
    for (const name of owned) await deleteLink(this.namespace, name);
    for (const [device, net] of this.wired) if (net === networkId) this.wired.delete(device);
    this.uplinks.delete(networkId);
  }

  /** Removes the bridges and uplinks it owns that no wired tap needs (stale ones from a previous run included). */
  async cleanup(): Promise<void> {
    await this.ensureReady();
    const neededNetworks = new Set(this.wired.values());
    for (const net of this.uplinks.keys()) if (!neededNetworks.has(net)) this.uplinks.delete(net);
    const needed = new Set<string>();
    for (const net of neededNetworks) {
      needed.add(bridgeName(net));
      const uplink = this.uplinks.get(net);
      if (uplink) needed.add(uplink.name);
    }
    const links = await this.snapshot();
    const stale = [...links.values()].filter((l) => this.owns(l) && !needed.has(l.name));
    // bridges first: their uplinks then have no master and go next
    stale.sort((a, b) => Number(b.kind === 'bridge') - Number(a.kind === 'bridge'));
    for (const link of stale) {
      this.log.info({ device: link.name, kind: link.kind }, 'removing a device no wired port needs');
      await deleteLink(this.namespace, link.name);
    }
  }

  /**
   * On stop (dataplane.cleanup_on_stop): the bridges and the VXLAN/VLAN uplinks it made go, so a stopped appliance
   * leaves no network of its own behind; then the host namespace, if this run made it and no tap is left in it. Taps
   * are never removed: they belong to the hypervisor (os-vif creates them, Nova deletes them), and a guest's link must
   * not vanish because the agent stopped. Off, the wiring stays for the next start, as Neutron's agent leaves it.
   */
  async release(): Promise<void> {
    if (!this.opts.cleanupOnStop || !this.ready) return;
    let links: Links;
    try {
      await this.ready;
      links = await this.snapshot();
    } catch (err) {
      if (failureKind(err) === 'no-namespace') return;
      throw err;
    }
    const owned = [...links.values()].filter((l) => this.owns(l));
    owned.sort((a, b) => Number(b.kind === 'bridge') - Number(a.kind === 'bridge'));
    for (const link of owned) await deleteLink(this.namespace, link.name);
    this.wired.clear();
    this.uplinks.clear();
    const taps = [...links.keys()].filter((n) => n.startsWith(TAP_PREFIX));
    if (this.createdNamespace && taps.length === 0) {
      await deleteNamespace(this.namespace);
      this.ready = null;
      this.createdNamespace = false;
    }
    this.log.info({ removed: owned.map((l) => l.name), namespace_kept_for_taps: taps.length > 0 }, 'removed the devices this agent made');
  }

  /** Deletes the whole host namespace (taps included): for tests and uninstall, never on a restart. */
  async destroy(): Promise<void> {
    this.ready = null;
    this.wired.clear();
    this.uplinks.clear();
    if (this.namespace !== '') await deleteNamespace(this.namespace);
  }

  // ---- internals ----

  /** Creates the host namespace if missing (once; again after a failure) and checks the mapped interfaces. */
  private ensureReady(): Promise<void> {
    this.ready ??= (async () => {
      if (this.namespace !== '' && (await ensureNamespace(this.namespace))) {
        this.createdNamespace = true;
        this.log.info('created the host namespace');
      }
      const links = await this.snapshot();
      for (const [physnet, iface] of Object.entries(this.caps.interfaceMappings)) {
        if (!links.has(iface)) this.warnOnce(`missing:${iface}`, { physnet, interface: iface }, 'mapped interface not found in the host namespace; its flat and vlan ports stay down');
      }
    })().catch((err) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  private async snapshot(): Promise<Links> {
    return new Map((await listLinks(this.namespace, { details: true })).map((l) => [l.name, l]));
  }

  /** The bridge's uplink, created if needed; null: none (local); undefined: this host cannot reach the segment. */
  private async ensureUplink(segment: NetworkSegment, links: Links): Promise<Uplink | null | undefined> {
    const vid = segment.segmentation_id;
    switch (segment.network_type) {
      case 'local':
        return null;
      case 'flat': {
        const iface = this.mappedInterface(segment, links);
        return iface ? { name: iface, owned: false } : undefined;
      }
      case 'vlan': {
        const iface = this.mappedInterface(segment, links);
        if (!iface || vid == null) return undefined;
        const name = vlanDevice(iface, vid);
        const ok = await this.ensureOwnedDevice(links, name, 'vlan', vid, () => addVlan(this.namespace, name, iface, vid));
        if (!ok) return undefined;
        await this.setUplinkMtu(name, segment.mtu, links);
        return { name, owned: true };
      }
      case 'vxlan': {
        if (!this.caps.tunnelTypes.includes('vxlan') || vid == null) return undefined;
        const name = vxlanDevice(vid);
        const ok = await this.ensureOwnedDevice(links, name, 'vxlan', vid, () =>
          addVxlan(this.namespace, name, vid, { local: this.opts.vxlan?.local, dstport: this.opts.vxlan?.dstport }),
        );
        if (!ok) return undefined;
        await this.setUplinkMtu(name, segment.mtu, links);
        return { name, owned: true };
      }
      default:
        // linuxbridge has no GENEVE: such ports stay down on this driver
        this.warnOnce(`type:${segment.network_type}`, { network_type: segment.network_type }, 'the linux L2 driver cannot wire this network type');
        return undefined;
    }
  }

  private mappedInterface(segment: NetworkSegment, links: Links): string | undefined {
    const iface = segment.physical_network == null ? undefined : this.caps.interfaceMappings[segment.physical_network];
    if (!iface) return undefined;
    if (!links.has(iface)) {
      this.warnOnce(`missing:${iface}`, { physnet: segment.physical_network, interface: iface }, 'mapped interface not found in the host namespace; its flat and vlan ports stay down');
      return undefined;
    }
    this.warned.delete(`missing:${iface}`);
    return iface;
  }

  /** Creates a vlan/vxlan device unless one of that kind and id exists; false if the name is taken or unsupported. */
  private async ensureOwnedDevice(links: Links, name: string, kind: string, id: number, create: () => Promise<void>): Promise<boolean> {
    const existing = links.get(name);
    if (existing) {
      if (existing.kind === kind && existing.segmentId === id) return true;
      this.log.error({ device: name, kind: existing.kind, id: existing.segmentId }, `a device with the name of a ${kind} uplink is something else`);
      return false;
    }
    try {
      await this.tolerateExists(create);
      return true;
    } catch (err) {
      if (failureKind(err) !== 'unsupported') throw err;
      this.warnOnce(`unsupported:${kind}`, { kind, err: (err as Error).message }, `this kernel cannot create ${kind} devices; such ports stay down`);
      return false;
    }
  }

  private async setUplinkMtu(name: string, mtu: number | null, links: Links): Promise<void> {
    if (mtu && links.get(name)?.mtu !== mtu) await setLink(this.namespace, name, { mtu });
  }

  /** Devices this driver made: network bridges, VXLAN devices, VLAN devices on mapped interfaces. */
  private owns(link: Link): boolean {
    if (link.kind === 'bridge') return link.name.startsWith(BRIDGE_PREFIX);
    if (link.kind === 'vxlan') return link.name.startsWith(VXLAN_PREFIX);
    if (link.kind === 'vlan' && link.parent && link.segmentId != null) {
      return this.mappedInterfaces().has(link.parent) && link.name === vlanDevice(link.parent, link.segmentId);
    }
    return false;
  }

  private ownedUplinksOf(bridge: string, links: Links): Set<string> {
    return new Set([...links.values()].filter((l) => l.master === bridge && l.kind !== 'bridge' && this.owns(l)).map((l) => l.name));
  }

  private mappedInterfaces(): Set<string> {
    return new Set(Object.values(this.caps.interfaceMappings));
  }

  private async tolerateExists(create: () => Promise<void>): Promise<void> {
    try {
      await create();
    } catch (err) {
      if (failureKind(err) !== 'exists') throw err;
    }
  }

  private warnOnce(key: string, fields: object, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log.warn(fields, message);
  }
}
