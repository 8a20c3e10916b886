import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServerModule } from '../../../apps/neutron-server/server.module.js';
import { ResourceEngine } from '../../../libs/api/engine/resource-engine.js';
import { ResourceRegistry } from '../../../libs/api/engine/resource-registry.js';
import { NeutronError } from '../../../libs/api/errors/neutron-error.js';
import { loadConfig } from '../../../libs/config/index.js';
import { Database } from '../../../libs/db/index.js';
import type { AuthContext } from '../../../libs/identity/auth-context.js';
import type { Dialect } from './appliance.js';
import type { Json } from './http.js';
import { createTempDatabase } from './postgres.js';

export interface InProcessAppliance {
  db: Database;
  /** A provider of the running modules (to look inside or stub a collaborator). */
  get<T>(token: abstract new (...args: never[]) => T): T;
  /** Calls the Networking API below /v2.0 without HTTP, as an admin of project `admin-project`. */
  call(method: string, path: string, opts?: { body?: unknown; query?: Record<string, string | string[]> }): Promise<{ status: number; body: Json }>;
  close(): Promise<void>;
}

const ADMIN: AuthContext = {
  token_id: 'in-process',
  user_id: 'admin-user',
  user_name: 'admin',
  user_domain_id: 'default',
  project_id: 'admin-project',
  project_name: 'admin',
  roles: ['admin', 'member', 'reader'],
  is_admin: true,
  expires_at: '2999-01-01T00:00:00Z',
};

/**
 * The server's modules in this process (no listeners, no Keystone round trip, no agents whose background work would
 * add statements), for tests that must look inside, such as counting the SQL statements of one request.
 */
export async function startInProcess(dialect: Dialect): Promise<InProcessAppliance> {
  const dataDir = await mkdtemp(join(tmpdir(), `appliance-inproc-${dialect}-`));
  const pg = dialect === 'postgres' ? await createTempDatabase() : undefined;
  const config = loadConfig({ argv: [], env: { APPLIANCE_DATA_DIR: dataDir, APPLIANCE_DATABASE_URL: pg?.url ?? '', APPLIANCE_LOG_LEVEL: 'silent' } });
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(ServerModule.forRoot(config), { logger: false, abortOnError: false });
    await app.init();
  } catch (e) {
    await app?.close();
    await pg?.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  const ctx = app;
  const engine = ctx.get(ResourceEngine);
  const registry = ctx.get(ResourceRegistry);
  return {
    db: ctx.get(Database),
    get: (token) => ctx.get(token),
    call: async (method, path, opts = {}) => {
      const segments = path.split('/').filter(Boolean);
      const match = registry.match(segments);
      if (!match?.resource) throw new Error(`no resource at ${path}`);
      try {
        const res = await engine.handle(
          match.resource,
          {
            method,
            segments,
            query: opts.query ?? {},
            rawBody: opts.body === undefined ? undefined : JSON.stringify(opts.body),
            headers: {},
            auth: ADMIN,
            pathUrl: `http://in-process/v2.0/${segments.join('/')}`,
          },
          match.rest,
        );
        return { status: res.status, body: res.body };
      } catch (e) {
        if (e instanceof NeutronError) return { status: e.status, body: { NeutronError: { type: e.type, message: e.message } } };
        throw e;
      }
    },
    close: async () => {
      await ctx.close();
      await pg?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
