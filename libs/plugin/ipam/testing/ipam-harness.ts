/**
 * A real database (SQLite file or a scratch PostgreSQL database) with the networks, subnets and IPAM tables, plus a
 * minimal `ports` table, for tests that drive SubnetsService and IpamService inside real transactions.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type MigrationInterface, type QueryRunner, Table, type EntityManager } from 'typeorm';
import { apiEntities, apiMigrations } from '../../../api/index.js';
import { prepareRequestBody } from '../../../api/request/body-parser.js';
import type { ApiObject, RequestContext } from '../../../api/resource/resource-definition.js';
import { Database } from '../../../db/index.js';
import type { AuthContext } from '../../../identity/auth-context.js';
import { Networks1764000000200 } from '../../migrations/1764000000200-networks.js';
import { NetworkEntity } from '../../networks/network.entity.js';
import type { SubnetPoolAllocator } from '../../subnetpools/subnetpools.contract.js';
import { Subnets1764000001000 } from '../../subnets/migrations/1764000001000-subnets.js';
import { subnetAttributes } from '../../subnets/subnet.definition.js';
import { SubnetsService } from '../../subnets/subnets.service.js';
import { subnetEntities } from '../../subnets/subnets.module.js';
import { IpamService } from '../ipam.service.js';

export const POSTGRES_SERVER_URL = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

class TestPorts1764000001900 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'ports',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'network_id', type: 'varchar', length: '36' },
          { name: 'project_id', type: 'varchar', length: '255', default: "''" },
          { name: 'device_owner', type: 'varchar', length: '255', default: "''" },
          { name: 'device_id', type: 'varchar', length: '255', default: "''" },
          { name: 'mac_address', type: 'varchar', length: '32' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('ports');
  }
}

const ADMIN: AuthContext = {
  token_id: 't',
  user_id: 'u',
  user_name: 'admin',
  user_domain_id: 'default',
  project_id: 'admin-project',
  project_name: 'admin',
  roles: ['admin', 'member', 'reader'],
  is_admin: true,
  expires_at: '2999-01-01T00:00:00Z',
};

const noPools: SubnetPoolAllocator = {
  allocateCidr: () => Promise.reject(new Error('no subnet pools in this harness')),
  defaultPoolId: () => Promise.resolve(undefined),
};

export interface IpamHarness {
  db: Database;
  ipam: IpamService;
  subnets: SubnetsService;
  /** One write transaction, as the engine opens per request. */
  tx<T>(work: (ctx: RequestContext) => Promise<T>): Promise<T>;
  network(attrs?: Partial<{ shared: boolean; project_id: string }>): Promise<string>;
  /** POST /v2.0/subnets body → created subnet, through the real attribute map. */
  subnet(body: ApiObject): Promise<ApiObject>;
  port(networkId: string, opts?: { deviceOwner?: string; mac?: string }): Promise<{ id: string; mac: string }>;
  close(): Promise<void>;
}

export async function openIpamHarness(dialect: 'sqlite' | 'postgres'): Promise<IpamHarness> {
  let url = '';
  let dropDb: (() => Promise<void>) | undefined;
  const dataDir = await mkdtemp(join(tmpdir(), 'ipam-spec-'));
  if (dialect === 'postgres') {
    const name = `ipam_spec_${randomBytes(5).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const u = new URL(POSTGRES_SERVER_URL);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDb = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  const db = await Database.open({
    url,
    dataDir,
    entities: [...apiEntities, NetworkEntity, ...subnetEntities],
    migrations: [...apiMigrations, Networks1764000000200, Subnets1764000001000, TestPorts1764000001900],
  });
  const ipam = new IpamService();
  const subnets = new SubnetsService(ipam, noPools);
  const ctxOf = (em: EntityManager): RequestContext => ({
    auth: ADMIN,
    isAdmin: true,
    projectId: ADMIN.project_id,
    em,
    forUpdate: true,
    afterCommit: () => undefined,
  });
  const tx = <T>(work: (ctx: RequestContext) => Promise<T>) => db.transaction((em) => work(ctxOf(em)));
  let macs = 0;
  return {
    db,
    ipam,
    subnets,
    tx,
    network: async (attrs = {}) => {
      const id = randomUUID();
      await db.ds.getRepository(NetworkEntity).insert({
        id,
        project_id: attrs.project_id ?? ADMIN.project_id,
        description: '',
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
        revision_number: 1,
        name: 'net',
        admin_state_up: true,
        status: 'ACTIVE',
        shared: attrs.shared ?? false,
        router_external: false,
        mtu: 1450,
        port_security_enabled: true,
        availability_zone_hints: [],
      });
      return id;
    },
    subnet: (body) => {
      const [item] = prepareRequestBody(
        { subnet: body },
        { resource: 'subnet', collection: 'subnets', attributes: subnetAttributes, isCreate: true, allowBulk: true, caller: { projectId: ADMIN.project_id, isAdmin: true } },
      );
      return tx((ctx) => subnets.create(ctx, item));
    },
    port: async (networkId, opts = {}) => {
      const id = randomUUID();
      macs += 1;
      const mac = opts.mac ?? `fa:16:3e:00:${(macs >> 8).toString(16).padStart(2, '0')}:${(macs & 255).toString(16).padStart(2, '0')}`;
      await db.ds.query(
        dialect === 'postgres'
          ? 'INSERT INTO ports (id, network_id, device_owner, mac_address) VALUES ($1, $2, $3, $4)'
          : 'INSERT INTO ports (id, network_id, device_owner, mac_address) VALUES (?, ?, ?, ?)',
        [id, networkId, opts.deviceOwner ?? 'compute:nova', mac],
      );
      return { id, mac };
    },
    close: async () => {
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
      await dropDb?.();
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
