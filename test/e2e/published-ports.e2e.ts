// A container publishing its ports elsewhere (`docker run -p 59696:9696 -p 55000:5000`): the catalog must give the
// published URLs (api.public_endpoint, identity.public_endpoint, Keystone's public_endpoint), else every client
// follows the catalog to the container's own ports. Here TCP forwarders stand in for Docker's port publishing.
import { createServer, type Server, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Appliance, freePort, startAppliance } from './support/appliance.js';
import { cliFor } from './support/cli.js';
import { adminCredentials, issueToken } from './support/http.js';

interface Forwarder {
  url: string;
  connections: number;
  close(): Promise<void>;
}

async function forward(port: number, to: string): Promise<Forwarder> {
  const target = new URL(to);
  const sockets = new Set<import('node:net').Socket>();
  const state = { connections: 0 };
  const server: Server = createServer((client) => {
    state.connections++;
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return state.connections;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((ok) => server.close(() => ok()));
    },
  };
}

describe('ports published elsewhere, with api.public_endpoint and identity.public_endpoint', () => {
  let app: Appliance;
  let api: Forwarder;
  let identity: Forwarder;

  beforeAll(async () => {
    const [apiPort, identityPort] = [await freePort(), await freePort()];
    app = await startAppliance({
      dialect: 'sqlite',
      env: {
        APPLIANCE_API_PUBLIC_ENDPOINT: `http://127.0.0.1:${apiPort}/`,
        APPLIANCE_IDENTITY_PUBLIC_ENDPOINT: `http://127.0.0.1:${identityPort}`,
      },
    });
    api = await forward(apiPort, app.apiUrl);
    identity = await forward(identityPort, app.identityUrl);
  });
  afterAll(async () => {
    await api?.close();
    await identity?.close();
    await app?.stop();
  });

  it('the catalog and Keystone links give the published URLs', async () => {
    const res = await fetch(`${identity.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: app.adminPassword } } },
          scope: { project: { name: 'admin', domain: { id: 'default' } } },
        },
      }),
    });
    expect(res.status).toBe(201);
    const catalog = ((await res.json()) as { token: { catalog: unknown } }).token.catalog as { type: string; endpoints: { url: string }[] }[];
    const urls = (type: string) => [...new Set(catalog.find((s) => s.type === type)!.endpoints.map((e) => e.url))];
    expect(urls('network')).toEqual([api.url]);
    expect(urls('identity')).toEqual([`${identity.url}/v3/`]);
    const version = (await (await fetch(`${identity.url}/v3`)).json()) as { version: { links: { href: string }[] } };
    expect(version.version.links[0].href).toBe(`${identity.url}/v3/`);
    expect((await fetch(`${app.apiUrl}/v2.0/networks`)).headers.get('www-authenticate')).toBe(`Keystone uri="${identity.url}/v3"`);
  });

  it('the openstack CLI, given only the published identity URL, reaches the API through the published port', async () => {
    const before = api.connections;
    const cli = cliFor({ ...app, identityUrl: identity.url });
    const net = await cli.openstack(['network', 'create', 'published', '-f', 'json']);
    expect(net.name).toBe('published');
    const list = await cli.openstack(['network', 'list', '-f', 'json']);
    expect(list.map((n: { Name: string }) => n.Name)).toContain('published');
    expect(api.connections).toBeGreaterThan(before);
  });

  it('a token issued through the published identity URL works on the API', async () => {
    const token = await issueToken(identity.url, adminCredentials(app.adminPassword));
    expect((await fetch(`${api.url}/v2.0/networks`, { headers: { 'X-Auth-Token': token } })).status).toBe(200);
  });
});
