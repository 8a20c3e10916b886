// What survives a restart and that SIGTERM lets an in-flight request finish. How fast the appliance is back
// (spawn to the first authenticated 200 under a second on SQLite) is the bench's start.first-authenticated-200 target.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DIALECTS, type ReadyProbe } from './support/appliance.js';
import { apiClient, expectStatus, issueToken } from './support/http.js';
import { createNetwork, uniqueName, useAppliance } from './support/suite.js';

describe.each(DIALECTS)('persistence and lifecycle (%s)', (dialect) => {
  const ctx = useAppliance(dialect);

  it('keeps networks and already-issued tokens across a restart', async () => {
    const { app, admin } = ctx();
    const net = await createNetwork(admin, { name: uniqueName('durable'), description: 'kept' });
    // A token issued (and used) before the restart; after it only the database can vouch for it.
    const oldToken = await issueToken(app.identityUrl, { user: 'admin', password: app.adminPassword, project: 'admin' });
    expectStatus(await apiClient(app.apiUrl, oldToken).get('/v2.0/networks'), 200);

    // Measured from spawn to the first 200 on GET /v2.0/networks carrying the token issued before the restart.
    const firstAuthenticated200: ReadyProbe = async ({ apiUrl }) => {
      const res = await fetch(`${apiUrl}/v2.0/networks`, { headers: { 'X-Auth-Token': oldToken } });
      if (res.status === 401) throw new Error(`the token issued before the restart was rejected: 401 ${await res.text()}`);
      return res.status === 200;
    };
    const startMs = await app.restart(firstAuthenticated200);
    console.info(`[${dialect}] spawn → first authenticated 200 with a pre-restart token: ${Math.round(startMs)} ms`);

    const api = apiClient(app.apiUrl, oldToken);
    const shown = await api.get(`/v2.0/networks/${net.id}`);
    expectStatus(shown, 200);
    expect(shown.body.network).toMatchObject({ id: net.id, name: net.name, description: 'kept', revision_number: net.revision_number });

    const tokenCheck = await fetch(`${app.identityUrl}/v3/auth/tokens`, { headers: { 'X-Auth-Token': oldToken, 'X-Subject-Token': oldToken } });
    expect(tokenCheck.status).toBe(200);
  });

  it('finishes a request that is in flight when SIGTERM arrives, then exits 0', async () => {
    const { app } = ctx();
    const token = await issueToken(app.identityUrl, { user: 'admin', password: app.adminPassword, project: 'admin' });
    const name = uniqueName('in-flight');
    const body = Buffer.from(JSON.stringify({ network: { name, description: 'x'.repeat(200) } }));
    const url = new URL(`${app.apiUrl}/v2.0/networks`);
    let exited: Promise<number | null> | undefined;

    // Send the headers and half the body, deliver SIGTERM, then the rest: the server is mid-request when told to stop.
    const response = new Promise<{ status: number; text: string }>((ok, fail) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json', 'Content-Length': body.length } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => ok({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', fail);
      req.write(body.subarray(0, 100));
      setTimeout(() => {
        exited = app.terminate();
        setTimeout(() => req.end(body.subarray(100)), 300);
      }, 300);
    });

    const res = await response;
    expect(res.status, res.text).toBe(201);
    expect(JSON.parse(res.text).network.name).toBe(name);
    expect(await exited).toBe(0);

    await app.restart();
    const token2 = await issueToken(app.identityUrl, { user: 'admin', password: app.adminPassword, project: 'admin' });
    const found = await apiClient(app.apiUrl, token2).get(`/v2.0/networks?name=${name}`);
    expect(found.body.networks.map((n: { name: string }) => n.name)).toEqual([name]);
  });
});
