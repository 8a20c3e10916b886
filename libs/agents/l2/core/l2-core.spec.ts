import { describe, expect, it } from 'vitest';
import type { DeviceDetails } from '../../../rpc/l2-agent.contract.js';
import { batches, planDevice, scanDevices, supportsSegment } from './l2-core.js';
import type { DeviceWiring, L2Capabilities } from '../drivers/l2-driver.js';

const caps: L2Capabilities = { interfaceMappings: { physnet1: 'eth1' }, tunnelTypes: ['vxlan'] };
const set = (...xs: string[]) => new Set(xs);

const vxlanDetails = (over: Partial<DeviceDetails> = {}): DeviceDetails => ({
  device: 'tapaaaaaaaa-aa',
  port_id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  network_id: 'net-1',
  admin_state_up: true,
  network_type: 'vxlan',
  segmentation_id: 1001,
  physical_network: null,
  mtu: 1450,
  device_owner: 'compute:nova',
  ...over,
});

const wiredOn = (networkId: string, vni: number): DeviceWiring => ({
  device: 'tapaaaaaaaa-aa',
  port_id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  network_id: networkId,
  device_owner: 'compute:nova',
  segment: { network_type: 'vxlan', physical_network: null, segmentation_id: vni, mtu: 1450 },
});

describe('scanDevices', () => {
  it('looks at new and notified devices, and finds the ones that left', () => {
    const scan = scanDevices({
      previous: set('a', 'b', 'c'),
      current: set('b', 'c', 'd'),
      updated: set('c', 'zz'),
      fullSync: false,
      unfinishedRemovals: set('old'),
    });
    expect([...scan.addedOrUpdated].sort()).toEqual(['c', 'd']);
    expect([...scan.removed]).toEqual(['a']);
  });

  it('a full sync looks at every present device and retries unfinished removals', () => {
    const scan = scanDevices({
      previous: set('a', 'b'),
      current: set('b', 'c'),
      updated: set(),
      fullSync: true,
      unfinishedRemovals: set('old', 'c'),
    });
    expect([...scan.addedOrUpdated].sort()).toEqual(['b', 'c']);
    expect([...scan.removed].sort()).toEqual(['a', 'old']);
  });
});

describe('supportsSegment', () => {
  it('needs a mapped physnet for flat/vlan and a configured tunnel type for overlays', () => {
    const seg = (network_type: string, physical_network: string | null, segmentation_id: number | null) => ({
      network_type,
      physical_network,
      segmentation_id,
      mtu: null,
    });
    expect(supportsSegment(seg('flat', 'physnet1', null), caps)).toBe(true);
    expect(supportsSegment(seg('flat', 'physnet9', null), caps)).toBe(false);
    expect(supportsSegment(seg('vlan', 'physnet1', 101), caps)).toBe(true);
    expect(supportsSegment(seg('vxlan', null, 5), caps)).toBe(true);
    expect(supportsSegment(seg('geneve', null, 5), caps)).toBe(false);
    expect(supportsSegment(seg('local', null, null), caps)).toBe(true);
    expect(supportsSegment(seg('gre', null, 5), caps)).toBe(false);
  });
});

describe('planDevice', () => {
  it('wires an enabled port and reports it up', () => {
    const plan = planDevice(vxlanDetails(), undefined, caps);
    expect(plan).toEqual({ unplug: null, plug: wiredOn('net-1', 1001), report: 'up' });
  });

  it('keeps a device on its network without unplugging it first', () => {
    const plan = planDevice(vxlanDetails(), wiredOn('net-1', 1001), caps);
    expect(plan.unplug).toBeNull();
    expect(plan.report).toBe('up');
  });

  it('moves a device whose segment changed', () => {
    const old = wiredOn('net-1', 1000);
    const plan = planDevice(vxlanDetails(), old, caps);
    expect(plan.unplug).toBe(old);
    expect(plan.plug?.segment.segmentation_id).toBe(1001);
  });

  it('unwires a disabled port and reports it down', () => {
    const old = wiredOn('net-1', 1001);
    expect(planDevice(vxlanDetails({ admin_state_up: false }), old, caps)).toEqual({
      unplug: old,
      plug: null,
      report: 'down',
    });
  });

  it('reports down a port on a segment this host cannot carry', () => {
    const plan = planDevice(vxlanDetails({ network_type: 'vlan', physical_network: 'physnet9' }), undefined, caps);
    expect(plan).toEqual({ unplug: null, plug: null, report: 'down' });
  });

  it('unwires, silently, a device the server does not bind here', () => {
    const old = wiredOn('net-1', 1001);
    expect(planDevice({ device: 'tapaaaaaaaa-aa' }, old, caps)).toEqual({ unplug: old, plug: null, report: null });
  });
});

describe('batches', () => {
  it('splits in order, the last one short', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 2)).toEqual([]);
  });
});
