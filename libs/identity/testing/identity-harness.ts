import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, type INestApplication, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { loadConfig } from '../../config/load-config.js';
import { Database } from '../../db/database.js';
import { identityEntities } from '../entities/index.js';
import { createIdentityApp } from '../identity-app.js';
import { IdentityModule } from '../identity.module.js';
import { identityMigrations } from '../migrations/index.js';
import { IdentityServices } from '../services/identity-services.js';

export type ConfigOverrides = { [K in keyof AppConfig]?: Partial<AppConfig[K]> };

export function testConfig(overrides: ConfigOverrides = {}): AppConfig {
  const base = loadConfig({ argv: [], env: {} });
  const merged = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(overrides)) {
    const cur = merged[k];
    merged[k] = typeof cur === 'object' && cur !== null ? { ...(cur as object), ...(v as object) } : v;
  }
  return merged as AppConfig;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'identity-spec-'));
}

/** url '' = SQLite file in dataDir; a postgres:// URL uses that database. */
export function openDatabase(dataDir: string, url = ''): Promise<Database> {
  return Database.open({ url, dataDir, entities: identityEntities, migrations: identityMigrations });
}

/** A Nest context like the Networking API's: ConfigModule + the Database + IdentityModule (bootstrapped). */
export async function identityContext(config: AppConfig, db: Database): Promise<INestApplicationContext> {
  @Global()
  @Module({ providers: [{ provide: Database, useValue: db }], exports: [Database] })
  class TestDbModule {}
  @Module({ imports: [ConfigModule.forRoot(config), TestDbModule, IdentityModule] })
  class TestRootModule {}
  const ctx = await NestFactory.createApplicationContext(TestRootModule, { logger: false, abortOnError: false });
  await ctx.init();
  return ctx;
}

export interface RunningIdentity {
  config: AppConfig;
  db: Database;
  services: IdentityServices;
  app: INestApplication;
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

/** Starts the identity app on a free port over a SQLite file in dataDir (a new temp dir by default). */
export async function startIdentity(
  opts: { dataDir?: string; databaseUrl?: string; config?: ConfigOverrides } = {},
): Promise<RunningIdentity> {
  const dataDir = opts.dataDir ?? tempDir();
  const ownDir = opts.dataDir === undefined;
  const db = await openDatabase(dataDir, opts.databaseUrl);
  // The catalog names the identity port, so it must be known before the services are built.
  const port = await freePort();
  const config = testConfig({
    host: '127.0.0.1',
    data_dir: dataDir,
    ...opts.config,
    identity: { port, ...opts.config?.identity },
  });
  const ctx = await identityContext(config, db);
  const services = ctx.get(IdentityServices);
  const app = await createIdentityApp({ config, identity: services });
  await app.listen(port, '127.0.0.1');
  return {
    config,
    db,
    services,
    app,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await ctx.close();
      await db.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
