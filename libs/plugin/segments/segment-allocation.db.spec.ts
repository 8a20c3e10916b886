// Segment allocation against real databases: lowest free id, Neutron's errors, release, and races between
// transactions for the last free VNI. PostgreSQL: the machine's server (as in CI).
import type { EntityManager } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NeutronError } from '../../api/errors/neutron-error.js';
import { neutronErrorOf as errorOf } from '../../api/testing/neutron-error-of.js';
import { apiEntities, apiMigrations } from '../../api/index.js';
import { loadConfig } from '../../config/index.js';
import type { Database } from '../../db/index.js';
import { openScratchDatabase, SPEC_DIALECTS, type ScratchDatabase } from '../../db/testing/scratch-database.js';
import { Networks1764000000200 } from '../migrations/1764000000200-networks.js';
import { Segments1764000004000 } from '../migrations/1764000004000-segments.js';
import { NetworkEntity } from '../networks/network.entity.js';
import { SegmentEntity } from './segment.entity.js';
import { TypeManager } from './type-manager.js';

function typesWith(ml2: Record<string, unknown>): TypeManager {
  const config = loadConfig({ argv: [], env: {} });
  return TypeManager.fromConfig({ ...config, ml2: { ...config.ml2, ...ml2 } });
}

describe.each(SPEC_DIALECTS)('segment allocation on %s', (dialect) => {
  let scratch: ScratchDatabase;
  let db: Database;
  const types = typesWith({
    tenant_network_types: ['vxlan', 'vlan'],
    vni_ranges: ['10:12', '20:21'],
    network_vlan_ranges: ['physnet1:100:101', 'physnet2'],
    flat_networks: ['public'],
  });
  const tx = <T>(work: (em: EntityManager) => Promise<T>) => db.transaction(work);
  const tenant = () => tx((em) => types.allocateTenantSegment(em));

  beforeAll(async () => {
    scratch = await openScratchDatabase(dialect, {
      label: 'segments_spec',
      entities: [...apiEntities, NetworkEntity, SegmentEntity],
      migrations: [...apiMigrations, Networks1764000000200, Segments1764000004000],
    });
    db = scratch.db;
  }, 60_000);
  afterAll(async () => {
    await scratch?.close();
  });
  beforeEach(async () => {
    for (const t of ['ml2_vxlan_allocations', 'ml2_vlan_allocations', 'ml2_flat_allocations', 'ml2_geneve_allocations']) {
      await db.ds.query(`DELETE FROM ${t}`);
    }
  });

  it('hands out the lowest free VNI across ranges, then the next tenant type, then 503', async () => {
    const got = [];
    for (let i = 0; i < 5; i++) got.push((await tenant()).segmentation_id);
    expect(got).toEqual([10, 11, 12, 20, 21]);
    // vxlan is full: the next tenant type (vlan) takes over, physnets in configured order.
    expect(await tenant()).toEqual({ network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 100 });
    expect(await tenant()).toEqual({ network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 101 });
    expect(await tenant()).toEqual({ network_type: 'vlan', physical_network: 'physnet2', segmentation_id: 1 });
  });

  it('hands out ids upwards and reuses released ones, lowest first, once the range is full', async () => {
    const small = typesWith({ tenant_network_types: ['vxlan'], vni_ranges: ['1:4'] });
    const take = async () => (await tx((em) => small.allocateTenantSegment(em))).segmentation_id;
    const release = (id: number) => tx((em) => small.releaseSegment(em, { network_type: 'vxlan', physical_network: null, segmentation_id: id }));
    expect([await take(), await take(), await take()]).toEqual([1, 2, 3]);
    await release(1);
    // Upwards while the range's top is free (one index lookup), then the lowest released id.
    expect([await take(), await take()]).toEqual([4, 1]);
    expect(await errorOf(take())).toEqual({
      status: 503,
      type: 'NoNetworkAvailable',
      message: 'Unable to create the network. No tenant network is available for allocation.',
    });
    await release(3);
    await release(2);
    expect([await take(), await take()]).toEqual([2, 3]);
  });

  it('reserves provider segments once, inside or outside the ranges', async () => {
    const reserve = (network_type: string, physical_network: string | null, segmentation_id: number | null) =>
      tx((em) => types.reserveProviderSegment(em, { network_type, physical_network, segmentation_id }));
    await reserve('vlan', 'physnet1', 100);
    expect(await errorOf(reserve('vlan', 'physnet1', 100))).toEqual({
      status: 409,
      type: 'VlanIdInUse',
      message: 'Unable to create the network. The VLAN 100 on physical network physnet1 is in use.',
    });
    await reserve('vlan', 'physnet2', 100); // another physnet: another id space
    expect(await reserve('vlan', 'physnet1', null)).toEqual({ network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 101 });
    expect((await errorOf(reserve('vlan', 'physnet1', null))).type).toBe('NoNetworkAvailable');
    await reserve('vxlan', null, 5000);
    expect(await errorOf(reserve('vxlan', null, 5000))).toEqual({
      status: 409,
      type: 'TunnelIdInUse',
      message: 'Unable to create the network. The tunnel ID 5000 is in use.',
    });
    await reserve('geneve', null, 5000); // its own table
    await reserve('flat', 'public', null);
    expect(await errorOf(reserve('flat', 'public', null))).toEqual({
      status: 409,
      type: 'FlatNetworkInUse',
      message: 'Unable to create the flat network. Physical network public is in use.',
    });
    // A taken provider id inside a range is skipped by tenant allocation.
    await reserve('vxlan', null, 10);
    expect((await tenant()).segmentation_id).toBe(11);
  });

  it('validates provider segments with the type drivers’ messages', () => {
    const check = (network_type: string, physical_network: string | null, segmentation_id: number | null) => {
      try {
        types.validateProviderSegment({ network_type, physical_network, segmentation_id });
        return 'ok';
      } catch (e) {
        return (e as NeutronError).message;
      }
    };
    expect(check('vlan', 'physnet1', 4095)).toBe('Invalid input for operation: segmentation_id out of range (1 through 4094).');
    expect(check('vlan', 'physnet9', 5)).toBe("Invalid input for operation: physical_network 'physnet9' unknown for VLAN provider network.");
    expect(check('vlan', null, 5)).toBe('Invalid input for operation: segmentation_id requires physical_network for VLAN provider network.');
    expect(check('flat', null, null)).toBe('Invalid input for operation: physical_network required for flat provider network.');
    expect(check('flat', 'other', null)).toBe("Invalid input for operation: physical_network 'other' unknown for flat provider network.");
    expect(check('flat', 'public', 3)).toBe('Invalid input for operation: segmentation_id prohibited for flat provider network.');
    expect(check('vxlan', 'physnet1', null)).toBe('Invalid input for operation: provider:physical_network specified for vxlan network.');
    expect(check('gre', null, null)).toBe("Invalid input for operation: network_type value 'gre' not supported.");
    expect(check('vlan', 'physnet1', null)).toBe('ok');
  });

  it('gives the last free VNI to exactly one of two parallel transactions', async () => {
    const one = typesWith({ tenant_network_types: ['vxlan'], vni_ranges: ['7:7'] });
    const results = await Promise.allSettled([0, 1].map(() => tx((em) => one.allocateTenantSegment(em))));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won.map((r) => r.value.segmentation_id)).toEqual([7]);
    expect(lost.map((r) => (r.reason as NeutronError).type)).toEqual(['NoNetworkAvailable']);
  });

  it.runIf(dialect === 'postgres')('does not make a second transaction wait for an open one: it takes the next VNI', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let taken!: (id: number | null) => void;
    const firstId = new Promise<number | null>((resolve) => (taken = resolve));
    const first = tx(async (em) => {
      taken((await types.allocateTenantSegment(em)).segmentation_id);
      await held;
    });
    try {
      expect(await firstId).toBe(10);
      const second = tx((em) => types.allocateTenantSegment(em));
      const waited = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 2_000));
      const outcome = await Promise.race([second, waited]);
      expect(outcome === 'waited' ? outcome : outcome.segmentation_id).toBe(11);
    } finally {
      release();
      await first;
    }
  });

  it('never hands one VNI to two of many parallel transactions', async () => {
    const ten = typesWith({ tenant_network_types: ['vxlan'], vni_ranges: ['100:109'] });
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => tx((em) => ten.allocateTenantSegment(em))));
    const ids = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.segmentation_id] : []));
    expect([...ids].sort((a, b) => a! - b!)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    expect(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as NeutronError).type)).toEqual([
      'NoNetworkAvailable',
      'NoNetworkAvailable',
    ]);
  });
});

describe('type manager configuration', () => {
  it('refuses a tenant network type without its type driver', () => {
    expect(() => typesWith({ type_drivers: ['vxlan'], tenant_network_types: ['vlan'] })).toThrow(
      'ml2.tenant_network_types: No type driver for tenant network_type: vlan',
    );
  });

  it('gives flat and vlan the physnet MTU, vxlan and geneve 50 bytes less', () => {
    const types = typesWith({});
    const mtu = (network_type: string) => types.maxMtu([{ network_type, physical_network: 'physnet1' }]);
    expect([mtu('flat'), mtu('vlan'), mtu('vxlan'), mtu('geneve')]).toEqual([1500, 1500, 1450, 1450]);
    expect(types.maxMtu([])).toBe(1500);
    expect(types.maxMtu([{ network_type: 'vlan', physical_network: 'physnet1' }, { network_type: 'vxlan', physical_network: null }])).toBe(1450);
  });
});
