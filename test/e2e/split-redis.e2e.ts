// The split deployment: neutron-server and an L2 agent as separate processes on the machine's real Redis and
// PostgreSQL. A port is bound through them; a killed agent goes alive=false and, restarted, resyncs; a Nova event
// queued while Nova is down survives a server restart.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, type Appliance, freePort, startAgentProcess, startAppliance } from './support/appliance.js';
import { adminCredentials, type ApiClient, apiClient, expectStatus, issueToken, type Json } from './support/http.js';
import { type FakeNova, startFakeNova } from './support/nova.js';
import { eventually } from './support/wait.js';

const REDIS_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379';
const HOST = 'split-compute';
const INSTANCE = '7d4b1c2e-1f3a-4b5c-8d6e-9f0a1b2c3d4e';

describe('split deployment over Redis (neutron-server + L2 agent processes, PostgreSQL)', () => {
  const prefix = `e2e-split-${process.pid}-${randomBytes(3).toString('hex')}`;
  const busEnv = {
    APPLIANCE_BUS_TRANSPORT: 'redis',
    APPLIANCE_REDIS_URL: REDIS_URL,
    APPLIANCE__BUS__REDIS_PREFIX: prefix,
    APPLIANCE__AGENTS__REPORT_INTERVAL: '1',
    APPLIANCE__AGENTS__AGENT_DOWN_TIME: '3',
  };
  let server: Appliance;
  let agent: AgentProcess;
  let nova: FakeNova;
  let novaPort: number;
  let admin: ApiClient;
  let net: Json;

  const startAgent = () => startAgentProcess(['--type', 'l2', '--host', HOST], busEnv);
  const showPort = async (id: string) => (await admin.get(`/v2.0/ports/${id}`)).body.port;
  const agentRow = async () => (await admin.get(`/v2.0/agents?host=${HOST}`)).body.agents[0];
  /** Records the server's fanouts to the agents on Redis (whether or not an agent listens). */
  const listenToFanouts = async () => {
    const redis = new Redis(REDIS_URL);
    const seen: { method: string; payload: Json }[] = [];
    redis.on('pmessage', (_pattern: string, _channel: string, text: string) => seen.push(JSON.parse(text)));
    await redis.psubscribe(`${prefix}:fanout:*`);
    return { seen, close: () => redis.quit().then(() => undefined) };
  };

  beforeAll(async () => {
    novaPort = await freePort();
    nova = await startFakeNova(novaPort);
    server = await startAppliance({
      dialect: 'postgres',
      shape: 'neutron-server',
      env: { ...busEnv, APPLIANCE_NOVA_URL: `http://127.0.0.1:${novaPort}`, APPLIANCE__NOVA__SEND_EVENTS_INTERVAL: '0.1' },
    });
    admin = apiClient(server.apiUrl, await issueToken(server.identityUrl, adminCredentials(server.adminPassword)));
    agent = startAgent();
    const res = await admin.post('/v2.0/networks', { network: { name: 'split-net' } });
    expectStatus(res, 201);
    net = res.body.network;
    expectStatus(await admin.post('/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.30.0.0/24', ip_version: 4 } }), 201);
  });

  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await server?.stop();
    await nova?.stop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('the agent process registers over Redis and shows alive', async () => {
    const row = await eventually(agentRow, (a) => a?.alive === true);
    expect(row, server.output() + agent.output()).toMatchObject({ agent_type: 'Linux bridge agent', host: HOST, alive: true });
  });

  it('a port bound to the agent host is wired by the agent process and goes ACTIVE; Nova hears vif-plugged', async () => {
    const res = await admin.post('/v2.0/ports', {
      port: { network_id: net.id, device_owner: 'compute:nova', device_id: INSTANCE, 'binding:host_id': HOST },
    });
    expectStatus(res, 201);
    expect(res.body.port['binding:vif_type']).toBe('bridge');
    const port = await eventually(() => showPort(res.body.port.id), (p) => p.status === 'ACTIVE');
    expect(port.status, agent.output()).toBe('ACTIVE');
    expect(await nova.waitForEvent({ name: 'network-vif-plugged', tag: port.id })).toMatchObject({ server_uuid: INSTANCE, status: 'completed' });
  });

  it('a killed agent goes alive=false; restarted, it comes back and resyncs what changed meanwhile', async () => {
    const res = await admin.post('/v2.0/ports', { port: { network_id: net.id, 'binding:host_id': HOST } });
    const id = res.body.port.id;
    await eventually(() => showPort(id), (p) => p.status === 'ACTIVE');
    expectStatus(await admin.put(`/v2.0/ports/${id}`, { port: { admin_state_up: false } }), 200);
    expect((await eventually(() => showPort(id), (p) => p.status === 'DOWN')).status).toBe('DOWN');

    await agent.stop('SIGKILL');
    expect((await eventually(agentRow, (a) => a.alive === false, 10_000)).alive).toBe(false);
    // Enabled while no agent listens: the fanout is lost; only the restarted agent's resync can bring it up.
    const fanouts = await listenToFanouts();
    try {
      expectStatus(await admin.put(`/v2.0/ports/${id}`, { port: { admin_state_up: true } }), 200);
      const sent = await eventually(async () => fanouts.seen, (seen) => seen.some((n) => n.method === 'port_update' && n.payload.port_id === id));
      expect(sent.find((n) => n.payload.port_id === id), 'the port_update fanout was sent').toMatchObject({ payload: { admin_state_up: true } });
    } finally {
      await fanouts.close();
    }
    expect((await showPort(id)).status).toBe('DOWN');

    agent = startAgent();
    expect((await eventually(agentRow, (a) => a.alive === true)).alive).toBe(true);
    const port = await eventually(() => showPort(id), (p) => p.status === 'ACTIVE');
    expect(port.status, agent.output()).toBe('ACTIVE');
  });

  it('a Nova event queued while Nova is down is delivered after a server restart (BullMQ on Redis)', async () => {
    const res = await admin.post('/v2.0/ports', {
      port: { network_id: net.id, device_owner: 'compute:nova', device_id: INSTANCE, 'binding:host_id': HOST },
    });
    const id = res.body.port.id;
    await eventually(() => showPort(id), (p) => p.status === 'ACTIVE');
    await nova.stop();
    expectStatus(await admin.del(`/v2.0/ports/${id}`), 204);
    await new Promise((r) => setTimeout(r, 400)); // batched, enqueued, first delivery refused
    expect(await server.terminate()).toBe(0);

    nova = await startFakeNova(novaPort);
    await server.restart();
    const event = await nova.waitForEvent({ name: 'network-vif-deleted', tag: id }, 30_000);
    expect(event.server_uuid).toBe(INSTANCE);
    expect(nova.events().filter((e) => e.tag === id && e.name === 'network-vif-deleted')).toHaveLength(1);
  });
});
