/**
 * The server's modules (no agents, no listeners) on a scratch SQLite file or PostgreSQL database, for the DHCP
 * scheduler's specs. It composes the app, so it lives beside the app: a library never imports an app.
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServerModule } from '../server.module.js';
import { AgentHeartbeatsService } from '../../../libs/agents-api/agent-heartbeats.service.js';
import { AGENT_TYPES, type AgentState } from '../../../libs/rpc/agent-state.contract.js';
import { ResourceEngine } from '../../../libs/api/engine/resource-engine.js';
import { ResourceRegistry } from '../../../libs/api/engine/resource-registry.js';
import type { ApiRequest } from '../../../libs/api/engine/ports.js';
import { NeutronError } from '../../../libs/api/errors/neutron-error.js';
import { ADMIN_AUTH } from '../../../libs/api/testing/admin-context.js';
import { BUS, type Bus } from '../../../libs/bus/bus.contract.js';
import { loadConfig } from '../../../libs/config/index.js';
import { Database } from '../../../libs/db/index.js';
import { createScratchStorage } from '../../../libs/db/testing/scratch-database.js';
import type { AuthContext } from '../../../libs/identity/auth-context.js';
import { DhcpAgentNotifier } from '../../../libs/dhcp-scheduler/dhcp-agent-notifier.js';

export const ADMIN: AuthContext = ADMIN_AUTH;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

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
    app = await NestFactory.createApplicationContext(ServerModule.forRoot(config), { logger: false, abortOnError: false });
    await app.init();
  } catch (e) {
    await cleanup();
    throw e;
  }
  const ctx = app;
  const engine = ctx.get(ResourceEngine);
  const registry = ctx.get(ResourceRegistry);
  const heartbeats = ctx.get(AgentHeartbeatsService);
  return {
    db: ctx.get(Database),
    bus: ctx.get<Bus>(BUS),
    async call(method, path, body, auth = ADMIN) {
      const segments = path.split('/').filter(Boolean);
      const request: ApiRequest = {
        method,
        segments,
        query: {},
        rawBody: body === undefined ? undefined : JSON.stringify(body),
        headers: {},
        auth,
        pathUrl: `http://in-process/v2.0/${segments.join('/')}`,
      };
      try {
        const match = registry.match(segments);
        if (!match?.resource) throw new Error(`no resource at ${path}`);
        const [id, sub, ...more] = match.rest;
        const subResource = sub === undefined ? undefined : registry.subResource(match.resource.path, sub);
        const res = subResource ? await subResource(request, id, more) : await engine.handle(match.resource, request, match.rest);
        return { status: res.status, body: res.body };
      } catch (e) {
        if (e instanceof NeutronError) return { status: e.status, body: { NeutronError: { type: e.type, message: e.message } } };
        throw e;
      }
    },
    async reportDhcpAgent(host, extra = {}, at) {
      const state: AgentState = { ...AGENT_TYPES.dhcp, host, configurations: { networks: 0 }, availability_zone: 'nova', ...extra };
      return heartbeats.reportState({ agent_state: state, time: new Date().toISOString() }, at);
    },
    noticesSent: () => ctx.get(DhcpAgentNotifier).idle(),
    close: cleanup,
  };
}
