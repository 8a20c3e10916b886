import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';

const BINDING_COLUMNS = ['binding_host_id', 'binding_vnic_type', 'binding_profile', 'binding_vif_type', 'binding_vif_details'];

/** The ACTIVE binding moves from the ports row to ML2's ml2_port_bindings; only non-default bindings get a row. */
export class Ml2PortBindings1764000009100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'ml2_port_bindings',
        columns: [
          { name: 'port_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'host', type: 'varchar', length: '255', default: "''" },
          { name: 'vnic_type', type: 'varchar', length: '64', default: "'normal'" },
          { name: 'profile', type: 'text' },
          { name: 'vif_type', type: 'varchar', length: '64', default: "'unbound'" },
          { name: 'vif_details', type: 'text' },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['port_id'], referencedTableName: 'ports', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
      true,
    );
    await q.createIndex('ml2_port_bindings', new TableIndex({ name: 'ix_ml2_port_bindings_host', columnNames: ['host'] }));
    await q.query(
      'INSERT INTO ml2_port_bindings (port_id, host, vnic_type, profile, vif_type, vif_details) ' +
        'SELECT id, binding_host_id, binding_vnic_type, binding_profile, binding_vif_type, binding_vif_details FROM ports ' +
        "WHERE binding_host_id <> '' OR binding_vnic_type <> 'normal' OR binding_vif_type <> 'unbound' " +
        "OR binding_profile NOT IN ('', '{}') OR binding_vif_details NOT IN ('', '{}')",
    );
    await q.dropIndex('ports', 'ix_ports_binding_host_id');
    for (const column of BINDING_COLUMNS) await q.query(`ALTER TABLE ports DROP COLUMN ${column}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.addColumns('ports', [
      new TableColumn({ name: 'binding_host_id', type: 'varchar', length: '255', default: "''" }),
      new TableColumn({ name: 'binding_vnic_type', type: 'varchar', length: '64', default: "'normal'" }),
      new TableColumn({ name: 'binding_profile', type: 'text', default: "'{}'" }),
      new TableColumn({ name: 'binding_vif_type', type: 'varchar', length: '64', default: "'unbound'" }),
      new TableColumn({ name: 'binding_vif_details', type: 'text', default: "'{}'" }),
    ]);
    for (const [column, field] of [['binding_host_id', 'host'], ['binding_vnic_type', 'vnic_type'], ['binding_profile', 'profile'], ['binding_vif_type', 'vif_type'], ['binding_vif_details', 'vif_details']]) {
      await q.query(`UPDATE ports SET ${column} = (SELECT b.${field} FROM ml2_port_bindings b WHERE b.port_id = ports.id) WHERE id IN (SELECT port_id FROM ml2_port_bindings)`);
    }
    await q.createIndex('ports', new TableIndex({ name: 'ix_ports_binding_host_id', columnNames: ['binding_host_id'] }));
    await q.dropTable('ml2_port_bindings', true);
  }
}
