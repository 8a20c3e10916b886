import { describe, expect, it } from 'vitest';
import { addressesKeptOnMacChange, addressPairsFor, checkPortSecurityUpdate, dhcpOptsForCreate, groupsForNewPort, mergeDhcpOpts } from './port-rules.js';

const base = { portSecurity: true, trusted: false, requested: undefined, addressPairs: undefined, defaultGroup: 'default-sg' };

describe('groupsForNewPort', () => {
  it('gives the default group when none is asked for, nothing for [] and the asked ones otherwise', () => {
    expect(groupsForNewPort(base)).toEqual(['default-sg']);
    expect(groupsForNewPort({ ...base, requested: [] })).toEqual([]);
    expect(groupsForNewPort({ ...base, requested: ['web'] })).toEqual(['web']);
  });

  it('gives network:* ports and ports without port security no group', () => {
    expect(groupsForNewPort({ ...base, trusted: true, portSecurity: false })).toEqual([]);
    expect(groupsForNewPort({ ...base, portSecurity: false })).toEqual([]);
    expect(groupsForNewPort({ ...base, portSecurity: false, requested: [] })).toEqual([]);
  });

  it('refuses groups or address pairs without port security, with Neutron errors', () => {
    expect(() => groupsForNewPort({ ...base, portSecurity: false, requested: ['web'] })).toThrow(
      expect.objectContaining({ type: 'PortSecurityAndIPRequiredForSecurityGroups', status: 400 }),
    );
    expect(() => groupsForNewPort({ ...base, portSecurity: false, addressPairs: [{ ip_address: '10.0.0.9' }] })).toThrow(
      expect.objectContaining({ type: 'AddressPairAndPortSecurityRequired', status: 409 }),
    );
  });
});

describe('checkPortSecurityUpdate', () => {
  const off = { portSecurity: false, hasPairs: false, hasGroups: false };
  it('lets a port keep or get anything while port security is on', () => {
    expect(() => checkPortSecurityUpdate({ ...off, portSecurity: true, hasGroups: true, changes: { security_groups: ['a'] } })).not.toThrow();
  });

  it('refuses to disable port security while groups stay attached, unless the same request removes them', () => {
    expect(() => checkPortSecurityUpdate({ ...off, hasGroups: true, changes: { port_security_enabled: false } })).toThrow(
      expect.objectContaining({ type: 'PortSecurityPortHasSecurityGroup', status: 409 }),
    );
    expect(() => checkPortSecurityUpdate({ ...off, hasGroups: true, changes: { port_security_enabled: false, security_groups: [] } })).not.toThrow();
  });

  it('refuses existing or new address pairs and new groups without port security', () => {
    expect(() => checkPortSecurityUpdate({ ...off, hasPairs: true, changes: {} })).toThrow(
      expect.objectContaining({ type: 'AddressPairAndPortSecurityRequired' }),
    );
    expect(() => checkPortSecurityUpdate({ ...off, hasPairs: true, changes: { allowed_address_pairs: [] } })).not.toThrow();
    expect(() => checkPortSecurityUpdate({ ...off, changes: { security_groups: ['web'] } })).toThrow(
      expect.objectContaining({ type: 'PortSecurityAndIPRequiredForSecurityGroups' }),
    );
  });
});

describe('addressPairsFor', () => {
  it('fills the port MAC in and refuses a pair that repeats another once filled in', () => {
    expect(addressPairsFor([{ ip_address: '10.0.0.99' }], 'fa:16:3e:00:00:01')).toEqual([
      { ip_address: '10.0.0.99', mac_address: 'fa:16:3e:00:00:01' },
    ]);
    expect(() =>
      addressPairsFor([{ ip_address: '10.0.0.99' }, { ip_address: '10.0.0.99', mac_address: 'fa:16:3e:00:00:01' }], 'fa:16:3e:00:00:01'),
    ).toThrow(
      expect.objectContaining({
        type: 'DuplicateAddressPairInRequest',
        message: 'Request contains duplicate address pair: mac_address fa:16:3e:00:00:01 ip_address 10.0.0.99.',
      }),
    );
  });
});

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
