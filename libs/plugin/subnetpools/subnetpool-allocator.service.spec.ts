import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataSource, EntitySchema } from 'typeorm';
import { neutronErrorOf as failure } from '../../api/testing/neutron-error-of.js';
import type { RequestContext } from '../../api/resource/resource-definition.js';
import { TagEntity } from '../../api/tags/tag.entity.js';
import type { AuthContext } from '../../identity/auth-context.js';
import { SubnetPoolAllocatorService } from './subnetpool-allocator.service.js';
import { SubnetPoolEntity } from './subnetpool.entity.js';
import { SubnetPoolsService } from './subnetpools.service.js';

// The subnets table as the contract names it; libs/plugin/subnets owns the real one.
const FakeSubnet = new EntitySchema<{ id: string; subnetpool_id: string | null; cidr: string; project_id: string; ip_version: number }>({
  name: 'FakeSubnet',
  tableName: 'subnets',
  columns: {
    id: { type: 'varchar', primary: true },
    subnetpool_id: { type: 'varchar', nullable: true },
    cidr: { type: 'varchar' },
    project_id: { type: 'varchar' },
    ip_version: { type: 'integer' },
  },
});

let ds: DataSource;
const pools = new SubnetPoolsService();
const allocator = new SubnetPoolAllocatorService();

const ctxFor = (projectId: string, isAdmin = false): RequestContext => ({
  auth: { project_id: projectId, is_admin: isAdmin } as AuthContext,
  isAdmin,
  projectId,
  em: ds.manager,
  forUpdate: true,
  afterCommit: () => undefined,
});
const alice = () => ctxFor('alice');

async function createPool(ctx: RequestContext, attrs: Record<string, unknown>) {
  return pools.create(ctx, { project_id: ctx.projectId, shared: false, is_default: false, name: 'p', ...attrs });
}

/** Allocate and record the subnet, as libs/plugin/subnets does in its transaction. */
async function subnetFrom(ctx: RequestContext, subnetpoolId: string, opts: { cidr?: string; prefixlen?: number; ipVersion?: number } = {}) {
  const got = await allocator.allocateCidr(ctx, { subnetpoolId, projectId: ctx.projectId, ...opts });
  await ds.getRepository(FakeSubnet).insert({
    id: randomUUID(),
    subnetpool_id: subnetpoolId,
    cidr: got.cidr,
    project_id: ctx.projectId,
    ip_version: got.ipVersion,
  });
  return got.cidr;
}

beforeAll(async () => {
  ds = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [SubnetPoolEntity, FakeSubnet, TagEntity], synchronize: true });
  await ds.initialize();
});
afterAll(() => ds.destroy());
beforeEach(async () => {
  await ds.getRepository(FakeSubnet).clear();
  await ds.getRepository(SubnetPoolEntity).clear();
});

