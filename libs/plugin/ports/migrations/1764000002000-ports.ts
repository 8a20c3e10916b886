import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { standardColumns } from '../../../api/migrations/standard-columns.js';

export class Ports1764000002000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'ports',
        columns: [
          ...standardColumns(),
          { name: 'name', type: 'varchar', length: '255', default: "''" },
          { name: 'network_id', type: 'varchar', length: '36' },
          { name: 'mac_address', type: 'varchar', length: '32' },
          { name: 'admin_state_up', type: 'boolean', default: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'device_id', type: 'varchar', length: '255', default: "''" },
          { name: 'device_owner', type: 'varchar', length: '255', default: "''" },
          { name: 'port_security_enabled', type: 'boolean', default: true },
          { name: 'binding_host_id', type: 'varchar', length: '255', default: "''" },
          { name: 'binding_vnic_type', type: 'varchar', length: '64', default: "'normal'" },
          { name: 'binding_profile', type: 'text' },
          { name: 'binding_vif_type', type: 'varchar', length: '64', default: "'unbound'" },
          { name: 'binding_vif_details', type: 'text' },
        ],
        // A MAC is unique per network: the constraint, not a read-then-write check, decides races.
        uniques: [{ name: 'uniq_ports_network_id_mac_address', columnNames: ['network_id', 'mac_address'] }],
        foreignKeys: [new TableForeignKey({ columnNames: ['network_id'], referencedTableName: 'networks', referencedColumnNames: ['id'] })],
      }),
      true,
    );
    for (const columns of [['project_id'], ['device_id'], ['network_id', 'device_owner'], ['binding_host_id']]) {
      await q.createIndex('ports', new TableIndex({ name: `ix_ports_${columns.join('_')}`, columnNames: columns }));
    }

    const cascade = new TableForeignKey({
      columnNames: ['port_id'],
      referencedTableName: 'ports',
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    });
    await q.createTable(
      new Table({
        name: 'allowedaddresspairs',
        columns: [
          { name: 'port_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'mac_address', type: 'varchar', length: '32', isPrimary: true },
          { name: 'ip_address', type: 'varchar', length: '64', isPrimary: true },
          { name: 'position', type: 'integer' },
        ],
        foreignKeys: [cascade],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'extradhcpopts',
        columns: [
          { name: 'port_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'opt_name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'ip_version', type: 'integer', isPrimary: true },
          { name: 'opt_value', type: 'varchar', length: '255' },
          { name: 'position', type: 'integer' },
        ],
        foreignKeys: [cascade.clone()],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('extradhcpopts', true);
    await q.dropTable('allowedaddresspairs', true);
    await q.dropTable('ports', true);
  }
}
