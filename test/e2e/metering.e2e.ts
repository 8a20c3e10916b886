// Metering with the real `openstack` CLI: the user story (a shared label counting all egress but
// 192.168.0.0/16), Neutron's answers to a bad rule, and the appliance's own metering agent (simulated driver)
// listed with `--agent-type metering` and metering the router of its host's L3 agent.
import { describe, expect, it, vi } from 'vitest';
import { DIALECTS } from './support/appliance.js';
import { cliFailure, cliFor } from './support/cli.js';
import { apiClient, type Json } from './support/http.js';
import { ScrapedText } from '../support/prometheus-text.js';
import { useAppliance } from './support/suite.js';

describe.each(DIALECTS)('metering (%s)', (dialect) => {
  // heartbeats every second: the agent's configurations (what it meters) show soon after a change
  const ctx = useAppliance(dialect, { APPLIANCE__AGENTS__REPORT_INTERVAL: '1' });
  const cli = () => cliFor(ctx().app);
  const os = (...args: string[]) => cli().openstack([...args, '-f', 'json']);
  const run = (...args: string[]) => cli().openstack(args);

  it('creates a shared label and its rules, lists and shows them, refuses an overlap, deletes the label with its rules', async () => {
    const label = await os('network', 'meter', 'create', '--share', 'all-egress');
    expect(label).toMatchObject({ name: 'all-egress', shared: true, description: '' });
    const all = await os('network', 'meter', 'rule', 'create', '--egress', '--remote-ip-prefix', '0.0.0.0/0', 'all-egress');
    expect(all).toMatchObject({ direction: 'egress', is_excluded: false, remote_ip_prefix: '0.0.0.0/0', metering_label_id: label.id });
    const excluded = await os('network', 'meter', 'rule', 'create', '--egress', '--exclude', '--remote-ip-prefix', '192.168.0.0/16', 'all-egress');
    expect(excluded).toMatchObject({ is_excluded: true, remote_ip_prefix: '192.168.0.0/16' });
    const bySource = await os('network', 'meter', 'rule', 'create', '--ingress', '--source-ip-prefix', '203.0.113.0/24', 'all-egress');
    expect(bySource).toMatchObject({ direction: 'ingress', source_ip_prefix: '203.0.113.0/24', remote_ip_prefix: null });

    const overlap = await cliFailure(run('network', 'meter', 'rule', 'create', '--egress', '--remote-ip-prefix', '10.0.0.0/8', 'all-egress'));
    expect(overlap.stderr).toContain("Metering label rule with remote_ip_prefix '10.0.0.0/8' overlaps another.");

    const rules: Json[] = await os('network', 'meter', 'rule', 'list');
    expect(rules.filter((r) => [all.id, excluded.id, bySource.id].includes(r.ID))).toHaveLength(3);
    expect(await os('network', 'meter', 'rule', 'show', excluded.id)).toMatchObject({ id: excluded.id, is_excluded: true });
    const labels: Json[] = await os('network', 'meter', 'list');
    // (this client's list reads `shared` from a resource attribute named is_shared: its Shared column is always empty)
    expect(labels).toEqual(expect.arrayContaining([expect.objectContaining({ ID: label.id, Name: 'all-egress' })]));

    await run('network', 'meter', 'delete', 'all-egress');
    const gone = await cliFailure(run('network', 'meter', 'rule', 'show', all.id));
    expect(gone.stderr).toContain(`No MeteringLabelRule found for ${all.id}`);
  });

  it('runs a metering agent that meters the router its host builds', async () => {
    const agents: Json[] = await os('network', 'agent', 'list', '--agent-type', 'metering');
    expect(agents).toEqual([expect.objectContaining({ 'Agent Type': 'Metering agent', Binary: 'neutron-metering-agent', Alive: true, State: true })]);
    const agentId = agents[0].ID;

    await os('network', 'create', '--provider-network-type', 'flat', '--provider-physical-network', 'public', '--external', 'm-public');
    await os('subnet', 'create', '--network', 'm-public', '--subnet-range', '172.24.7.0/24', '--no-dhcp', 'm-public-sub');
    await os('router', 'create', 'm-r1');
    await run('router', 'set', '--external-gateway', 'm-public', 'm-r1');
    const label = await os('network', 'meter', 'create', '--share', 'm-all');
    await os('network', 'meter', 'rule', 'create', '--egress', '--remote-ip-prefix', '0.0.0.0/0', 'm-all');
    // /metrics has the label's counters from its creation (0: the simulated driver counts nothing)...
    const series = { label_id: label.id, project_id: label.project_id };
    const scrape = async () => ScrapedText.parse((await apiClient(ctx().app.apiUrl, null).get('/metrics')).text);
    const withLabel = await scrape();
    expect(withLabel.value('neutron_metering_label_packets_total', series)).toBe(0);
    expect(withLabel.value('neutron_metering_label_bytes_total', series)).toBe(0);

    // The L3 agent hosts the router, and the metering agent keeps the label's counters there (it reports what it holds).
    await vi.waitFor(
      async () => expect((await os('network', 'agent', 'show', agentId)).configuration).toMatchObject({ metering_driver: 'simulated', routers: 1, metering_labels: 1 }),
      { timeout: 20_000, interval: 300 },
    );
    await run('network', 'meter', 'delete', 'm-all');
    // ... and its series go with it.
    expect((await scrape()).samples('neutron_metering_label_packets_total', { label_id: label.id })).toEqual([]);
    await vi.waitFor(async () => expect((await os('network', 'agent', 'show', agentId)).configuration).toMatchObject({ routers: 0, metering_labels: 0 }), {
      timeout: 20_000,
      interval: 300,
    });
    await run('router', 'unset', '--external-gateway', 'm-r1');
    await run('router', 'delete', 'm-r1');
  });
});
