import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServerModule } from '../../../apps/neutron-server/server.module.js';
import { ResourceEngine } from '../../../libs/api/engine/resource-engine.js';
import { type InProcessCall, inProcessCall } from '../../../libs/api/testing/in-process-call.js';
import { loadConfig } from '../../../libs/config/index.js';
import { Database } from '../../../libs/db/index.js';
import { createScratchStorage } from '../../../libs/db/testing/scratch-database.js';
import type { Dialect } from './appliance.js';

export interface InProcessAppliance {
  db: Database;
  /** A provider of the running modules (to look inside or stub a collaborator). */
  get<T>(token: abstract new (...args: never[]) => T): T;
  /** Calls the Networking API below /v2.0 without HTTP, as an admin of project `admin-project`. */
  call: InProcessCall;
  close(): Promise<void>;
}

/**
 * The server's modules in this process (no listeners, no Keystone round trip, no agents whose background work would
 * add statements), for tests that must look inside, such as counting the SQL statements of one request.
 */
export async function startInProcess(dialect: Dialect): Promise<InProcessAppliance> {
  const storage = await createScratchStorage(dialect, `appliance_inproc_${dialect}`);
  const config = loadConfig({ argv: [], env: { APPLIANCE_DATA_DIR: storage.dataDir, APPLIANCE_DATABASE_URL: storage.url, APPLIANCE_LOG_LEVEL: 'silent' } });
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(ServerModule.forRoot(config), { logger: false, abortOnError: false });
    await app.init();
  } catch (e) {
    await app?.close();
    await storage.remove();
    throw e;
  }
  const ctx = app;
  return {
    db: ctx.get(Database),
    get: (token) => ctx.get(token),
    call: inProcessCall(ctx.get(ResourceEngine)),
    close: async () => {
      await ctx.close();
      await storage.remove();
    },
  };
}
