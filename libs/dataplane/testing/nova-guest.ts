import { addAddress } from '../addresses.js';
import { addVethPair, setLink } from '../links.js';
import { ensureNamespace } from '../netns.js';

/**
 * Plugs a guest as Nova/os-vif does: a veth pair with `tap` in `hostNs` and `eth0` (up, with `address` if given) in the
 * guest's own namespace `guest`, created here.
 */
export async function plugNovaGuest(hostNs: string, tap: string, guest: string, address?: string): Promise<void> {
  await ensureNamespace(guest);
  await addVethPair(hostNs, tap, 'eth0', { peerNamespace: guest });
  await setLink(guest, 'eth0', { up: true });
  if (address) await addAddress(guest, 'eth0', address);
}
