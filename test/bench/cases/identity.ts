import { passwordAuth } from '../appliance.js';
import type { BenchCase } from '../types.js';

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
  ];
}
