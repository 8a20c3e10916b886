/**
 * The edge of the L2 agent: what a dataplane driver does to a host. The agent's loop (l2-agent.ts) decides, the
 * driver applies. `simulated` keeps the wiring in memory; a `linux` driver (later) plugs real tap devices into
 * real bridges, with the same names (linuxbridge-names.ts).
 */

/** The segment a port's network is wired through on this host. */
export interface NetworkSegment {
  network_type: string;
  physical_network: string | null;
  segmentation_id: number | null;
  mtu: number | null;
}

/** One device wired into its network's bridge. */
export interface DeviceWiring {
  device: string;
  port_id: string;
  network_id: string;
  segment: NetworkSegment;
  device_owner: string;
}

/** What the agent can wire, from config agents.l2 (reported to the server as configurations). */
export interface L2Capabilities {
  /** physnet → host interface, for flat and vlan segments. */
  interfaceMappings: Record<string, string>;
  /** overlay types this host terminates (vxlan, geneve). */
  tunnelTypes: readonly string[];
}

export interface L2Driver {
  readonly name: 'simulated' | 'linux';
  /** The tap devices present on this host now (a linux driver: `tap…` links; simulated: ports bound here). */
  listDevices(): Promise<string[]>;
  /**
   * Ensures the network's bridge `brq<net[:11]>`, its uplink (`<iface>` for flat, `<iface>.<vid>` for vlan,
   * `vxlan-<vni>`) and the tap in it. Idempotent. false: the device cannot be wired here (gone, no uplink).
   */
  plugDevice(wiring: DeviceWiring): Promise<boolean>;
  /** Takes the device out of its bridge (the device itself belongs to the hypervisor and stays). */
  unplugDevice(wiring: DeviceWiring): Promise<void>;
  /** Deletes the network's bridge and the uplink only it used. */
  removeNetwork(networkId: string): Promise<void>;
  /** Removes bridges and uplinks no wired device uses any more (after a full resync). */
  cleanup(): Promise<void>;
  /** The agent stops: a linux driver removes what it made (dataplane.cleanup_on_stop); taps are the hypervisor's. */
  release?(): Promise<void>;
  /**
   * Calls `onChange` soon after a tap appears or goes (a linux driver watches link events), so a plugged guest is
   * wired at once instead of at the next poll; with the tap's name when it was deleted (a tap made again under the
   * same name before the next pass, as a rebuilt router's or a hard-rebooted guest's, is not in any bridge).
   * Returns the function that stops watching.
   */
  watchDevices?(onChange: (deleted?: string) => void): () => void;
  /**
   * Only a host without a hypervisor (simulated) implements these: the server's word stands in for libvirt
   * creating or destroying the tap. `bound`: the ports the server says are bound here (a resync), which become
   * exactly the devices present.
   */
  deviceBound?(device: string): void;
  deviceGone?(device: string): void;
  devicesBound?(devices: readonly string[]): void;
}
