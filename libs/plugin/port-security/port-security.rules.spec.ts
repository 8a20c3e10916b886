import { describe, expect, it } from 'vitest';
import { checkPortSecurityUpdate, groupsForNewPort } from './port-security.rules.js';

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
