import { createHash } from 'node:crypto';

/** Linux limits interface names to 15 characters (IFNAMSIZ - 1). */
const DEVICE_NAME_MAX_LEN = 15;
/** Room kept for a VLAN suffix: '.' plus up to 4 digits. */
const MAX_VLAN_POSTFIX_LEN = 5;
const HASH_LEN = 6;

/** The bridge of a network: `brq` + the first 11 characters of its id. */
export const bridgeName = (networkId: string) => `brq${networkId.slice(0, 11)}`;

/** A VXLAN device: `vxlan-<vni>`. */
export const vxlanDevice = (vni: number) => `vxlan-${vni}`;

/** A GENEVE device (linuxbridge has none; named like the VXLAN one). */
export const geneveDevice = (vni: number) => `geneve-${vni}`;

/**
 * A VLAN sub-interface: `<iface>.<vid>`. An interface name too long for that keeps its start plus a hash of the
 * whole name, so two long names that share a prefix still get distinct devices.
 */
export function vlanDevice(physicalInterface: string, vlanId: number): string {
  const postfix = `.${vlanId}`;
  let base = physicalInterface;
  if (base.length + postfix.length > DEVICE_NAME_MAX_LEN) {
    const maxLen = DEVICE_NAME_MAX_LEN - MAX_VLAN_POSTFIX_LEN;
    if (base.length > maxLen) {
      const hash = createHash('sha1').update(base, 'utf8').digest('hex').slice(0, HASH_LEN);
      base = base.slice(0, maxLen - HASH_LEN) + hash;
    }
  }
  return `${base}${postfix}`;
}
