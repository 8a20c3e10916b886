import { createHash } from 'node:crypto';

/** RFC 4122 NAMESPACE_DNS, as Python's uuid.NAMESPACE_DNS. */
const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/** uuid.uuid5(namespace, name): SHA-1 of namespace bytes + name, version 5, RFC 4122 variant. */
export function uuid5(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * neutron.common.utils.get_dhcp_agent_device_id: `dhcp<uuid5(DNS, short host name)>-<network_id>`; the short name
 * makes `node1` and `node1.example.org` the same agent.
 */
export function dhcpDeviceId(networkId: string, host: string): string {
  return `dhcp${uuid5(NAMESPACE_DNS, host.split('.')[0])}-${networkId}`;
}
