import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';

export class RouterL3AgentBindings1764000010200 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'routerl3agentbindings',
        columns: [
          { name: 'router_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'l3_agent_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'binding_index', type: 'integer', default: 1 },
        ],
        uniques: [{ name: 'uniq_router_l3_agent_binding0router_id0binding_index0', columnNames: ['router_id', 'binding_index'] }],
        indices: [{ name: 'ix_routerl3agentbindings_l3_agent_id', columnNames: ['l3_agent_id'] }],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['router_id'], referencedTableName: 'routers', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['l3_agent_id'], referencedTableName: 'agents', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('routerl3agentbindings', true);
  }
}
