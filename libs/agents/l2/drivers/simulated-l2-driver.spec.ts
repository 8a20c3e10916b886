import { describe, expect, it } from 'vitest';
import type { DeviceWiring } from './l2-driver.js';
import { bridgeName, vlanDevice } from './linuxbridge-names.js';
import { SimulatedL2Driver } from './simulated-l2-driver.js';

const NET_A = '11111111-2222-4333-8444-555555555555';
const NET_B = '99999999-2222-4333-8444-555555555555';

const wiring = (device: string, network_id: string, segment: Partial<DeviceWiring['segment']>): DeviceWiring => ({
  device,
  port_id: `${device}-port`,
  network_id,
  device_owner: 'compute:nova',
  segment: { network_type: 'vxlan', physical_network: null, segmentation_id: 1001, mtu: 1450, ...segment },
});

const newDriver = () =>
  new SimulatedL2Driver({ interfaceMappings: { physnet1: 'eth1', public: 'eth2' }, tunnelTypes: ['vxlan'] });

describe('linuxbridge names', () => {
  it('bridge is brq + 11 characters of the network id', () => {
    expect(bridgeName(NET_A)).toBe('brq11111111-22');
  });

  it('VLAN sub-interfaces fit in 15 characters, long names hashed apart', () => {
    expect(vlanDevice('eth1', 101)).toBe('eth1.101');
    const a = vlanDevice('enp0s31f6-long-a', 4094);
    const b = vlanDevice('enp0s31f6-long-b', 4094);
    expect(a.length).toBeLessThanOrEqual(15);
    expect(a).not.toBe(b);
    expect(a.startsWith('enp0')).toBe(true);
  });
});

describe('SimulatedL2Driver', () => {
  it('a device exists only once the server binds it here', async () => {
    const driver = newDriver();
    expect(await driver.plugDevice(wiring('tap1', NET_A, {}))).toBe(false);
    driver.deviceBound('tap1');
    expect(await driver.listDevices()).toEqual(['tap1']);
    driver.deviceGone('tap1');
    expect(await driver.listDevices()).toEqual([]);
  });

  it('wires flat, vlan, vxlan and local segments through the uplinks linuxbridge would use', async () => {
    const driver = newDriver();
    for (const d of ['tap1', 'tap2', 'tap3', 'tap4']) driver.deviceBound(d);
    expect(await driver.plugDevice(wiring('tap1', NET_A, { network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 101 }))).toBe(true);
    expect(await driver.plugDevice(wiring('tap2', NET_B, { network_type: 'flat', physical_network: 'public', segmentation_id: null }))).toBe(true);
    expect(await driver.plugDevice(wiring('tap3', 'net-c', { segmentation_id: 77 }))).toBe(true);
    expect(await driver.plugDevice(wiring('tap4', 'net-d', { network_type: 'local', segmentation_id: null }))).toBe(true);
    expect(driver.bridgesNow()).toEqual([
      { name: bridgeName(NET_A), network_id: NET_A, uplink: 'eth1.101', ports: ['tap1'] },
      { name: bridgeName(NET_B), network_id: NET_B, uplink: 'eth2', ports: ['tap2'] },
      { name: 'brqnet-c', network_id: 'net-c', uplink: 'vxlan-77', ports: ['tap3'] },
      { name: 'brqnet-d', network_id: 'net-d', uplink: null, ports: ['tap4'] },
    ]);
  });

  it('refuses a segment without an uplink on this host', async () => {
    const driver = newDriver();
    driver.deviceBound('tap1');
    expect(await driver.plugDevice(wiring('tap1', NET_A, { network_type: 'vlan', physical_network: 'nowhere', segmentation_id: 5 }))).toBe(false);
    expect(await driver.plugDevice(wiring('tap1', NET_A, { network_type: 'geneve' }))).toBe(false);
    expect(driver.bridgesNow()).toEqual([]);
  });

  it('moving a device to another network takes it out of the old bridge', async () => {
    const driver = newDriver();
    driver.deviceBound('tap1');
    await driver.plugDevice(wiring('tap1', NET_A, {}));
    await driver.plugDevice(wiring('tap1', NET_B, { segmentation_id: 2002 }));
    expect(driver.bridgesNow().map((b) => [b.network_id, b.ports])).toEqual([
      [NET_A, []],
      [NET_B, ['tap1']],
    ]);
    await driver.cleanup();
    expect(driver.bridgesNow().map((b) => b.network_id)).toEqual([NET_B]);
  });

  it('unplug and removeNetwork empty and delete bridges; a resync replaces the device set', async () => {
    const driver = newDriver();
    driver.devicesBound(['tap1', 'tap2']);
    await driver.plugDevice(wiring('tap1', NET_A, {}));
    await driver.plugDevice(wiring('tap2', NET_A, {}));
    await driver.unplugDevice(wiring('tap1', NET_A, {}));
    expect(driver.bridgesNow()[0].ports).toEqual(['tap2']);
    await driver.removeNetwork(NET_A);
    expect(driver.bridgesNow()).toEqual([]);
    driver.devicesBound(['tap2', 'tap9']);
    expect((await driver.listDevices()).sort()).toEqual(['tap2', 'tap9']);
  });
});
