import { afterAll, beforeAll } from 'vitest';
import { type Appliance, type Dialect, startAppliance } from './appliance.js';
import { adminCredentials, type ApiClient, apiClient, issueToken, type Json } from './http.js';
import { createProjectUser } from './identity.js';

export interface SuiteContext {
  app: Appliance;
  adminToken: string;
  /** Networking API client with an admin token (project admin). */
  admin: ApiClient;
}

/**
 * One appliance for the enclosing describe block: started in beforeAll, stopped (data dir and database removed) in
 * afterAll. Call the returned function inside tests.
 */
export function useAppliance(dialect: Dialect, env?: Record<string, string>): () => SuiteContext {
  let ctx: SuiteContext | undefined;
  beforeAll(async () => {
    const app = await startAppliance({ dialect, env });
    try {
      const adminToken = await issueToken(app.identityUrl, adminCredentials(app.adminPassword));
      ctx = { app, adminToken, admin: apiClient(app.apiUrl, adminToken) };
    } catch (e) {
      await app.stop();
      throw e;
    }
  });
  afterAll(async () => {
    await ctx?.app.stop();
  });
  return () => {
    if (!ctx) throw new Error(`the ${dialect} appliance did not start`);
    return ctx;
  };
}

let counter = 0;
/** A name unique within the run, so tests sharing an appliance never see each other's rows by accident. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/** POST /v2.0/networks and return the created network (fails the test on anything but 201). */
export async function createNetwork(client: ApiClient, attrs: Record<string, unknown> = {}): Promise<Json> {
  const res = await client.post('/v2.0/networks', { network: attrs });
  if (res.status !== 201) throw new Error(`create network ${JSON.stringify(attrs)}: ${res.status} ${res.text}`);
  return res.body.network;
}

/** A fresh project (unique name) with a member user; returns the user's API client and the project's id. */
export async function newProject(suite: SuiteContext, prefix: string): Promise<{ api: ApiClient; projectId: string }> {
  const name = uniqueName(prefix);
  const pu = await createProjectUser(suite.app, suite.adminToken, { project: name, user: `${name}-user` });
  return { api: apiClient(suite.app.apiUrl, pu.token), projectId: pu.projectId };
}

/**
 * A fixture several tests of a scenario use, made by whichever of them runs first (and only once), so that each test
 * also runs alone and none leans on another having run before it.
 */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}