describe('SUBNET_POOL_ALLOCATOR', () => {
  it('hands out consecutive /26s of pool1 by default_prefixlen, and honours prefixlen', async () => {
    const pool = await createPool(alice(), { prefixes: ['10.100.0.0/16'], default_prefixlen: 26 });
    expect(await subnetFrom(alice(), pool.id as string)).toBe('10.100.0.0/26');
    expect(await subnetFrom(alice(), pool.id as string)).toBe('10.100.0.64/26');
    expect(await subnetFrom(alice(), pool.id as string, { prefixlen: 24 })).toBe('10.100.1.0/24');
    expect(await subnetFrom(alice(), pool.id as string, { prefixlen: 25 })).toBe('10.100.0.128/25');
  });

  it('takes an explicit cidr only from free space inside the pool', async () => {
    const pool = await createPool(alice(), { prefixes: ['192.168.0.0/16'], min_prefixlen: 16 });
    const id = pool.id as string;
    expect(await subnetFrom(alice(), id, { cidr: '192.168.10.0/24' })).toBe('192.168.10.0/24');
    const cannot = 'Failed to allocate subnet: Cannot allocate requested subnet from the available set of prefixes.';
    expect(await failure(subnetFrom(alice(), id, { cidr: '192.168.10.128/25' }))).toEqual({ type: 'SubnetAllocationError', status: 409, message: cannot });
    expect(await failure(subnetFrom(alice(), id, { cidr: '10.0.0.0/24' }))).toMatchObject({ message: cannot });
    // The default /16 no longer fits once part of the pool is used.
    expect(await failure(subnetFrom(alice(), id))).toMatchObject({
      type: 'SubnetAllocationError',
      message: 'Failed to allocate subnet: Insufficient prefix space to allocate subnet size /16.',
    });
  });

  it('checks min/max prefixlen and the IP version with Neutron messages', async () => {
    const pool = await createPool(alice(), { prefixes: ['10.0.0.0/16'], min_prefixlen: 20, max_prefixlen: 28 });
    const id = pool.id as string;
    expect(await failure(subnetFrom(alice(), id, { prefixlen: 29 }))).toEqual({
      type: 'MaxPrefixSubnetAllocationError',
      status: 400,
      message: 'Unable to allocate subnet with prefix length 29, maximum allowed prefix is 28.',
    });
    expect(await failure(subnetFrom(alice(), id, { cidr: '10.0.0.0/19' }))).toEqual({
      type: 'MinPrefixSubnetAllocationError',
      status: 400,
      message: 'Unable to allocate subnet with prefix length 19, minimum allowed prefix is 20.',
    });
    expect(await failure(subnetFrom(alice(), id, { ipVersion: 6 }))).toEqual({
      type: 'BadRequest',
      status: 400,
      message: 'Bad subnets request: Cannot allocate IPv6 subnet from IPv4 subnet pool.',
    });
    expect(await failure(subnetFrom(alice(), id, { prefixlen: 33 }))).toEqual({
      type: 'AddrFormatError',
      status: 400,
      message: 'invalid IPNetwork 0.0.0.0/33',
    });
  });

  it('enforces default_quota per project in /32 units (IPv4) and /64 units (IPv6)', async () => {
    const v4 = await createPool(ctxFor('alice'), { prefixes: ['10.11.12.0/24'], min_prefixlen: 28, max_prefixlen: 30, default_quota: 20, shared: true });
    const id = v4.id as string;
    expect(await subnetFrom(alice(), id, { prefixlen: 28 })).toBe('10.11.12.0/28'); // 16 of 20
    expect(await subnetFrom(alice(), id, { prefixlen: 30 })).toBe('10.11.12.16/30'); // 20 of 20
    expect(await failure(subnetFrom(alice(), id, { prefixlen: 30 }))).toEqual({
      type: 'SubnetPoolQuotaExceeded',
      status: 409,
      message: 'Per-tenant subnet pool prefix quota exceeded.',
    });
    // Another project has its own share of the same (shared) pool.
    expect(await subnetFrom(ctxFor('bob'), id, { prefixlen: 28 })).toBe('10.11.12.32/28');

    const v6 = await createPool(alice(), { prefixes: ['2001:db8:3::/48'], min_prefixlen: 60, max_prefixlen: 128, default_quota: 17 });
    expect(await subnetFrom(alice(), v6.id as string, { prefixlen: 60 })).toBe('2001:db8:3::/60'); // 16 /64s
    expect(await subnetFrom(alice(), v6.id as string, { prefixlen: 64 })).toBe('2001:db8:3:10::/64'); // 17
    expect(await failure(subnetFrom(alice(), v6.id as string, { prefixlen: 128 }))).toMatchObject({ type: 'SubnetPoolQuotaExceeded' });
  });

  it('allocates IPv6 /64s from a /48', async () => {
    const pool = await createPool(alice(), { prefixes: ['2001:db8:3::/48'], min_prefixlen: 64 });
    expect(await subnetFrom(alice(), pool.id as string, { ipVersion: 6 })).toBe('2001:db8:3::/64');
    expect(await subnetFrom(alice(), pool.id as string)).toBe('2001:db8:3:1::/64');
  });

  it('answers 404 for pools the caller cannot see, and finds the visible default pool', async () => {
    const priv = await createPool(ctxFor('admin', true), { prefixes: ['10.0.0.0/8'], is_default: true });
    expect(await failure(subnetFrom(alice(), priv.id as string))).toEqual({
      type: 'SubnetPoolNotFound',
      status: 404,
      message: `Subnet pool ${priv.id as string} could not be found.`,
    });
    expect(await allocator.defaultPoolId(alice(), 4)).toBeUndefined();
    expect(await allocator.defaultPoolId(ctxFor('admin', true), 4)).toBe(priv.id);
    expect(await allocator.defaultPoolId(ctxFor('admin', true), 6)).toBeUndefined();
  });
});

describe('subnet pools service', () => {
  it('refuses a second default pool per IP version', async () => {
    const admin = ctxFor('admin', true);
    await createPool(admin, { prefixes: ['10.0.0.0/8'], is_default: true });
    await createPool(admin, { prefixes: ['2001:db8::/32'], is_default: true });
    expect(await failure(createPool(admin, { prefixes: ['172.16.0.0/12'], is_default: true }))).toEqual({
      type: 'InvalidInput',
      status: 400,
      message:
        'Invalid input for operation: A default subnetpool for this IP family has already been set. Only one default may exist per IP family.',
    });
  });

  it('removes prefixes unless a subnet uses them, and refuses to delete a pool in use', async () => {
    const pool = await createPool(alice(), { prefixes: ['10.0.0.0/16', '10.2.0.0/16'], default_prefixlen: 24 });
    const id = pool.id as string;
    await subnetFrom(alice(), id);
    const current = (await pools.get(alice(), id))!;
    expect(await failure(pools.removePrefixes(alice(), current, { prefixes: ['10.0.0.0/24'] }))).toEqual({
      type: 'IllegalSubnetPoolPrefixUpdate',
      status: 400,
      message: 'Illegal update to prefixes: One or more the prefixes to be removed is in use by a subnet.',
    });
    expect(await pools.removePrefixes(alice(), current, { prefixes: ['10.2.128.0/17'] })).toEqual({
      prefixes: ['10.0.0.0/16', '10.2.0.0/17'],
    });
    expect(await failure(pools.delete(alice(), current))).toEqual({
      type: 'SubnetPoolDeleteError',
      status: 400,
      message: 'Unable to delete subnet pool: Subnet pool has existing allocations.',
    });
    expect(await failure(pools.addPrefixes(ctxFor('bob'), current, { prefixes: ['10.9.0.0/16'] }))).toMatchObject({
      type: 'SubnetPoolNotFound',
    });
  });
});
