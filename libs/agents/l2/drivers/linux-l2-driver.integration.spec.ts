/**
 * The linux L2 driver against the real kernel (root and `ip netns`; skipped loudly otherwise). Guests are plugged as
 * Nova/os-vif would: a veth pair, `tap<port[:11]>` in the host namespace and `eth0` in the guest's own namespace.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  addAddress,
  addBridge,
  addVethPair,
  addVxlan,
  deleteNamespace,
  ensureNamespace,
  execInNamespace,
  getLink,
  listLinks,
  namespaceExists,
  setLink,
} from '../../../dataplane/index.js';
import { kernelSupportsVlan, skipUnlessDataplane, testNamespaceName } from '../../../dataplane/testing/dataplane-availability.js';
import { plugNovaGuest } from '../../../dataplane/testing/nova-guest.js';
import { tapDevice } from '../../../rpc/l2-agent.contract.js';
import type { DeviceWiring, L2Capabilities, NetworkSegment } from './l2-driver.js';
import { bridgeName } from './linuxbridge-names.js';
import { LinuxL2Driver } from './linux-l2-driver.js';

const unavailable = await skipUnlessDataplane('libs/agents/l2/drivers/linux-l2-driver.integration.spec.ts');
const vlan = await kernelSupportsVlan();
if (!unavailable && !vlan) console.warn('SKIPPED the VLAN uplink test: this kernel has no 802.1Q (CONFIG_VLAN_8021Q)');

const caps: L2Capabilities = { interfaceMappings: { physnet1: 'eth1', physnet2: 'eth9' }, tunnelTypes: ['vxlan'] };
const VXLAN: NetworkSegment = { network_type: 'vxlan', physical_network: null, segmentation_id: 1001, mtu: 1450 };
const FLAT: NetworkSegment = { network_type: 'flat', physical_network: 'physnet1', segmentation_id: null, mtu: 1500 };

let hostNs: string;
let driver: LinuxL2Driver;
const namespaces: string[] = [];

/** A guest plugged like Nova does: returns its wiring for a port on `networkId`. */
async function plugGuest(networkId: string, segment: NetworkSegment, address?: string): Promise<DeviceWiring & { guest: string }> {
  const portId = randomUUID();
  const guest = testNamespaceName('g');
  namespaces.push(guest);
  await plugNovaGuest(hostNs, tapDevice(portId), guest, address);
  return { device: tapDevice(portId), port_id: portId, network_id: networkId, segment, device_owner: 'compute:nova', guest };
}

const ping = (ns: string, address: string, waitSeconds = 2) =>
  execInNamespace(ns, 'busybox', ['ping', '-c', '1', '-W', String(waitSeconds), address]);
const names = async () => (await listLinks(hostNs)).map((l) => l.name);

beforeEach(async () => {
  if (unavailable) return;
  hostNs = testNamespaceName('host');
  namespaces.push(hostNs);
  driver = new LinuxL2Driver({ namespace: hostNs, capabilities: caps });
});

afterEach(async () => {
  for (const ns of namespaces.splice(0)) await deleteNamespace(ns).catch((err: unknown) => console.error(`cleanup of ${ns}`, err));
});

afterAll(async () => {
  for (const ns of namespaces.splice(0)) await deleteNamespace(ns).catch(() => undefined);
});

