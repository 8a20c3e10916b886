import { afterEach, describe, expect, it } from 'vitest';
import { Database, sqlFlag, sqlRows } from '../../db/index.js';
import { createScratchStorage, type ScratchStorage, SPEC_DIALECTS } from '../../db/testing/scratch-database.js';
import { Networks1764000000200 } from '../../plugin/migrations/1764000000200-networks.js';
import { Ports1764000002000 } from '../../plugin/ports/migrations/1764000002000-ports.js';
import { L31764000010000 } from './1764000010000-l3.js';
import { RouterExtraAttributes1764000010400 } from './1764000010400-router-extra-attributes.js';

const BEFORE = [Networks1764000000200, Ports1764000002000, L31764000010000];
const AFTER = [...BEFORE, RouterExtraAttributes1764000010400];
const NOW = '2026-12-07T00:00:00Z';

/** A database written before dvr, upgraded in place: its routers are legacy ones, and a row goes with its router. */
describe.each(SPEC_DIALECTS)('upgrade: router_extra_attributes for the existing routers (%s)', (dialect) => {
  let storage: ScratchStorage;
  afterEach(async () => storage?.remove());

  it('gives every existing router distributed = false, and the row is deleted with its router', async () => {
    storage = await createScratchStorage(dialect, 'router_extra_attributes_migration');
    const open = (migrations: typeof AFTER) => Database.open({ url: storage.url, dataDir: storage.dataDir, entities: [], migrations });
    const sql = (text: string) => (dialect === 'postgres' ? text.replace(/\?/g, ((n) => () => `$${++n}`)(0)) : text);
    const old = await open(BEFORE);
    for (const id of ['r1', 'r2']) {
      await old.ds.query(
        sql(
          'INSERT INTO routers (id, project_id, description, created_at, updated_at, revision_number, name, status, admin_state_up, enable_snat, availability_zone_hints) ' +
            "VALUES (?, 'p', '', ?, ?, 1, ?, 'ACTIVE', ?, ?, '[]')",
        ),
        [id, NOW, NOW, id, dialect === 'postgres' ? true : 1, dialect === 'postgres' ? true : 1],
      );
    }
    await old.close();

    const db = await open(AFTER);
    try {
      const em = db.ds.manager;
      const rows = await sqlRows<{ router_id: string; distributed: unknown }>(em, 'SELECT router_id, distributed FROM router_extra_attributes ORDER BY router_id');
      expect(rows.map((r) => [r.router_id, sqlFlag(r.distributed)])).toEqual([
        ['r1', false],
        ['r2', false],
      ]);
      await em.query(sql('DELETE FROM routers WHERE id = ?'), ['r1']);
      expect((await sqlRows<{ router_id: string }>(em, 'SELECT router_id FROM router_extra_attributes')).map((r) => r.router_id)).toEqual(['r2']);
    } finally {
      await db.close();
    }
  });
});
