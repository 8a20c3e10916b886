import { afterEach, describe, expect, it } from 'vitest';
import { Database, sqlRows } from '../../../db/index.js';
import { createScratchStorage, type ScratchStorage, SPEC_DIALECTS } from '../../../db/testing/scratch-database.js';
import { Networks1764000000200 } from '../../migrations/1764000000200-networks.js';
import { PortSecurity1764000009000 } from '../../port-security/migrations/1764000009000-port-security.js';
import { Ports1764000002000 } from '../../ports/migrations/1764000002000-ports.js';
import { PortsNetworkDeviceIndex1764000008100 } from '../../ports/migrations/1764000008100-ports-network-device-index.js';
import { loadBindings } from '../binding/port-binding.store.js';
import { Ml21764000006000 } from './1764000006000-ml2.js';
import { Ml2PortBindings1764000009100 } from './1764000009100-ml2-port-bindings.js';

const BEFORE = [Networks1764000000200, Ports1764000002000, Ml21764000006000, PortsNetworkDeviceIndex1764000008100];
const AFTER = [...BEFORE, PortSecurity1764000009000, Ml2PortBindings1764000009100];
const NOW = '2026-12-07T00:00:00Z';

/** A database written by the previous release (binding and port security on the ports row), upgraded in place. */
describe.each(SPEC_DIALECTS)('upgrade: binding and port security leave the ports row with their data (%s)', (dialect) => {
  let storage: ScratchStorage;
  afterEach(async () => storage?.remove());

  it('copies non-default bindings and disabled port security to their tables and drops the old columns', async () => {
    storage = await createScratchStorage(dialect, 'port_fragments_migration');
    const open = (migrations: typeof AFTER) => Database.open({ url: storage.url, dataDir: storage.dataDir, entities: [], migrations });
    const sql = (text: string) => (dialect === 'postgres' ? text.replace(/\?/g, ((n) => () => `$${++n}`)(0)) : text);
    const yes = dialect === 'postgres' ? true : 1;
    const no = dialect === 'postgres' ? false : 0;
    const old = await open(BEFORE);
    await old.ds.query(
      sql(
        'INSERT INTO networks (id, project_id, description, created_at, updated_at, revision_number, name, status, mtu, availability_zone_hints) ' +
          "VALUES ('n1', 'p', '', ?, ?, 1, 'net', 'ACTIVE', 1450, '[]')",
      ),
      [NOW, NOW],
    );
    const port = (id: string, mac: string, psec: boolean | number, host: string, vnic: string, profile: string, vif: string, details: string) =>
      old.ds.query(
        sql(
          'INSERT INTO ports (id, project_id, description, created_at, updated_at, revision_number, name, network_id, mac_address, ' +
            'admin_state_up, status, device_id, device_owner, port_security_enabled, binding_host_id, binding_vnic_type, binding_profile, ' +
            "binding_vif_type, binding_vif_details) VALUES (?, 'p', '', ?, ?, 1, '', 'n1', ?, ?, 'DOWN', '', '', ?, ?, ?, ?, ?, ?)",
        ),
        [id, NOW, NOW, mac, yes, psec, host, vnic, profile, vif, details],
      );
    await port('plain', 'fa:16:3e:00:00:01', yes, '', 'normal', '{}', 'unbound', '{}');
    await port('bound', 'fa:16:3e:00:00:02', no, 'compute1', 'normal', '{"a":1}', 'bridge', '{"port_filter":true}');
    await port('direct', 'fa:16:3e:00:00:03', yes, '', 'direct', '{}', 'unbound', '{}');
    await old.close();

    const db = await open(AFTER);
    try {
      const em = db.ds.manager;
      const bindings = await loadBindings(em, ['plain', 'bound', 'direct']);
      expect([...bindings.keys()].sort()).toEqual(['bound', 'direct']);
      expect(bindings.get('bound')).toEqual({
        binding_host_id: 'compute1',
        binding_vnic_type: 'normal',
        binding_profile: { a: 1 },
        binding_vif_type: 'bridge',
        binding_vif_details: { port_filter: true },
      });
      expect(bindings.get('direct')?.binding_vnic_type).toBe('direct');
      expect(await sqlRows(em, 'SELECT port_id FROM portsecuritybindings')).toEqual([{ port_id: 'bound' }]);
      const columnsSql =
        dialect === 'postgres'
          ? "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'ports' AND table_schema = current_schema()"
          : "SELECT name FROM pragma_table_info('ports')";
      const columns = (await sqlRows<{ name: string }>(em, columnsSql)).map((c) => c.name);
      expect(columns.filter((c) => c.startsWith('binding_') || c === 'port_security_enabled')).toEqual([]);
      expect((await sqlRows(em, 'SELECT id FROM ports ORDER BY id')).length).toBe(3);
    } finally {
      await db.close();
    }
  });
});
