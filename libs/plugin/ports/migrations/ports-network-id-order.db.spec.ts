import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../../db/index.js';
import { createScratchStorage, type ScratchStorage, SPEC_DIALECTS } from '../../../db/testing/scratch-database.js';
import { Networks1764000000200 } from '../../migrations/1764000000200-networks.js';
import { Ports1764000002000 } from './1764000002000-ports.js';
import { PortsNetworkDeviceIndex1764000008100 } from './1764000008100-ports-network-device-index.js';
import { PortsNetworkIdOrder1764000021000 } from './1764000021000-ports-network-id-order.js';

const MIGRATIONS = [Networks1764000000200, Ports1764000002000, PortsNetworkDeviceIndex1764000008100, PortsNetworkIdOrder1764000021000];

describe.each(SPEC_DIALECTS)('ports indexes for lists in id order (%s)', (dialect) => {
  let storage: ScratchStorage;
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    await storage?.remove();
  });

  const open = async () => {
    storage = await createScratchStorage(dialect, 'ports_id_order');
    db = await Database.open({ url: storage.url, dataDir: storage.dataDir, entities: [], migrations: MIGRATIONS });
    return db;
  };

  it.runIf(dialect === 'sqlite')('a page of a network reads the page, and a device or owner filter keeps its own index, with no sort', async () => {
    const opened = await open();
    const plan = async (where: string) => {
      const rows: { detail: string }[] = await opened.ds.query(`EXPLAIN QUERY PLAN SELECT * FROM ports r WHERE ${where} ORDER BY r.id ASC LIMIT 100`);
      return rows.map((r) => r.detail).join(' | ');
    };
    const page = await plan("r.network_id = 'n' AND r.id > 'm'");
    expect(page).toContain('ix_ports_network_id_id (network_id=? AND id>?)');
    expect(page).not.toContain('TEMP B-TREE');
    const device = await plan("r.network_id = 'n' AND r.device_id = 'd'");
    expect(device).toContain('ix_ports_network_id_device_id_id (network_id=? AND device_id=?)');
    expect(device).not.toContain('TEMP B-TREE');
    const owner = await plan("r.network_id = 'n' AND r.device_owner = 'network:dhcp'");
    expect(owner).toContain('ix_ports_network_id_device_owner_id (network_id=? AND device_owner=?)');
    expect(owner).not.toContain('TEMP B-TREE');
  });

  it('replaces the two network indexes by ones ending with id, and undoes it', async () => {
    const opened = await open();
    const indexes = async (): Promise<string[]> => {
      const sql =
        dialect === 'postgres'
          ? "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'ports' AND indexname LIKE 'ix_ports_network%'"
          : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ports' AND name LIKE 'ix_ports_network%'";
      return ((await opened.ds.query(sql)) as { name: string }[]).map((r) => r.name).sort();
    };
    expect(await indexes()).toEqual(['ix_ports_network_id_device_id_id', 'ix_ports_network_id_device_owner_id', 'ix_ports_network_id_id']);
    await opened.ds.undoLastMigration();
    expect(await indexes()).toEqual(['ix_ports_network_id_device_id', 'ix_ports_network_id_device_owner']);
  });
});
