/**
 * A real database (SQLite file or a scratch PostgreSQL database) with the networks, subnets and IPAM tables, plus a
 * minimal `ports` table, for tests that drive SubnetsService and IpamService inside real transactions.
 */
import { randomUUID } from 'node:crypto';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { apiEntities, apiMigrations } from '../../../api/index.js';
import { prepareRequestBody } from '../../../api/request/body-parser.js';
import type { ApiObject, RequestContext } from '../../../api/resource/resource-definition.js';
import { ADMIN_AUTH, adminRequestContext } from '../../../api/testing/admin-context.js';
import type { Database } from '../../../db/index.js';
import { openScratchDatabase } from '../../../db/testing/scratch-database.js';
import { Networks1764000000200 } from '../../migrations/1764000000200-networks.js';
import { NetworkEntity } from '../../networks/network.entity.js';
import type { SubnetPoolAllocator } from '../../subnetpools/subnetpools.contract.js';
import { Subnets1764000001000 } from '../../subnets/migrations/1764000001000-subnets.js';
import { FreeRangeNextIp1764000001100 } from '../../subnets/migrations/1764000001100-free-range-next-ip.js';
import { subnetAttributes } from '../../subnets/subnet.definition.js';
import { SubnetsService } from '../../subnets/subnets.service.js';
import { subnetEntities } from '../../subnets/subnets.module.js';
import { IpamService } from '../ipam.service.js';

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
  const scratch = await openScratchDatabase(dialect, {
    label: 'ipam_spec',
    entities: [...apiEntities, NetworkEntity, ...subnetEntities],
    migrations: [...apiMigrations, Networks1764000000200, Subnets1764000001000, FreeRangeNextIp1764000001100, TestPorts1764000001900],
  });
  const db = scratch.db;
  const ipam = new IpamService();
  const subnets = new SubnetsService(ipam, noPools);
  const tx = <T>(work: (ctx: RequestContext) => Promise<T>) => db.transaction((em) => work(adminRequestContext(em)));
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
        project_id: attrs.project_id ?? ADMIN_AUTH.project_id,
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
        { resource: 'subnet', collection: 'subnets', attributes: subnetAttributes, isCreate: true, allowBulk: true, caller: { projectId: ADMIN_AUTH.project_id, isAdmin: true } },
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
    close: scratch.close,
  };
}
