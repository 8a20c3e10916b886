import 'reflect-metadata';
import { type RunningIdentity, startIdentity } from '../../../libs/identity/testing/identity-harness.js';
import { KeystoneClient } from '../../../libs/identity/testing/keystone-client.js';
import { passwordAuth } from '../appliance.js';
import type { CaseResult } from '../runner.js';
import type { BenchCase, BenchContext, Target } from '../types.js';

const CACHED = 'identity.cached';

/** The identity module in the bench process (its own SQLite in a temp dir) and a token it has validated once. */
async function startCached(ctx: BenchContext): Promise<void> {
  await stopCached(ctx);
  const identity = await startIdentity();
  const token = await new KeystoneClient(identity.origin).token('admin', 'admin', 'admin');
  await identity.services.tokens.validate(token);
  ctx.state.set(CACHED, { identity, token });
}

async function stopCached(ctx: BenchContext): Promise<void> {
  const cached = ctx.state.get(CACHED) as { identity: RunningIdentity } | undefined;
  ctx.state.delete(CACHED);
  await cached?.identity.close();
}

/**
 * libs/identity/token.service.spec.ts checks that a cached token is validated without bcrypt and without the
 * database; how fast that is (1,000 validations in under 50 ms, so a p50 under 0.05 ms) is measured here.
 */
export function identityTargets(cases: CaseResult[]): Target[] {
  const c = cases.find((r) => r.id === 'token.validate.cached' && r.count > 0 && !r.failed);
  const limit = 0.05;
  return [{ id: 'token.validate.cached.p50', title: 'cached token validation in-process p50', unit: 'ms', limit, measured: c ? c.p50Ms : null, met: c ? c.p50Ms < limit : null, reference: '-' }];
}

/** Keystone stub costs: issuing tokens (a password hash each) and validating them (must be cheap). */
export function identityCases(adminPassword: string): BenchCase[] {
  return [
    {
      id: 'http.healthcheck',
      title: 'GET /healthcheck (no auth, floor)',
      count: 1000,
      concurrency: 1,
      request: () => ({ method: 'GET', path: '/healthcheck', token: null, expect: 200 }),
    },
    {
      // The floor under port create c8: the same concurrency, an answer with no database, auth or body behind it.
      id: 'http.healthcheck.c8',
      title: 'GET /healthcheck c8 (no auth, floor)',
      count: 5000,
      concurrency: 8,
      request: () => ({ method: 'GET', path: '/healthcheck', token: null, expect: 200 }),
    },
    {
      id: 'token.issue.password',
      title: 'token issue, password',
      count: 20,
      concurrency: 1,
      request: () => ({ target: 'identity', method: 'POST', path: '/v3/auth/tokens', token: null, body: passwordAuth(adminPassword), expect: 201 }),
    },
    {
      id: 'token.issue.token',
      title: 'token issue, token method',
      count: 200,
      concurrency: 1,
      request: (ctx) => ({
        target: 'identity',
        method: 'POST',
        path: '/v3/auth/tokens',
        token: null,
        body: { auth: { identity: { methods: ['token'], token: { id: ctx.token } }, scope: { project: { id: ctx.projectId } } } },
        expect: 201,
      }),
    },
    {
      id: 'token.validate',
      title: 'token validate (GET /v3/auth/tokens)',
      count: 1000,
      concurrency: 1,
      request: (ctx) => ({
        target: 'identity',
        method: 'GET',
        path: '/v3/auth/tokens',
        headers: { 'x-subject-token': ctx.token },
        expect: 200,
      }),
    },
    {
      id: 'token.validate.cached',
      title: 'token validate, cached, in-process (no HTTP)',
      count: 1000,
      concurrency: 1,
      prepare: (ctx) => startCached(ctx),
      exchange: async (ctx) => {
        const { identity, token } = ctx.state.get(CACHED) as { identity: RunningIdentity; token: string };
        await identity.services.tokens.validate(token);
      },
      finish: (ctx) => stopCached(ctx),
    },
  ];
}
