/**
 * `GET /metrics` of the built appliance, read by a real Prometheus text-format parser: no token, the request duration
 * histogram per resource, method and status, the agents as `openstack network agent list` shows them, what the L3
 * agent hosts, DHCP replies served, the database pool and the process defaults; `metrics.enabled: false` turns it off.
 * The set-up goes through the API (the CLI costs a second a call); the agents are compared with the real CLI.
 */
import { describe, expect, it } from 'vitest';
import { LoopbackDhcpClient } from '../../libs/agents/dhcp/testing/loopback-dhcp-client.js';
import { ScrapedText } from '../support/prometheus-text.js';
import { DIALECTS } from './support/appliance.js';
import { cliFor } from './support/cli.js';
import { apiClient, created, expectNeutronError, expectStatus, type Json } from './support/http.js';
import { useAppliance } from './support/suite.js';
import { eventually } from './support/wait.js';

const OWN_HOST = 'metrics-node';
const REQUESTS = 'neutron_api_request_duration_seconds';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-/;

describe.each(DIALECTS)('/metrics (%s)', (dialect) => {
  const ctx = useAppliance(dialect, { APPLIANCE_AGENT_HOST: OWN_HOST, APPLIANCE__AGENTS__REPORT_INTERVAL: '0.5' });
  const api = () => ctx().admin;
  /** Scraped with no token at all. */
  const scrape = async (): Promise<ScrapedText> => {
    const res = await apiClient(ctx().app.apiUrl, null).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return ScrapedText.parse(res.text);
  };
  const requests = (text: ScrapedText, labels: Record<string, string>) => text.histogram(REQUESTS, labels)?.count ?? 0;
  const put = async (path: string, body: unknown) => expectStatus(await api().put(path, body), 200);

  it('answers without a token: the process defaults and the database pool', async () => {
    const text = await scrape();
    expect(text.value('process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(text.family('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    expect(text.value('neutron_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(text.value('neutron_db_pool_connections', { state: 'waiting' })).toBeGreaterThanOrEqual(0);
  });

  it('counts requests per resource, method and status, never per id', async () => {
    const before = await scrape();
    const nets: Json[] = [];
    for (const name of ['metrics-n1', 'metrics-n2', 'metrics-n3']) nets.push(await created(api().post('/v2.0/networks', { network: { name } }), 'network'));
    expectNeutronError(await api().get('/v2.0/networks/00000000-0000-0000-0000-000000000000'), 404, 'NetworkNotFound', /could not be found/);
    expectStatus(await api().put(`/v2.0/networks/${nets[0].id}/tags/red`, undefined), 201);
    const after = await scrape();

    const delta = (labels: Record<string, string>) => requests(after, labels) - requests(before, labels);
    expect(delta({ resource: 'networks', method: 'POST', status: '201' })).toBe(3);
    expect(delta({ resource: 'networks', method: 'GET', status: '404' })).toBe(1);
    expect(delta({ resource: 'networks/tags', method: 'PUT', status: '201' })).toBe(1);
    expect(after.family(REQUESTS)?.type).toBe('histogram');
    for (const series of after.samples(REQUESTS)) expect(series.labels.resource).not.toMatch(UUID);
    for (const net of nets) expectStatus(await api().del(`/v2.0/networks/${net.id}`), 204);
  });

  it('shows each agent by type, host and alive as `openstack network agent list` does', async () => {
    const agents = (await cliFor(ctx().app).openstack(['network', 'agent', 'list', '-f', 'json'])) as Json[];
    expect(agents.map((a) => a['Agent Type']).sort()).toEqual(['DHCP agent', 'L3 agent', 'Linux bridge agent', 'Linux bridge agent', 'Metering agent']);
    const text = await scrape();
    expect(text.samples('neutron_agents')).toHaveLength(agents.length);
    for (const a of agents) {
      expect(text.value('neutron_agents', { agent_type: a['Agent Type'], host: a.Host, alive: String(a.Alive) })).toBe(1);
    }
  });

  it('counts the routers and floating IPs the L3 agent hosts, and the DHCP replies served', async () => {
    const hosted = async () => {
      const text = await scrape();
      return [text.value('neutron_l3_agent_routers', { host: OWN_HOST }), text.value('neutron_l3_agent_floatingips', { host: OWN_HOST })];
    };
    expect(await hosted()).toEqual([0, 0]);

    const pub = await created(
      api().post('/v2.0/networks', { network: { name: 'metrics-public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } }),
      'network',
    );
    await created(api().post('/v2.0/subnets', { subnet: { network_id: pub.id, ip_version: 4, cidr: '172.24.9.0/24', enable_dhcp: false } }), 'subnet');
    const net = await created(api().post('/v2.0/networks', { network: { name: 'metrics-net' } }), 'network');
    const sub = await created(api().post('/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.9.0.0/24' } }), 'subnet');
    const mac = 'fa:16:3e:9e:00:01';
    const vm = await created(
      api().post('/v2.0/ports', { port: { network_id: net.id, mac_address: mac, 'binding:host_id': OWN_HOST, device_owner: 'compute:nova', device_id: 'vm-metrics' } }),
      'port',
    );
    const router = await created(api().post('/v2.0/routers', { router: { name: 'metrics-r1', external_gateway_info: { network_id: pub.id } } }), 'router');
    await put(`/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: sub.id });
    const fip = await created(api().post('/v2.0/floatingips', { floatingip: { floating_network_id: pub.id, port_id: vm.id } }), 'floatingip');
    expect(await hosted()).toEqual([1, 1]);

    // a guest takes its lease from the appliance's DHCP agent (simulated driver, a loopback UDP port): OFFER + ACK
    const before = await scrape();
    const dhcp = (await api().get('/v2.0/agents?agent_type=DHCP%20agent')).body.agents[0];
    const client = await LoopbackDhcpClient.open(dhcp.configurations.dhcp_port);
    try {
      const ack = await eventually(() => client.lease(mac, 300), (a) => a?.type === 'ACK', 15_000);
      expect(ack?.type).toBe('ACK');
    } finally {
      await client.close();
    }
    const after = await scrape();
    const replies = (text: ScrapedText, type: string) => text.value('neutron_dhcp_replies_total', { type }) ?? 0;
    expect(replies(after, 'offer') - replies(before, 'offer')).toBeGreaterThanOrEqual(1);
    expect(replies(after, 'ack') - replies(before, 'ack')).toBe(1);

    expectStatus(await api().del(`/v2.0/floatingips/${fip.id}`), 204);
    expect(await hosted()).toEqual([1, 0]);
    await put(`/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: sub.id });
    expectStatus(await api().del(`/v2.0/routers/${router.id}`), 204);
    expect(await hosted()).toEqual([0, 0]);
  });
});

describe('/metrics turned off by metrics.enabled (sqlite)', () => {
  const ctx = useAppliance('sqlite', { APPLIANCE__METRICS__ENABLED: 'false' });

  it('is a 404 like any unknown path, with a token or without', async () => {
    expectNeutronError(await apiClient(ctx().app.apiUrl, null).get('/metrics'), 404, 'HTTPNotFound', 'The resource could not be found.');
    expectNeutronError(await ctx().admin.get('/metrics'), 404, 'HTTPNotFound', 'The resource could not be found.');
  });
});
