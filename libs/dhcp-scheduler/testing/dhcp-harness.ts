/**
 * The server's domains up to the DHCP scheduler (no agents, no listeners) on a scratch SQLite file
 * or PostgreSQL database, for DHCP specs.
 */
import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { agentsApiDomain } from '../../agents-api/agents-api.module.js';
import { AgentHeartbeatsService } from '../../agents-api/agent-heartbeats.service.js';
import { ResourceEngine } from '../../api/engine/resource-engine.js';
import { apiDomain } from '../../api/index.js';
import { ADMIN_AUTH } from '../../api/testing/admin-context.js';
import { inProcessCall, type Json } from '../../api/testing/in-process-call.js';
import { availabilityZonesDomain } from '../../availability-zones/availability-zones.module.js';
import { BUS, type Bus } from '../../bus/bus.contract.js';
import { BusModule } from '../../bus/bus.module.js';
import { type AppConfig, ConfigModule, loadConfig } from '../../config/index.js';
import { Database, DbModule, type Domain, entitiesOf, migrationsOf } from '../../db/index.js';
import { createScratchStorage } from '../../db/testing/scratch-database.js';
import type { AuthContext } from '../../identity/auth-context.js';
import { identityDomain } from '../../identity/identity.module.js';
import { novaNotifierDomain } from '../../nova-notifier/nova-notifier.module.js';
import { allowedAddressPairsDomain } from '../../plugin/allowed-address-pairs/allowed-address-pairs.module.js';
import { extraDhcpOptsDomain } from '../../plugin/extra-dhcp-opts/extra-dhcp-opts.module.js';
import { ml2Domain } from '../../plugin/ml2/ml2.module.js';
import { networksDomain } from '../../plugin/plugin.module.js';
import { portSecurityDomain } from '../../plugin/port-security/port-security.module.js';
import { portsDomain } from '../../plugin/ports/ports.module.js';
import { subnetPoolsDomain } from '../../plugin/subnetpools/subnetpools.module.js';
import { subnetsDomain } from '../../plugin/subnets/subnets.module.js';
import { quotasDomain } from '../../quotas/quotas.module.js';
import { AGENT_TYPES, type AgentState } from '../../rpc/agent-state.contract.js';
import { securityGroupsDomain } from '../../security-groups/security-groups.module.js';
import { DhcpAgentNotifier } from '../dhcp-agent-notifier.js';
import { dhcpSchedulerDomain } from '../dhcp-scheduler.module.js';

export type { Json };

/** What the DHCP scheduler stands on: the server's domains up to it (no agents, no listeners), composed from libs/. */
const DOMAINS: readonly Domain[] = [
  identityDomain,
  apiDomain,
  quotasDomain,
  networksDomain,
  subnetPoolsDomain,
  subnetsDomain,
  securityGroupsDomain,
  portsDomain,
  allowedAddressPairsDomain,
  ml2Domain,
  extraDhcpOptsDomain,
  portSecurityDomain,
  availabilityZonesDomain,
  agentsApiDomain,
  dhcpSchedulerDomain,
  novaNotifierDomain,
];

@Module({})
class DhcpHarnessModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DhcpHarnessModule,
      imports: [
        ConfigModule.forRoot(config),
        BusModule.forRoot(config),
        DbModule.forRoot({ url: config.database.url, dataDir: config.data_dir, entities: entitiesOf(DOMAINS), migrations: migrationsOf(DOMAINS) }),
        ...DOMAINS.map((d) => d.module),
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
