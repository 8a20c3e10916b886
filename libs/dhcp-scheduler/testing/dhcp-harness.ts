/**
 * The server's domains up to the DHCP scheduler (no agents, no listeners) on a scratch SQLite file
 * or PostgreSQL database, for DHCP specs.
 */
import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AgentHeartbeatsService } from '../../agents-api/agent-heartbeats.service.js';
import { ResourceEngine } from '../../api/engine/resource-engine.js';
import { ADMIN_AUTH } from '../../api/testing/admin-context.js';
import { inProcessCall, type Json } from '../../api/testing/in-process-call.js';
import { BUS, type Bus } from '../../bus/bus.contract.js';
import { BusModule } from '../../bus/bus.module.js';
import { type AppConfig, ConfigModule, loadConfig } from '../../config/index.js';
import { Database, DbModule, entitiesOf, migrationsOf } from '../../db/index.js';
import { SERVER_DOMAINS } from '../../server/server-domains.js';
import { createScratchStorage } from '../../db/testing/scratch-database.js';
import type { AuthContext } from '../../identity/auth-context.js';
import { AGENT_TYPES, type AgentState } from '../../rpc/agent-state.contract.js';
import { DhcpAgentNotifier } from '../dhcp-agent-notifier.js';

export type { Json };

@Module({})
class DhcpHarnessModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DhcpHarnessModule,
      imports: [
        ConfigModule.forRoot(config),
        BusModule.forRoot(config),
        DbModule.forRoot({ url: config.database.url, dataDir: config.data_dir, entities: entitiesOf(SERVER_DOMAINS), migrations: migrationsOf(SERVER_DOMAINS) }),
        ...SERVER_DOMAINS.map((d) => d.module),
      ],
    };
  }
}

export const ADMIN: AuthContext = ADMIN_AUTH;

export interface DhcpHarness {
  db: Database;
  bus: Bus;
  /** Calls /v2.0 without HTTP (resources and sub-resources), as `auth` (admin by default). */
  call(method: string, path: string, body?: unknown, auth?: AuthContext): Promise<{ status: number; body: Json }>;
  /** A DHCP agent's heartbeat on `host` (report_state as the bus delivers it). */
  reportDhcpAgent(host: string, extra?: Partial<AgentState>, at?: Date): Promise<string>;
  /** Every DHCP notice queued so far has been cast. */
  noticesSent(): Promise<void>;
  close(): Promise<void>;
}

export async function openDhcpHarness(dialect: 'sqlite' | 'postgres', env: Record<string, string> = {}): Promise<DhcpHarness> {
  const storage = await createScratchStorage(dialect, 'dhcp_spec');
  const config = loadConfig({ argv: [], env: { APPLIANCE_DATA_DIR: storage.dataDir, APPLIANCE_DATABASE_URL: storage.url, APPLIANCE_LOG_LEVEL: 'silent', ...env } });
  let app: INestApplicationContext | undefined;
  const cleanup = async () => {
    await app?.close();
    await storage.remove();
  };
  try {
    app = await NestFactory.createApplicationContext(DhcpHarnessModule.forRoot(config), { logger: false, abortOnError: false });
    await app.init();
  } catch (e) {
    await cleanup();
    throw e;
  }
  const ctx = app;
  const call = inProcessCall(ctx.get(ResourceEngine));
  const heartbeats = ctx.get(AgentHeartbeatsService);
  return {
    db: ctx.get(Database),
    bus: ctx.get<Bus>(BUS),
    call: (method, path, body, auth = ADMIN) => call(method, path, { body, auth }),
    async reportDhcpAgent(host, extra = {}, at) {
      const state: AgentState = { ...AGENT_TYPES.dhcp, host, configurations: { networks: 0 }, availability_zone: 'nova', ...extra };
      return heartbeats.reportState({ agent_state: state, time: new Date().toISOString() }, at);
    },
    noticesSent: () => ctx.get(DhcpAgentNotifier).idle(),
    close: cleanup,
  };
}
