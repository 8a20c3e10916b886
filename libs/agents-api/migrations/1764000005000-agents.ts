import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

export class Agents1764000005000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'agents',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'agent_type', type: 'varchar', length: '255' },
          { name: 'binary', type: 'varchar', length: '255' },
          { name: 'topic', type: 'varchar', length: '255' },
          { name: 'host', type: 'varchar', length: '255' },
          { name: 'availability_zone', type: 'varchar', length: '255', isNullable: true },
          { name: 'admin_state_up', type: 'boolean', default: true },
          { name: 'created_at', type: 'varchar', length: '19' },
          { name: 'started_at', type: 'varchar', length: '19' },
          { name: 'heartbeat_timestamp', type: 'varchar', length: '19' },
          { name: 'description', type: 'varchar', length: '255', isNullable: true },
          { name: 'configurations', type: 'text' },
          { name: 'resources_synced', type: 'boolean', isNullable: true },
          { name: 'load', type: 'integer', default: 0 },
        ],
        // One agent of a type per host: report_state upserts on it, so replicas that receive the same report agree.
        uniques: [{ name: 'uniq_agents0agent_type0host', columnNames: ['agent_type', 'host'] }],
        indices: [{ name: 'ix_agents_host', columnNames: ['host'] }],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('agents', true);
  }
}
