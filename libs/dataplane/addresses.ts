import { ip, ipJson, type Namespace } from './ip.js';
import { assertInterfaceName } from './names.js';

export interface Address {
  family: 'inet' | 'inet6';
  /** '10.0.0.2/24' */
  cidr: string;
}

const CIDR = /^[0-9a-fA-F:.]+\/\d{1,3}$/;

/** Adds an address (`10.0.0.2/24`) to a device; `replace` makes it idempotent. */
export async function addAddress(namespace: Namespace, device: string, cidr: string): Promise<void> {
  if (!CIDR.test(cidr)) throw new Error(`invalid address ${JSON.stringify(cidr)}: expected address/prefix`);
  await ip(namespace, ['address', 'replace', cidr, 'dev', assertInterfaceName(device)]);
}

export async function listAddresses(namespace: Namespace, device: string): Promise<Address[]> {
  const rows = await ipJson<{ addr_info?: { family: 'inet' | 'inet6'; local: string; prefixlen: number }[] }>(namespace, [
    'address', 'show', 'dev', assertInterfaceName(device),
  ]);
  return rows.flatMap((r) => r.addr_info ?? []).map((a) => ({ family: a.family, cidr: `${a.local}/${a.prefixlen}` }));
}