describe.skipIf(unavailable)('LinuxL2Driver (root)', () => {
  it('creates the host namespace it owns on first use and lists only the tap devices in it', async () => {
    expect(await namespaceExists(hostNs)).toBe(false);
    expect(await driver.listDevices()).toEqual([]);
    expect(await namespaceExists(hostNs)).toBe(true);
    const g = await plugGuest(randomUUID(), VXLAN);
    await addBridge(hostNs, 'brsomething');
    expect(await driver.listDevices()).toEqual([g.device]);
  });

  it('plugs two guests into brq<net[:11]> with the vxlan uplink and MTU; they ping each other', async () => {
    await driver.listDevices();
    const net = randomUUID();
    const a = await plugGuest(net, VXLAN, '10.93.0.11/24');
    const b = await plugGuest(net, VXLAN, '10.93.0.12/24');
    expect(await driver.plugDevice(a)).toBe(true);
    expect(await driver.plugDevice(b)).toBe(true);
    expect(await driver.plugDevice(b)).toBe(true); // idempotent

    const bridge = bridgeName(net);
    expect(await getLink(hostNs, bridge)).toMatchObject({ kind: 'bridge', up: true });
    expect(await getLink(hostNs, a.device)).toMatchObject({ master: bridge, up: true, mtu: 1450 });
    expect(await getLink(hostNs, b.device)).toMatchObject({ master: bridge, up: true, mtu: 1450 });
    expect(await getLink(hostNs, 'vxlan-1001')).toMatchObject({ kind: 'vxlan', segmentId: 1001, master: bridge, up: true, mtu: 1450 });
    await ping(a.guest, '10.93.0.12');
  });

  it('guests on different networks are on different bridges and cannot reach each other', async () => {
    await driver.listDevices();
    const a = await plugGuest(randomUUID(), { ...VXLAN, segmentation_id: 2001 }, '10.94.0.11/24');
    const b = await plugGuest(randomUUID(), { ...VXLAN, segmentation_id: 2002 }, '10.94.0.12/24');
    expect(await driver.plugDevice(a)).toBe(true);
    expect(await driver.plugDevice(b)).toBe(true);
    expect((await getLink(hostNs, a.device))?.master).not.toBe((await getLink(hostNs, b.device))?.master);
    await expect(ping(a.guest, '10.94.0.12', 1)).rejects.toMatchObject({ stdout: expect.stringMatching(/0 packets received/) });
  });

  it('a flat network bridges the mapped interface: the guest reaches the physical network', async () => {
    const wire = testNamespaceName('wire');
    namespaces.push(wire);
    await ensureNamespace(wire);
    await ensureNamespace(hostNs);
    // eth1 stands for the NIC of physnet1; its peer is "the switch" with a router address on it
    await addVethPair(hostNs, 'eth1', 'uplink0', { peerNamespace: wire });
    await addAddress(wire, 'uplink0', '10.95.0.1/24');
    await setLink(wire, 'uplink0', { up: true });
    const net = randomUUID();
    const g = await plugGuest(net, FLAT, '10.95.0.20/24');
    expect(await driver.plugDevice(g)).toBe(true);
    expect(await getLink(hostNs, 'eth1')).toMatchObject({ master: bridgeName(net), up: true });
    await ping(g.guest, '10.95.0.1');

    await driver.removeNetwork(net);
    expect(await getLink(hostNs, bridgeName(net))).toBeNull();
    // the NIC is the host's, not the driver's: it stays
    expect(await getLink(hostNs, 'eth1')).toMatchObject({ master: null });
  });

  it.skipIf(!vlan)('a vlan network gets <iface>.<vid> on the mapped interface as its uplink', async () => {
    await ensureNamespace(hostNs);
    await addVethPair(hostNs, 'eth1', 'wire1');
    const net = randomUUID();
    const g = await plugGuest(net, { network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 101, mtu: 1500 });
    expect(await driver.plugDevice(g)).toBe(true);
    expect(await getLink(hostNs, 'eth1.101')).toMatchObject({ kind: 'vlan', segmentId: 101, parent: 'eth1', master: bridgeName(net) });
    await driver.removeNetwork(net);
    expect(await getLink(hostNs, 'eth1.101')).toBeNull();
  });

  it.runIf(!vlan)('without 802.1Q in the kernel, a vlan port is not wired (stays down) and leaves no bridge', async () => {
    await ensureNamespace(hostNs);
    await addVethPair(hostNs, 'eth1', 'wire1');
    const net = randomUUID();
    const g = await plugGuest(net, { network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 101, mtu: 1500 });
    expect(await driver.plugDevice(g)).toBe(false);
    expect(await getLink(hostNs, bridgeName(net))).toBeNull();
    expect((await getLink(hostNs, g.device))?.master).toBeNull();
  });

  it('a mapped interface missing from the namespace: flat ports are not wired, nothing is invented', async () => {
    await driver.listDevices();
    const net = randomUUID();
    const g = await plugGuest(net, { ...FLAT, physical_network: 'physnet2' });
    expect(await driver.plugDevice(g)).toBe(false);
    expect(await names()).not.toContain(bridgeName(net));
    expect(await names()).not.toContain('eth9');
  });

  it('a tap that is not there cannot be plugged', async () => {
    await driver.listDevices();
    const net = randomUUID();
    const missing: DeviceWiring = { device: tapDevice(randomUUID()), port_id: 'x', network_id: net, segment: VXLAN, device_owner: '' };
    expect(await driver.plugDevice(missing)).toBe(false);
    expect(await names()).not.toContain(bridgeName(net));
  });

  it('unplug takes the tap out of the bridge; removeNetwork deletes the bridge and its vxlan device, not the tap', async () => {
    await driver.listDevices();
    const net = randomUUID();
    const g = await plugGuest(net, VXLAN);
    await driver.plugDevice(g);
    await driver.unplugDevice(g);
    expect((await getLink(hostNs, g.device))?.master).toBeNull();
    expect(await names()).toContain(bridgeName(net));
    await driver.unplugDevice(g); // twice is fine

    await driver.plugDevice(g);
    await driver.removeNetwork(net);
    const left = await names();
    expect(left).not.toContain(bridgeName(net));
    expect(left).not.toContain('vxlan-1001');
    expect(left).toContain(g.device);
  });

  it('cleanup removes the bridges and uplinks it owns that no wired port needs, and nothing else', async () => {
    await ensureNamespace(hostNs);
    // left over from an earlier run, or from ports since deleted
    await addBridge(hostNs, 'brqstale00000');
    await addVxlan(hostNs, 'vxlan-77', 77);
    // not the driver's
    await addBridge(hostNs, 'br-user');
    await addVxlan(hostNs, 'vx-user', 78);
    await addVethPair(hostNs, 'eth1', 'wire1');
    const net = randomUUID();
    const kept = await plugGuest(net, VXLAN);
    expect(await driver.plugDevice(kept)).toBe(true);
    const gone = randomUUID();
    const unplugged = await plugGuest(gone, { ...VXLAN, segmentation_id: 1002 });
    await driver.plugDevice(unplugged);
    await driver.unplugDevice(unplugged);

    await driver.cleanup();
    const left = await names();
    expect(left).toEqual(expect.arrayContaining([bridgeName(net), 'vxlan-1001', 'br-user', 'vx-user', 'eth1', kept.device, unplugged.device]));
    expect(left).not.toContain('brqstale00000');
    expect(left).not.toContain('vxlan-77');
    expect(left).not.toContain(bridgeName(gone));
    expect(left).not.toContain('vxlan-1002');
    expect(await getLink(hostNs, kept.device)).toMatchObject({ master: bridgeName(net) });
  });

  it('release (cleanup_on_stop) removes its bridges and vxlan devices, keeps the taps, and the namespace while taps are in it', async () => {
    driver = new LinuxL2Driver({ namespace: hostNs, capabilities: caps, cleanupOnStop: true });
    await driver.listDevices();
    const g = await plugGuest(randomUUID(), VXLAN);
    expect(await driver.plugDevice(g)).toBe(true);
    await addBridge(hostNs, 'br-not-ours');
    await driver.release();
    expect((await names()).sort()).toEqual(['br-not-ours', g.device, 'lo'].sort());

    // Once the hypervisor took its taps, a released driver that made the namespace removes it too.
    const again = new LinuxL2Driver({ namespace: testNamespaceName('host'), capabilities: caps, cleanupOnStop: true });
    namespaces.push(again.namespace);
    await again.listDevices();
    expect(await namespaceExists(again.namespace)).toBe(true);
    await again.release();
    expect(await namespaceExists(again.namespace)).toBe(false);
  });

  it('without cleanup_on_stop, release leaves the wiring for the next start', async () => {
    await driver.listDevices();
    const g = await plugGuest(randomUUID(), VXLAN);
    expect(await driver.plugDevice(g)).toBe(true);
    await driver.release();
    expect(await names()).toContain(bridgeName(g.network_id));
  });

  it('a host namespace deleted under it is made again', async () => {
    await driver.listDevices();
    await deleteNamespace(hostNs);
    expect(await driver.listDevices()).toEqual([]);
    expect(await namespaceExists(hostNs)).toBe(true);
  });

  it('destroy removes the namespace and everything in it', async () => {
    await driver.listDevices();
    const g = await plugGuest(randomUUID(), VXLAN);
    await driver.plugDevice(g);
    await driver.destroy();
    expect(await namespaceExists(hostNs)).toBe(false);
    // the guest's end goes with its peer (the kernel tears a namespace down in the background)
    await vi.waitFor(async () => expect(await getLink(g.guest, 'eth0')).toBeNull());
  });
});
