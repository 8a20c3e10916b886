import { describe, expect, it } from 'vitest';
import { dhcpOptsForCreate, mergeDhcpOpts } from './extra-dhcp-opts.rules.js';

describe('extra DHCP options', () => {
  it('stores options with a value (blank-able ones even when empty), IPv4 by default', () => {
    expect(
      dhcpOptsForCreate([
        { opt_name: 'tftp-server', opt_value: '10.0.0.5' },
        { opt_name: 'router', opt_value: '' },
        { opt_name: 'bootfile-name', opt_value: null },
        { opt_name: 'dns-server', opt_value: '2001:db8::1', ip_version: 6 },
      ]),
    ).toEqual([
      { opt_name: 'tftp-server', opt_value: '10.0.0.5', ip_version: 4 },
      { opt_name: 'router', opt_value: '', ip_version: 4 },
      { opt_name: 'dns-server', opt_value: '2001:db8::1', ip_version: 6 },
    ]);
  });

  it('merges an update by (opt_name, ip_version): changes, deletes with null, appends new ones', () => {
    const existing = [
      { opt_name: 'tftp-server', opt_value: '10.0.0.5', ip_version: 4 },
      { opt_name: 'bootfile-name', opt_value: 'pxelinux.0', ip_version: 4 },
      { opt_name: 'tftp-server', opt_value: '2001:db8::5', ip_version: 6 },
    ];
    expect(
      mergeDhcpOpts(existing, [
        { opt_name: 'tftp-server', opt_value: '10.0.0.6' },
        { opt_name: 'bootfile-name', opt_value: null },
        { opt_name: 'server-ip-address', opt_value: '10.0.0.7', ip_version: 4 },
      ]),
    ).toEqual([
      { opt_name: 'tftp-server', opt_value: '10.0.0.6', ip_version: 4 },
      { opt_name: 'tftp-server', opt_value: '2001:db8::5', ip_version: 6 },
      { opt_name: 'server-ip-address', opt_value: '10.0.0.7', ip_version: 4 },
    ]);
  });
});
