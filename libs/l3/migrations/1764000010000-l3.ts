import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';
import { standardColumns } from '../../api/migrations/standard-columns.js';

const fk = (column: string, table: string, onDelete: 'CASCADE' | 'SET NULL') =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });

/** Routers, their ports and extra routes, floating IPs (Neutron's l3 tables, one set for SQLite and PostgreSQL). */
export class L31764000010000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'routers',
        columns: [
          ...standardColumns(),
          { name: 'name', type: 'varchar', length: '255', default: "''" },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'admin_state_up', type: 'boolean', default: true },
          { name: 'gw_port_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'enable_snat', type: 'boolean', default: true },
          { name: 'availability_zone_hints', type: 'text' },
        ],
        foreignKeys: [fk('gw_port_id', 'ports', 'SET NULL')],
        indices: [{ name: 'ix_routers_project_id', columnNames: ['project_id'] }],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'routerports',
        columns: [
          { name: 'router_id', type: 'varchar', length: '36' },
          { name: 'port_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'port_type', type: 'varchar', length: '255' },
        ],
        foreignKeys: [fk('router_id', 'routers', 'CASCADE'), fk('port_id', 'ports', 'CASCADE')],
        indices: [{ name: 'ix_routerports_router_id', columnNames: ['router_id'] }],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'routerroutes',
        columns: [
          { name: 'router_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'destination', type: 'varchar', length: '64', isPrimary: true },
          { name: 'nexthop', type: 'varchar', length: '64', isPrimary: true },
        ],
        foreignKeys: [fk('router_id', 'routers', 'CASCADE')],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'floatingips',
        columns: [
          ...standardColumns(),
          { name: 'floating_ip_address', type: 'varchar', length: '64' },
          { name: 'floating_network_id', type: 'varchar', length: '36' },
          { name: 'floating_port_id', type: 'varchar', length: '36' },
          { name: 'fixed_port_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'fixed_ip_address', type: 'varchar', length: '64', isNullable: true },
          { name: 'router_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
        ],
        // One floating IP per (fixed port, fixed address, external network), as Neutron's unique constraint.
        uniques: [{ name: 'uniq_floatingips_fixed_assoc', columnNames: ['floating_network_id', 'fixed_port_id', 'fixed_ip_address'] }],
        foreignKeys: [fk('floating_port_id', 'ports', 'CASCADE'), fk('fixed_port_id', 'ports', 'SET NULL'), fk('router_id', 'routers', 'SET NULL')],
        indices: [
          { name: 'ix_floatingips_project_id', columnNames: ['project_id'] },
          { name: 'ix_floatingips_fixed_port_id', columnNames: ['fixed_port_id'] },
          { name: 'ix_floatingips_router_id', columnNames: ['router_id'] },
        ],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('floatingips', true);
    await q.dropTable('routerroutes', true);
    await q.dropTable('routerports', true);
    await q.dropTable('routers', true);
  }
}
