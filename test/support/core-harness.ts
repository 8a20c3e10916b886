/**
 * The core of the server for specs: identity, the API engine, quotas and the plug-in's resources (networks, subnets,
 * ports, security groups, ML2) on a scratch SQLite file, without HTTP listeners, agents or DHCP scheduling.
 * Requests go through the same registry and engine as /v2.0 does, so specs assert on what a client would see.
 * One harness per spec file; tests keep apart by using fresh project ids (`newProject`), not fresh databases.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll } from 'vitest';
import { ResourceEngine } from '../../libs/api/engine/resource-engine.js';
import { ResourceRegistry } from '../../libs/api/engine/resource-registry.js';
import { toJson } from '../../libs/api/http/api.controller.js';
import type { QueryParams } from '../../libs/api/request/list-params.js';
import { ADMIN_AUTH } from '../../libs/api/testing/admin-context.js';
import { inProcessCall } from '../../libs/api/testing/in-process-call.js';
import { BusModule } from '../../libs/bus/bus.module.js';
import { ConfigModule, loadConfig } from '../../libs/config/index.js';
import { DbModule, type Domain, entitiesOf, migrationsOf } from '../../libs/db/index.js';
import { CORE_DOMAINS } from '../../libs/server/server-domains.js';
import { createScratchStorage } from '../../libs/db/testing/scratch-database.js';
import type { AuthContext } from '../../libs/identity/auth-context.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface CallOptions {
  body?: unknown;
  query?: QueryParams;
  headers?: Record<string, string>;
  /** Who calls: the cloud admin unless given (see `member`). */
  auth?: AuthContext;
}

export interface ApiAnswer {
  status: number;
  body: Json;
}

export interface CoreHarness {
  /** A request below /v2.0 (`'networks'`, `'ports/{id}'`, `'quotas/{project}'`) as a client makes it, without HTTP. */
  call(method: string, path: string, opts?: CallOptions): Promise<ApiAnswer>;
  /** POST `{<resource>: attrs}` to a collection (`'networks'`) and return the created item; throws on anything but 201. */
  create(collection: string, attrs: Json, auth?: AuthContext): Promise<Json>;
  /** GET a pagination link (`<collection>_links[].href`) as a client follows it. */
  follow(href: string, auth?: AuthContext): Promise<ApiAnswer>;
  /** The application, for a spec that needs a provider (the Database's query count, say). */
  app: INestApplicationContext;
  close(): Promise<void>;
}

/** A project id no other test uses, so tests sharing one harness never see each other's rows or quotas. */
export function newProject(): string {
  return randomUUID().replaceAll('-', '');
}

/** A member (non-admin) of `projectId`, as a token of a user with the member role resolves. */
export function member(projectId: string): AuthContext {
  return {
    ...ADMIN_AUTH,
    token_id: `token-${projectId}`,
    user_id: `user-${projectId}`,
    user_name: `user-${projectId}`,
    project_id: projectId,
    project_name: `project-${projectId}`,
    roles: ['member', 'reader'],
    is_admin: false,
  };
}

/** The error a client would read from a NeutronError answer: [status, type, message]. */
export function errorOf(res: ApiAnswer): [number, string, string] {
  return [res.status, res.body?.NeutronError?.type, res.body?.NeutronError?.message];
}

/** `extraDomains`: more domains after the server's (a spec's own fragment or subscriber, as a new domain would add it). */
export async function openCoreHarness(
  label = 'core_spec',
  extraDomains: readonly Domain[] = [],
  dialect: 'sqlite' | 'postgres' = 'sqlite',
): Promise<CoreHarness> {
  const domains = [...CORE_DOMAINS, ...extraDomains];
  const storage = await createScratchStorage(dialect, label);
  const config = loadConfig({
    argv: [],
    env: { APPLIANCE_DATA_DIR: storage.dataDir, APPLIANCE_DATABASE_URL: storage.url, APPLIANCE_LOG_LEVEL: 'silent' },
  });
  let app: INestApplicationContext | undefined;
  const close = async () => {
    await app?.close();
    await storage.remove();
  };
  try {
    app = await NestFactory.createApplicationContext(
      {
        module: class CoreHarnessModule {},
        imports: [
          ConfigModule.forRoot(config),
          BusModule.forRoot(config),
          DbModule.forRoot({
            url: storage.url,
            dataDir: config.data_dir,
            entities: entitiesOf(domains),
            migrations: migrationsOf(domains),
          }),
          ...domains.map((d) => d.module),
        ],
      },
      { logger: false, abortOnError: false },
    );
    await app.init();
  } catch (e) {
    await close();
    throw e;
  }
  const engine = app.get(ResourceEngine);
  const registry = app.get(ResourceRegistry);

  const routed = inProcessCall(engine);
  const call = async (method: string, path: string, opts: CallOptions = {}): Promise<ApiAnswer> => answer(await routed(method, path, opts));

  return {
    call,
    async create(collection, attrs, auth) {
      const resource = registry.resourceAt(collection)?.name;
      if (!resource) throw new Error(`no resource at ${collection}`);
      const res = await call('POST', collection, { body: { [resource]: attrs }, auth });
      if (res.status !== 201) throw new Error(`create ${resource} ${JSON.stringify(attrs)}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body[resource];
    },
    follow(href, auth) {
      const url = new URL(href);
      const query: QueryParams = {};
      for (const [key, value] of url.searchParams) {
        const had = query[key];
        query[key] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
      }
      return call('GET', url.pathname.replace(/^\/v2\.0\//, ''), { query, auth });
    },
    app,
    close,
  };
}

/** The engine's answer as it would cross the wire (JSON round trip, so bodies compare as a client parses them). */
function answer(res: { status: number; body?: unknown }): ApiAnswer {
  return { status: res.status, body: res.body === undefined ? undefined : JSON.parse(toJson(res.body)) };
}

/** One harness for the enclosing describe block (opened in beforeAll, closed in afterAll); call the getter in tests. */
export function useCoreHarness(label?: string, extraDomains: readonly Domain[] = [], dialect: 'sqlite' | 'postgres' = 'sqlite'): () => CoreHarness {
  let harness: CoreHarness | undefined;
  beforeAll(async () => {
    harness = await openCoreHarness(label, extraDomains, dialect);
  });
  afterAll(async () => {
    await harness?.close();
  });
  return () => {
    if (!harness) throw new Error('the core harness did not open');
    return harness;
  };
}
