/** A real database (SQLite file or a scratch PostgreSQL database) with the agents table, for the agents specs. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../api/resource/resource-definition.js';
import { type AppConfig, loadConfig } from '../../config/index.js';
import { Database } from '../../db/index.js';
import type { AuthContext } from '../../identity/auth-context.js';
import { agentEntities, agentMigrations } from '../agents-api.module.js';

const POSTGRES_SERVER_URL = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const ADMIN: AuthContext = {
  token_id: 't',
  user_id: 'u',
  user_name: 'admin',
  user_domain_id: 'default',
  project_id: 'admin-project',
  project_name: 'admin',
  roles: ['admin', 'member', 'reader'],
  is_admin: true,
  expires_at: '2999-01-01T00:00:00Z',
};

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
  let url = '';
  let dropDb: (() => Promise<void>) | undefined;
  const dataDir = await mkdtemp(join(tmpdir(), 'agents-spec-'));
  if (dialect === 'postgres') {
    const name = `agents_spec_${randomBytes(5).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const u = new URL(POSTGRES_SERVER_URL);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDb = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  const open = () => Database.open({ url, dataDir, entities: agentEntities, migrations: agentMigrations });
  const db = await open();
  const replicas: Database[] = [];
  const ctxOf = (em: EntityManager): RequestContext => ({
    auth: ADMIN,
    isAdmin: true,
    projectId: ADMIN.project_id,
    em,
    forUpdate: true,
    afterCommit: () => undefined,
  });
  return {
    db,
    config: loadConfig({ argv: [], env }),
    openReplica: async () => {
      if (dialect !== 'postgres') throw new Error('replicas share a PostgreSQL database');
      const replica = await open();
      replicas.push(replica);
      return replica;
    },
    tx: (work) => db.transaction((em) => work(ctxOf(em))),
    close: async () => {
      for (const replica of replicas) await replica.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
      await dropDb?.();
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
