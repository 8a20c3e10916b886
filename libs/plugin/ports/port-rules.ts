/** The pure decisions of Neutron's port code that are about ports themselves: trusted owners and MAC-derived addresses. */
import { inetPton6 } from '../../api/validators/index.js';

/** net.is_port_trusted: DHCP, router and other `network:*` ports get no port security and no groups. */
export function isTrusted(deviceOwner: string): boolean {
  return deviceOwner.startsWith('network:');
}

/** The EUI-64 interface identifier of a MAC: U/L bit flipped, ff:fe in the middle. */
export function eui64InterfaceId(mac: string): bigint {
  const bytes = mac.split(':').map((h) => parseInt(h, 16));
  bytes[0] ^= 0x02;
  return [...bytes.slice(0, 3), 0xff, 0xfe, ...bytes.slice(3)].reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

/**
 * A MAC change re-requests the port's addresses without those derived from the old MAC (update_port_with_ips), so
 * the SLAAC ones are derived again from the new MAC.
 */
export function addressesKeptOnMacChange<T extends { ip_address: string }>(fixedIps: readonly T[], oldMac: string): T[] {
  const old = eui64InterfaceId(oldMac);
  return fixedIps.filter((ip) => {
    const value = inetPton6(ip.ip_address);
    return value === undefined || (value & ((1n << 64n) - 1n)) !== old;
  });
}
