import { EntitySchema } from 'typeorm';

export const AGENTS_TABLE = 'agents';

export interface AgentRow {
  id: string;
  agent_type: string;
  binary: string;
  topic: string;
  host: string;
  availability_zone: string | null;
  admin_state_up: boolean;
  /** `YYYY-MM-DD HH:MM:SS` UTC, as the API shows them (and comparable as strings). */
  created_at: string;
  started_at: string;
  heartbeat_timestamp: string;
  description: string | null;
  /** The agent's configurations dict, JSON. */
  configurations: string;
  resources_synced: boolean | null;
  /** Scheduling weight (DHCP agents: their network count), not shown by the API. */
  load: number;
}

export const AgentEntity = new EntitySchema<AgentRow>({
  name: 'Agent',
  tableName: AGENTS_TABLE,
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    agent_type: { type: 'varchar', length: 255 },
    binary: { type: 'varchar', length: 255 },
    topic: { type: 'varchar', length: 255 },
    host: { type: 'varchar', length: 255 },
    availability_zone: { type: 'varchar', length: 255, nullable: true },
    admin_state_up: { type: 'boolean' },
    created_at: { type: 'varchar', length: 19 },
    started_at: { type: 'varchar', length: 19 },
    heartbeat_timestamp: { type: 'varchar', length: 19 },
    description: { type: 'varchar', length: 255, nullable: true },
    configurations: { type: 'text' },
    resources_synced: { type: 'boolean', nullable: true },
    load: { type: 'integer' },
  },
});
