import { isPostgresConnection } from '../../../db/index.js';
import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { standardColumns } from '../../../api/migrations/standard-columns.js';

/** subnets, their IP allocations and the IPAM free ranges (one row per run of free pool addresses). */
export class Subnets1764000001000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // Hex bounds must compare byte-wise; SQLite's default BINARY collation already does.
    const bytewise = isPostgresConnection(q.connection) ? { collation: 'C' } : {};
    await q.createTable(
      new Table({
        name: 'subnets',
        columns: [
          ...standardColumns(),
          { name: 'name', type: 'varchar', length: '255', default: "''" },
          { name: 'network_id', type: 'varchar', length: '36' },
          { name: 'ip_version', type: 'integer' },
          { name: 'cidr', type: 'varchar', length: '64' },
          { name: 'gateway_ip', type: 'varchar', length: '64', isNullable: true },
          { name: 'enable_dhcp', type: 'boolean', default: true },
          { name: 'ipv6_ra_mode', type: 'varchar', length: '16', isNullable: true },
          { name: 'ipv6_address_mode', type: 'varchar', length: '16', isNullable: true },
          { name: 'subnetpool_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'allocation_pools', type: 'text' },
          { name: 'dns_nameservers', type: 'text' },
          { name: 'host_routes', type: 'text' },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['network_id'], referencedTableName: 'networks', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
      true,
    );
    await q.createIndex('subnets', new TableIndex({ name: 'ix_subnets_network_id', columnNames: ['network_id'] }));
    await q.createIndex('subnets', new TableIndex({ name: 'ix_subnets_project_id', columnNames: ['project_id'] }));
    await q.createIndex('subnets', new TableIndex({ name: 'ix_subnets_subnetpool_id', columnNames: ['subnetpool_id'] }));

    const subnetFk = () =>
      new TableForeignKey({ columnNames: ['subnet_id'], referencedTableName: 'subnets', referencedColumnNames: ['id'], onDelete: 'CASCADE' });
    await q.createTable(
      new Table({
        name: 'ipallocations',
        columns: [
          { name: 'subnet_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'ip_address', type: 'varchar', length: '64', isPrimary: true },
          { name: 'port_id', type: 'varchar', length: '36' },
          { name: 'network_id', type: 'varchar', length: '36' },
        ],
        foreignKeys: [subnetFk()],
      }),
      true,
    );
    await q.createIndex('ipallocations', new TableIndex({ name: 'ix_ipallocations_port_id', columnNames: ['port_id'] }));
    await q.createIndex('ipallocations', new TableIndex({ name: 'ix_ipallocations_ip_address', columnNames: ['ip_address'] }));
    await q.createIndex('ipallocations', new TableIndex({ name: 'ix_ipallocations_network_id', columnNames: ['network_id'] }));

    await q.createTable(
      new Table({
        name: 'ipam_free_ranges',
        columns: [
          { name: 'subnet_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'first_ip', type: 'varchar', length: '32', isPrimary: true, ...bytewise },
          { name: 'last_ip', type: 'varchar', length: '32', ...bytewise },
        ],
        foreignKeys: [subnetFk()],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('ipam_free_ranges', true);
    await q.dropTable('ipallocations', true);
    await q.dropTable('subnets', true);
  }
}
