/** A real database (SQLite file or a scratch PostgreSQL database) with the agents table, for the agents specs. */
import type { RequestContext } from '../../api/resource/resource-definition.js';
import { adminRequestContext } from '../../api/testing/admin-context.js';
import { type AppConfig, loadConfig } from '../../config/index.js';
import type { Database } from '../../db/index.js';
import { openScratchDatabase } from '../../db/testing/scratch-database.js';
import { agentEntities, agentMigrations } from '../agents-api.module.js';

export interface AgentsHarness {
  db: Database;
  config: AppConfig;
  /** A second Database on the same PostgreSQL database: another server replica (PostgreSQL only). */
  openReplica(): Promise<Database>;
  /** One write transaction with an admin request context, as the engine opens per request. */
  tx<T>(work: (ctx: RequestContext) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openAgentsHarness(dialect: 'sqlite' | 'postgres', env: Record<string, string> = {}): Promise<AgentsHarness> {
  const scratch = await openScratchDatabase(dialect, { label: 'agents_spec', entities: agentEntities, migrations: agentMigrations });
  const db = scratch.db;
  return {
    db,
    config: loadConfig({ argv: [], env }),
    openReplica: () => {
      if (dialect !== 'postgres') return Promise.reject(new Error('replicas share a PostgreSQL database'));
      return scratch.openAnother();
    },
    tx: (work) => db.transaction((em) => work(adminRequestContext(em))),
    close: scratch.close,
  };
}
