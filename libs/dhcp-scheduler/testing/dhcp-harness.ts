/**
 * The server's domains up to the DHCP scheduler (no agents, no listeners) on a scratch SQLite file
 * or PostgreSQL database, for DHCP specs.
 */
import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MigrationInterface } from 'typeorm';
import { agentEntities, agentMigrations, AgentsApiModule } from '../../agents-api/agents-api.module.js';
import { AgentHeartbeatsService } from '../../agents-api/agent-heartbeats.service.js';
import { AGENT_TYPES, type AgentState } from '../../agents/rpc.contract.js';
import { ApiModule } from '../../api/api.module.js';
import { AvailabilityZonesModule } from '../../availability-zones/availability-zones.module.js';
import { ResourceEngine } from '../../api/engine/resource-engine.js';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { apiEntities, apiMigrations } from '../../api/index.js';
import { ADMIN_AUTH } from '../../api/testing/admin-context.js';
import { inProcessCall, type Json } from '../../api/testing/in-process-call.js';
import { BUS, type Bus } from '../../bus/bus.contract.js';
import { BusModule } from '../../bus/bus.module.js';
import { type AppConfig, ConfigModule, loadConfig } from '../../config/index.js';
import { Database, type DatabaseOptions, DbModule } from '../../db/index.js';
import { createScratchStorage } from '../../db/testing/scratch-database.js';
import type { AuthContext } from '../../identity/auth-context.js';
import { identityEntities, identityMigrations, IdentityModule } from '../../identity/index.js';
import { NovaNotifierModule } from '../../nova-notifier/nova-notifier.module.js';
import { ml2Entities, ml2Migrations, Ml2Module } from '../../plugin/ml2/ml2.module.js';
import { pluginEntities, pluginMigrations, PluginModule } from '../../plugin/plugin.module.js';
import { portEntities, portMigrations, PortsModule } from '../../plugin/ports/ports.module.js';
import { subnetEntities, subnetMigrations, SubnetsModule } from '../../plugin/subnets/subnets.module.js';
import { subnetPoolEntities, subnetPoolMigrations, SubnetPoolsModule } from '../../plugin/subnetpools/subnetpools.module.js';
import { quotaEntities, quotaMigrations, QuotasModule } from '../../quotas/quotas.module.js';
import { securityGroupEntities, securityGroupMigrations, SecurityGroupsModule } from '../../security-groups/security-groups.module.js';
import { DhcpAgentNotifier } from '../dhcp-agent-notifier.js';
import { dhcpSchedulerEntities, dhcpSchedulerMigrations, DhcpSchedulerModule } from '../dhcp-scheduler.module.js';

export type { Json };

/** What the DHCP scheduler stands on, domain by domain (module, entities, migrations), composed from libs/ only. */
const DOMAINS: [Type, DatabaseOptions['entities'], (new () => MigrationInterface)[]][] = [
  [IdentityModule, identityEntities, identityMigrations],
  [ApiModule, apiEntities, apiMigrations],
  [QuotasModule, quotaEntities, quotaMigrations],
  [PluginModule, pluginEntities, pluginMigrations],
  [SubnetPoolsModule, subnetPoolEntities, subnetPoolMigrations],
  [SubnetsModule, subnetEntities, subnetMigrations],
  [SecurityGroupsModule, securityGroupEntities, securityGroupMigrations],
  [PortsModule, portEntities, portMigrations],
  [Ml2Module, ml2Entities, ml2Migrations],
  [AgentsApiModule, agentEntities, agentMigrations],
  [AvailabilityZonesModule, [], []],
  [DhcpSchedulerModule, dhcpSchedulerEntities, dhcpSchedulerMigrations],
  [NovaNotifierModule, [], []],
];

@Module({})
class DhcpHarnessModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DhcpHarnessModule,
      imports: [
        ConfigModule.forRoot(config),
        BusModule.forRoot(config),
        DbModule.forRoot({ url: config.database.url, dataDir: config.data_dir, entities: DOMAINS.flatMap((d) => d[1]), migrations: DOMAINS.flatMap((d) => d[2]) }),
        ...DOMAINS.map((d) => d[0]),
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
  const call = inProcessCall(ctx.get(ResourceEngine), ctx.get(ResourceRegistry));
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
