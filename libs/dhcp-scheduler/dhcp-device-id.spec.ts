import { describe, expect, it } from 'vitest';
import { dhcpDeviceId, uuid5 } from './dhcp-device-id.js';

describe('DHCP port device_id', () => {
  it('is uuid5 as Python computes it (values from python3 uuid.uuid5(uuid.NAMESPACE_DNS, …))', () => {
    expect(uuid5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'host1')).toBe('540ba512-ba2e-5213-b381-56c767787d41');
    expect(uuid5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'node-a')).toBe('bb697ef2-705e-5b37-8072-0b0db4f4d088');
  });

  it('uses only the short host name, as Neutron forms it', () => {
    const net = '3b0e1a5c-0000-4000-8000-000000000001';
    expect(dhcpDeviceId(net, 'host1')).toBe(`dhcp540ba512-ba2e-5213-b381-56c767787d41-${net}`);
    expect(dhcpDeviceId(net, 'host1.example.org')).toBe(dhcpDeviceId(net, 'host1'));
  });
});
