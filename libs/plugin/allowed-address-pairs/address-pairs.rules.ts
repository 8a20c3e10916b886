import { NeutronError } from '../../api/errors/neutron-error.js';

export interface AddressPair {
  ip_address: string;
  mac_address: string;
}

/** _process_create_allowed_address_pairs: a pair without MAC takes the port's; (mac, ip) must be unique. */
export function addressPairsFor(requested: readonly Record<string, unknown>[], portMac: string): AddressPair[] {
  const pairs: AddressPair[] = [];
  for (const pair of requested) {
    const next = { ip_address: String(pair.ip_address), mac_address: String(pair.mac_address ?? portMac) };
    if (pairs.some((p) => p.ip_address === next.ip_address && p.mac_address === next.mac_address)) {
      throw new NeutronError(
        'DuplicateAddressPairInRequest',
        `Request contains duplicate address pair: mac_address ${next.mac_address} ip_address ${next.ip_address}.`,
        400,
      );
    }
    pairs.push(next);
  }
  return pairs;
}
