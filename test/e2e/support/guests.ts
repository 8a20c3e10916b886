/**
 * Guests for the linux-dataplane e2e files, plugged the way Nova/os-vif does: a veth pair with `tap<port[:11]>` in
 * the appliance's host namespace and `eth0` (the port's MAC) in the guest's own namespace.
 */
import { expect } from 'vitest';
import { testNamespaceName } from '../../../libs/dataplane/testing/dataplane-availability.js';
import { addVethPair, ensureNamespace, getLink, setLink } from '../../../libs/dataplane/index.js';
import { tapDevice } from '../../../libs/rpc/l2-agent.contract.js';
import { eventually } from './wait.js';

/** A new guest namespace (named from `prefix`) cabled to the port's tap in `hostNs`; both ends up. */
export async function plugGuest(hostNs: string, portId: string, mac: string, prefix: string): Promise<string> {
  const guest = testNamespaceName(prefix);
  await ensureNamespace(guest);
  await addVethPair(hostNs, tapDevice(portId), 'eth0', { peerNamespace: guest, peerAddress: mac });
  await setLink(hostNs, tapDevice(portId), { up: true });
  await setLink(guest, 'eth0', { up: true });
  return guest;
}

/** A new veth passes frames only once both ends report operstate UP (the kernel has activated their queues). */
export async function expectGuestLinkUp(hostNs: string, guest: string, portId: string): Promise<void> {
  const up = async () => (await getLink(guest, 'eth0'))?.operstate === 'UP' && (await getLink(hostNs, tapDevice(portId)))?.operstate === 'UP';
  expect(await eventually(up, (ok) => ok, 5_000), 'guest link operationally up').toBe(true);
}
