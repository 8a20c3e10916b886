import { describe, expect, it } from 'vitest';
import type { PortChange } from './nova-events.js';
import { isComputePort, isUuidLike, novaEventsFor } from './nova-events.js';

const SERVER = '0b5c6a33-8e6f-4f7c-9a49-3f4b1c2d7e10';
const PORT = 'c2c8c2a5-7e8b-4a55-8a0b-6f5f6d5c4b3a';

function change(over: Partial<PortChange>): PortChange {
  return { port_id: PORT, device_id: SERVER, device_owner: 'compute:nova', status_after: 'DOWN', ...over };
}

describe('isUuidLike (oslo_utils.uuidutils.is_uuid_like)', () => {
  it.each([SERVER, SERVER.toUpperCase(), SERVER.replaceAll('-', ''), `{${SERVER}}`, `urn:uuid:${SERVER}`])(
    'accepts %s',
    (v) => expect(isUuidLike(v)).toBe(true),
  );
  it.each(['', 'dhcp1234-abcd', `${SERVER}0`, SERVER.slice(1), ` ${SERVER}`, SERVER.replace('0', 'g'), 'reserved_dhcp_port'])(
    'rejects %j',
    (v) => expect(isUuidLike(v)).toBe(false),
  );
});

describe('isComputePort', () => {
  it('needs a compute: owner and a UUID device id', () => {
    expect(isComputePort({ device_id: SERVER, device_owner: 'compute:nova' })).toBe(true);
    expect(isComputePort({ device_id: SERVER, device_owner: 'compute:az1' })).toBe(true);
    expect(isComputePort({ device_id: SERVER, device_owner: 'network:dhcp' })).toBe(false);
    expect(isComputePort({ device_id: SERVER, device_owner: '' })).toBe(false);
    expect(isComputePort({ device_id: 'vm-1', device_owner: 'compute:nova' })).toBe(false);
    expect(isComputePort({ device_id: '', device_owner: 'compute:nova' })).toBe(false);
  });
});

describe('novaEventsFor', () => {
  const plugged = { name: 'network-vif-plugged', server_uuid: SERVER, tag: PORT };

  it.each([undefined, 'DOWN', 'BUILD'])('%s → ACTIVE is vif-plugged/completed', (before) => {
    expect(novaEventsFor(change({ status_before: before, status_after: 'ACTIVE' }))).toEqual([
      { ...plugged, status: 'completed' },
    ]);
  });

  it.each([undefined, 'DOWN', 'BUILD'])('%s → ERROR is vif-plugged/failed', (before) => {
    expect(novaEventsFor(change({ status_before: before, status_after: 'ERROR' }))).toEqual([
      { ...plugged, status: 'failed' },
    ]);
  });

  it('ACTIVE → DOWN is vif-unplugged/completed', () => {
    expect(novaEventsFor(change({ status_before: 'ACTIVE', status_after: 'DOWN' }))).toEqual([
      { name: 'network-vif-unplugged', server_uuid: SERVER, tag: PORT, status: 'completed' },
    ]);
  });

  it.each([
    ['DOWN', 'BUILD'],
    ['BUILD', 'DOWN'],
    ['ACTIVE', 'BUILD'],
    ['ACTIVE', 'ERROR'],
    ['ERROR', 'ACTIVE'],
    ['ACTIVE', 'ACTIVE'],
    ['DOWN', 'DOWN'],
    [undefined, 'DOWN'],
  ])('%s → %s says nothing', (before, after) => {
    expect(novaEventsFor(change({ status_before: before, status_after: after }))).toEqual([]);
  });

  it('a deleted port is vif-deleted without status, whatever its status was', () => {
    expect(novaEventsFor(change({ status_before: 'ACTIVE', status_after: 'ACTIVE', deleted: true, data_changed: true }))).toEqual([
      { name: 'network-vif-deleted', server_uuid: SERVER, tag: PORT },
    ]);
  });

  it('an update of other attributes is network-changed without status', () => {
    expect(novaEventsFor(change({ status_before: 'ACTIVE', status_after: 'ACTIVE', data_changed: true }))).toEqual([
      { name: 'network-changed', server_uuid: SERVER, tag: PORT },
    ]);
  });

  it('a status change and a data change give the status event first, then network-changed', () => {
    expect(
      novaEventsFor(change({ status_before: 'ACTIVE', status_after: 'DOWN', data_changed: true })).map((e) => e.name),
    ).toEqual(['network-vif-unplugged', 'network-changed']);
  });

  it('a new port never gets network-changed (Neutron does not notify create_port)', () => {
    expect(novaEventsFor(change({ status_after: 'DOWN', data_changed: true }))).toEqual([]);
  });

  it('ports Nova does not own give nothing', () => {
    const active = { status_before: 'DOWN', status_after: 'ACTIVE', data_changed: true };
    expect(novaEventsFor(change({ ...active, device_owner: 'network:router_interface' }))).toEqual([]);
    expect(novaEventsFor(change({ ...active, device_id: 'not-a-uuid' }))).toEqual([]);
    expect(novaEventsFor(change({ ...active, device_id: '' }))).toEqual([]);
    expect(novaEventsFor(change({ deleted: true, device_owner: 'network:dhcp' }))).toEqual([]);
  });
});
