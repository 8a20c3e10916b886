/**
 * The L2 agent's decisions, pure: which devices to look at on a pass (Neutron's scan_devices) and what to do with
 * one device given the server's details (Neutron's _process_device_if_exists / treat_devices_removed).
 */
import type { DeviceDetails } from '../../../rpc/l2-agent.contract.js';
import type { DeviceWiring, L2Capabilities, NetworkSegment } from '../drivers/l2-driver.js';

export interface DeviceScan {
  /** present on the host now */
  current: Set<string>;
  /** to fetch details for and (re)wire: new, or updated by a notice, or everything on a full sync */
  addedOrUpdated: Set<string>;
  /** gone from the host since the last pass (plus, on a full sync, those whose removal failed before) */
  removed: Set<string>;
}

/**
 * Compares what the host has now with the last pass. A full sync (start, revival, a failed pass) looks at every
 * present device again and retries removals that did not finish.
 */
export function scanDevices(input: {
  previous: ReadonlySet<string>;
  current: ReadonlySet<string>;
  updated: ReadonlySet<string>;
  fullSync: boolean;
  unfinishedRemovals: ReadonlySet<string>;
}): DeviceScan {
  const { previous, current, updated, fullSync, unfinishedRemovals } = input;
  const addedOrUpdated = new Set<string>();
  for (const d of current) if (fullSync || !previous.has(d) || updated.has(d)) addedOrUpdated.add(d);
  const removed = new Set<string>();
  for (const d of previous) if (!current.has(d)) removed.add(d);
  if (fullSync) for (const d of unfinishedRemovals) if (!current.has(d)) removed.add(d);
  return { current: new Set(current), addedOrUpdated, removed };
}

/** What to do with one device: unplug its old wiring, plug the new one, then tell the server. */
export interface DevicePlan {
  unplug: DeviceWiring | null;
  plug: DeviceWiring | null;
  /** 'up' only once the plug succeeded; null = say nothing (the port is not ours to report). */
  report: 'up' | 'down' | null;
}

/**
 * Can this host carry the segment: a mapped physnet for flat/vlan, a configured tunnel type for overlays; `local`
 * needs nothing (a bridge without uplink), as the server's linuxbridge mechanism driver assumes.
 */
export function supportsSegment(segment: NetworkSegment, caps: L2Capabilities): boolean {
  switch (segment.network_type) {
    case 'local':
      return true;
    case 'flat':
      return segment.physical_network != null && segment.physical_network in caps.interfaceMappings;
    case 'vlan':
      return (
        segment.physical_network != null &&
        segment.physical_network in caps.interfaceMappings &&
        segment.segmentation_id != null
      );
    case 'vxlan':
    case 'geneve':
      return caps.tunnelTypes.includes(segment.network_type) && segment.segmentation_id != null;
    default:
      return false;
  }
}

function wiringOf(details: DeviceDetails): DeviceWiring {
  return {
    device: details.device,
    port_id: details.port_id!,
    network_id: details.network_id!,
    device_owner: details.device_owner ?? '',
    segment: {
      network_type: details.network_type ?? '',
      physical_network: details.physical_network ?? null,
      segmentation_id: details.segmentation_id ?? null,
      mtu: details.mtu ?? null,
    },
  };
}

const sameWiring = (a: DeviceWiring, b: DeviceWiring) =>
  a.network_id === b.network_id &&
  a.segment.network_type === b.segment.network_type &&
  a.segment.physical_network === b.segment.physical_network &&
  a.segment.segmentation_id === b.segment.segmentation_id;

/**
 * One present device, given the server's details and how it is wired now.
 * - unknown to the server or bound to another host (details without port_id): unwire, report nothing;
 * - admin_state_up false: unwire, report down;
 * - a segment this host cannot carry: unwire, report down;
 * - otherwise wire (re-plug is idempotent and repairs a bridge removed under it), report up.
 */
export function planDevice(details: DeviceDetails, wired: DeviceWiring | undefined, caps: L2Capabilities): DevicePlan {
  if (!details.port_id || !details.network_id) return { unplug: wired ?? null, plug: null, report: null };
  const desired = wiringOf(details);
  if (details.admin_state_up === false || !supportsSegment(desired.segment, caps)) {
    return { unplug: wired ?? null, plug: null, report: 'down' };
  }
  const unplug = wired && !sameWiring(wired, desired) ? wired : null;
  return { unplug, plug: desired, report: 'up' };
}

/** Splits a list into batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
