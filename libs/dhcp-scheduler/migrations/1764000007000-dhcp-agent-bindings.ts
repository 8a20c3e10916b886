import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';

export class DhcpAgentBindings1764000007000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'networkdhcpagentbindings',
        columns: [
          { name: 'network_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'dhcp_agent_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'binding_index', type: 'integer', default: 1 },
        ],
        uniques: [{ name: 'uniq_network_dhcp_agent_binding0network_id0binding_index', columnNames: ['network_id', 'binding_index'] }],
        indices: [{ name: 'ix_networkdhcpagentbindings_dhcp_agent_id', columnNames: ['dhcp_agent_id'] }],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['network_id'], referencedTableName: 'networks', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['dhcp_agent_id'], referencedTableName: 'agents', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('networkdhcpagentbindings', true);
  }
}
