import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { errorOf, type Json, useCoreHarness } from '../../../test/support/core-harness.js';
import { Database, defineDomain, loadInChunks, sqlAnyOf, sqlRows, sqlRun } from '../../db/index.js';
import { conflict } from '../errors/neutron-error.js';
import { ResourceEvents } from '../events/resource-events.js';
import type { ResourceFragment } from '../resource/resource-definition.js';
import { validateString } from '../validators/index.js';
import { ResourceRegistry } from './resource-registry.js';

/**
 * What a new domain does to add an attribute to ports and react to their writes, without touching the ports domain:
 * its own table, one fragment, subscribers, and one line in the app's domain list (here: the harness's extraDomains).
 */
class PortColours1799000000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'x_port_colours',
        columns: [
          { name: 'port_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'colour', type: 'varchar', length: '32' },
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['port_id'], referencedTableName: 'ports', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('x_port_colours');
  }
}

const colourFragment: ResourceFragment = {
  name: 'x-colour',
  attributes: { colour: { allowPost: true, allowPut: true, default: 'none', validate: [validateString(32)], isFilter: false } },
  async load(ctx, ports) {
    const colours = await loadInChunks(ports.map((p) => p.id as string), async (ids) => {
      const [cond, param] = sqlAnyOf(ctx.em, 'port_id', ids);
      const rows = await sqlRows<{ port_id: string; colour: string }>(ctx.em, `SELECT port_id, colour FROM x_port_colours WHERE ${cond}`, [param]);
      return new Map(rows.map((r) => [r.port_id, r.colour]));
    });
    for (const port of ports) port.colour = colours.get(port.id as string) ?? 'none';
  },
  async create(ctx, port, request) {
    await sqlRun(ctx.em, 'INSERT INTO x_port_colours (port_id, colour) VALUES (?, ?)', [port.id, request.colour]);
    port.colour = request.colour;
  },
  async update(ctx, port, _original, changes) {
    if (changes.colour === undefined) return;
    await sqlRun(ctx.em, 'UPDATE x_port_colours SET colour = ? WHERE port_id = ?', [changes.colour, port.id]);
    port.colour = changes.colour;
  },
};

const heard: string[] = [];

@Module({})
class ColoursModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(ResourceEvents) private readonly events: ResourceEvents,
  ) {}

  onModuleInit(): void {
    this.registry.extend('ports', colourFragment, 'x-colour');
    this.events.subscribe(
      'port',
      'precommit_create',
      ({ latest }) => {
        if (latest!.colour === 'forbidden') throw conflict('ColourForbidden', 'No port may be forbidden.');
      },
      { name: 'colours' },
    );
    this.events.subscribe(
      'port',
      'after_create',
      ({ latest }) => {
        if (latest!.name === 'after-fails') throw new Error('the colour printer is out of ink');
      },
      { name: 'colours-printer' },
    );
    this.events.subscribe('port', 'after_create', ({ latest }) => void heard.push(latest!.name as string), { name: 'colours-log' });
  }
}

const coloursDomain = defineDomain({ module: ColoursModule, entities: [], migrations: [PortColours1799000000000] });

describe('extension points: a new domain adds a port attribute and reacts to port writes', () => {
  const app = useCoreHarness('extension_points_spec', [coloursDomain]);
  const network = async () => app().create('networks', { name: 'colours' });

  it('the attribute is parsed, stored, shown, listed and updated like a port’s own, and the extension is listed', async () => {
    const net = await network();
    const port: Json = await app().create('ports', { network_id: net.id, colour: 'red' });
    expect(port.colour).toBe('red');
    expect((await app().call('GET', `ports/${port.id}`)).body.port.colour).toBe('red');
    const updated = await app().call('PUT', `ports/${port.id}`, { body: { port: { colour: 'blue' } } });
    expect(updated.body.port.colour).toBe('blue');
    const listed = await app().call('GET', 'ports', { query: { network_id: net.id, fields: ['id', 'colour'] } });
    expect(listed.body.ports).toEqual([{ id: port.id, colour: 'blue' }]);
    const bad = await app().call('POST', 'ports', { body: { port: { network_id: net.id, colour: 'x'.repeat(33) } } });
    expect(errorOf(bad)[0]).toBe(400);
    const aliases = (await app().call('GET', 'extensions')).body.extensions.map((e: Json) => e.alias);
    expect(aliases).toContain('x-colour');
  });

  it('a list costs the fragment one query for the whole page, whatever its size', async () => {
    const db = app().app.get(Database);
    const queriesFor = async (n: number) => {
      const net = await network();
      for (let i = 0; i < n; i++) await app().create('ports', { network_id: net.id, colour: 'green' });
      const before = db.queryCount;
      const res = await app().call('GET', 'ports', { query: { network_id: net.id } });
      expect(res.body.ports.map((p: Json) => p.colour)).toEqual(Array(n).fill('green'));
      return db.queryCount - before;
    };
    expect(await queriesFor(12)).toBe(await queriesFor(2));
  });

  it('a precommit subscriber vetoes with a Neutron error and the whole request rolls back', async () => {
    const net = await network();
    const res = await app().call('POST', 'ports', { body: { port: { network_id: net.id, name: 'vetoed', colour: 'forbidden' } } });
    expect(errorOf(res)).toEqual([409, 'ColourForbidden', 'No port may be forbidden.']);
    expect((await app().call('GET', 'ports', { query: { network_id: net.id } })).body.ports).toEqual([]);
    const db = app().app.get(Database);
    expect(await sqlRows(db.ds.manager, "SELECT colour FROM x_port_colours WHERE colour = 'forbidden'")).toEqual([]);
  });

  it('a failing after subscriber is logged: the committed create answers 201 and later subscribers still run', async () => {
    const net = await network();
    const res = await app().call('POST', 'ports', { body: { port: { network_id: net.id, name: 'after-fails' } } });
    expect(res.status).toBe(201);
    expect((await app().call('GET', `ports/${res.body.port.id}`)).status).toBe(200);
    expect(heard).toContain('after-fails');
    expect(heard).not.toContain('vetoed');
  });
});
