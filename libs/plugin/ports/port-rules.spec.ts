import { describe, expect, it } from 'vitest';
import { addressesKeptOnMacChange } from './port-rules.js';

describe('addressesKeptOnMacChange', () => {
  it('drops the SLAAC addresses of the old MAC and keeps every other address', () => {
    const ips = [
      { subnet_id: 'v4', ip_address: '10.0.0.2' },
      { subnet_id: 'slaac', ip_address: '2001:db8::f816:3eff:fe11:2233' },
      { subnet_id: 'stateful', ip_address: '2001:db8:1::5' },
    ];
    expect(addressesKeptOnMacChange(ips, 'fa:16:3e:11:22:33')).toEqual([ips[0], ips[2]]);
    expect(addressesKeptOnMacChange(ips, 'fa:16:3e:11:22:44')).toEqual(ips);
  });
});
