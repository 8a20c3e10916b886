/**
 * The metering agent at scale in the built appliance, started with its 128 MB heap: 1,000 labels in a project with
 * 320 routers (bulk creates, as an admin). Before RPC 1.1 the sync sent each router with every label copied in it
 * (320,000 labels in one message) and the agent held every router × label pair: the heap ran out and the appliance
 * died. Now it stays up, its metering agent alive and metering every label on every router, and /metrics exports
 * each label's counters.
 */
import { describe, expect, it } from 'vitest';
import { ScrapedText } from '../support/prometheus-text.js';
import { apiClient, expectStatus, type Json } from './support/http.js';
import { newProject, useAppliance } from './support/suite.js';
import { eventually } from './support/wait.js';

const ROUTERS = 320;
const LABELS = 1000;
const BATCH = 250;

describe('metering at scale (sqlite): 1,000 labels on 320 routers of one project', () => {
  const ctx = useAppliance('sqlite', { APPLIANCE__AGENTS__REPORT_INTERVAL: '1' });

  /** POST a list in one bulk create; the ids made. */
  async function bulk(path: string, collection: string, items: Json[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < items.length; i += BATCH) {
      const res = await ctx().admin.post(path, { [collection]: items.slice(i, i + BATCH) });
      expectStatus(res, 201);
      ids.push(...(res.body[collection] as Json[]).map((item) => item.id as string));
    }
    return ids;
  }

  it('stays up with its metering agent alive, metering every label on every router; /metrics has the counters', async () => {
    const { projectId } = await newProject(ctx(), 'meter-scale');
    expectStatus(await ctx().admin.put(`/v2.0/quotas/${projectId}`, { quota: { router: -1 } }), 200);
    await bulk('/v2.0/routers', 'routers', Array.from({ length: ROUTERS }, (_, i) => ({ name: `ms-r${i}`, project_id: projectId })));
    const labels = await bulk(
      '/v2.0/metering/metering-labels',
      'metering_labels',
      Array.from({ length: LABELS }, (_, i) => ({ name: `ms-l${i}`, project_id: projectId })),
    );
    const last = labels[labels.length - 1];
    expectStatus(await ctx().admin.post('/v2.0/metering/metering-label-rules', { metering_label_rule: { metering_label_id: last, direction: 'egress', remote_ip_prefix: '0.0.0.0/0' } }), 201);

    // the agent reports what it holds: every router, every label
    const agent = await eventually(
      async () => (await ctx().admin.get(`/v2.0/agents?agent_type=${encodeURIComponent('Metering agent')}`)).body.agents?.[0] as Json,
      (a) => a?.configurations?.routers === ROUTERS && a?.configurations?.metering_labels === LABELS,
      20_000,
    );
    expect(agent).toMatchObject({ alive: true, admin_state_up: true, configurations: { metering_driver: 'simulated', routers: ROUTERS, metering_labels: LABELS } });

    const text = await ScrapedText.parse((await apiClient(ctx().app.apiUrl, null).get('/metrics')).text);
    expect(text.value('neutron_metering_label_packets_total', { label_id: last, project_id: projectId })).toBe(0);
    expect(text.value('neutron_metering_label_bytes_total', { label_id: labels[0], project_id: projectId })).toBe(0);
    // still the same process, never out of memory
    expect(ctx().app.output()).not.toMatch(/heap out of memory|FATAL ERROR/);
    expectStatus(await ctx().admin.get(`/v2.0/routers?project_id=${projectId}&limit=1`), 200);
  });
});
