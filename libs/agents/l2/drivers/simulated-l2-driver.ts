import type { DeviceWiring, L2Capabilities, L2Driver, NetworkSegment } from './l2-driver.js';
import { bridgeName, geneveDevice, vlanDevice, vxlanDevice } from './linuxbridge-names.js';

export interface SimulatedBridge {
  name: string;
  network_id: string;
  /** `eth1` (flat), `eth1.101` (vlan), `vxlan-1001`; null for a local network */
  uplink: string | null;
  ports: string[];
}

/**
 * A host without a hypervisor or privileges: a tap "exists" while the server says its port is bound here, and
 * bridges are kept in memory with the names the linux driver would give them. Nothing forwards packets.
 */
export class SimulatedL2Driver implements L2Driver {
  readonly name = 'simulated' as const;
  private readonly present = new Set<string>();
  private readonly bridges = new Map<string, { uplink: string | null; ports: Set<string> }>();
  /** device → the network whose bridge holds it */
  private readonly attachedTo = new Map<string, string>();

  constructor(private readonly caps: L2Capabilities) {}

  async listDevices(): Promise<string[]> {
    return [...this.present];
  }

  async plugDevice(wiring: DeviceWiring): Promise<boolean> {
    if (!this.present.has(wiring.device)) return false;
    const uplink = this.uplinkFor(wiring.segment);
    if (uplink === undefined) return false;
    let bridge = this.bridges.get(wiring.network_id);
    if (!bridge) {
      bridge = { uplink, ports: new Set() };
      this.bridges.set(wiring.network_id, bridge);
    }
    bridge.uplink = uplink;
    this.detach(wiring.device);
    bridge.ports.add(wiring.device);
    this.attachedTo.set(wiring.device, wiring.network_id);
    return true;
  }

  async unplugDevice(wiring: DeviceWiring): Promise<void> {
    this.detach(wiring.device);
  }

  async removeNetwork(networkId: string): Promise<void> {
    const bridge = this.bridges.get(networkId);
    if (!bridge) return;
    for (const device of bridge.ports) this.attachedTo.delete(device);
    this.bridges.delete(networkId);
  }

  async cleanup(): Promise<void> {
    for (const [networkId, bridge] of this.bridges) if (bridge.ports.size === 0) this.bridges.delete(networkId);
  }

  deviceBound(device: string): void {
    this.present.add(device);
  }

  deviceGone(device: string): void {
    this.present.delete(device);
  }

  devicesBound(devices: readonly string[]): void {
    const bound = new Set(devices);
    for (const d of this.present) if (!bound.has(d)) this.present.delete(d);
    for (const d of bound) this.present.add(d);
  }

  /** The wiring as it stands: what a `linux` driver would show with `ip link` / `bridge link`. */
  bridgesNow(): SimulatedBridge[] {
    return [...this.bridges].map(([network_id, b]) => ({
      name: bridgeName(network_id),
      network_id,
      uplink: b.uplink,
      ports: [...b.ports].sort(),
    }));
  }

  private detach(device: string): void {
    const networkId = this.attachedTo.get(device);
    if (networkId === undefined) return;
    this.bridges.get(networkId)?.ports.delete(device);
    this.attachedTo.delete(device);
  }

  /** The bridge's uplink device; null: none needed (local); undefined: this host has no way to the segment. */
  private uplinkFor(segment: NetworkSegment): string | null | undefined {
    const iface = segment.physical_network == null ? undefined : this.caps.interfaceMappings[segment.physical_network];
    const vni = segment.segmentation_id;
    switch (segment.network_type) {
      case 'local':
        return null;
      case 'flat':
        return iface;
      case 'vlan':
        return iface && vni != null ? vlanDevice(iface, vni) : undefined;
      case 'vxlan':
        return vni != null && this.caps.tunnelTypes.includes('vxlan') ? vxlanDevice(vni) : undefined;
      case 'geneve':
        return vni != null && this.caps.tunnelTypes.includes('geneve') ? geneveDevice(vni) : undefined;
      default:
        return undefined;
    }
  }
}
