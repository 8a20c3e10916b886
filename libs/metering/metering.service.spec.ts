// Metering labels and rules as clients see them: Neutron's fields, validation, errors and policy; the agents' sync
// data (RPC 2.0: labels with their rules once, by keyset pages; a host's routers), the notices naming labels; the
// totals the agents' reports add up.
import { describe, expect, it, vi } from 'vitest';
import { errorOf, type Json, member, newProject, useCoreHarness } from '../../test/support/core-harness.js';
import { BUS, type Bus } from '../bus/bus.contract.js';
import { PLUGIN_TOPIC } from '../rpc/agent-state.contract.js';
import {
  L3_METER_EVENT,
  METERING_AGENT_TOPIC,
  METERING_NOTIFICATIONS_TOPIC,
  type MeteringLabelsPage,
  type MeteringRoutersPage,
} from '../rpc/metering-agent.contract.js';
import { MeteringTotals } from './metering-totals.service.js';

const LABELS = 'metering/metering-labels';
const RULES = 'metering/metering-label-rules';

describe('metering', () => {
  const h = useCoreHarness('metering_spec');
  const label = (attrs: Json = {}, auth?: Parameters<ReturnType<typeof h>['create']>[2]) => h().create(LABELS, { name: 'l', ...attrs }, auth);
  const rule = (attrs: Json) => h().call('POST', RULES, { body: { metering_label_rule: attrs } });

  it('creates, shows, lists and deletes a label with Neutron fields', async () => {
    const project = newProject();
    const created = await label({ name: 'all-egress', description: 'd', shared: true, tenant_id: project });
    expect(created).toEqual({ id: expect.any(String), name: 'all-egress', description: 'd', shared: true, tenant_id: project, project_id: project });
    const shown = await h().call('GET', `${LABELS}/${created.id}`);
    expect(shown.body.metering_label).toEqual(created);
    const listed = await h().call('GET', LABELS, { query: { tenant_id: project } });
    expect(listed.body.metering_labels).toEqual([created]);
    // the un-prefixed path routes too, as in Neutron
    expect((await h().call('GET', `metering-labels/${created.id}`)).body.metering_label).toEqual(created);
    expect((await h().call('DELETE', `${LABELS}/${created.id}`)).status).toBe(204);
    expect(errorOf(await h().call('GET', `${LABELS}/${created.id}`))).toEqual([404, 'MeteringLabelNotFound', `Metering label '${created.id}' does not exist.`]);
  });

  it('refuses what Neutron refuses on labels: a long name, an update, a non-admin create', async () => {
    const long = await h().call('POST', LABELS, { body: { metering_label: { name: 'x'.repeat(256) } } });
    expect(errorOf(long)[0]).toBe(400);
    const l = await label();
    const put = await h().call('PUT', `${LABELS}/${l.id}`, { body: { metering_label: { name: 'n' } } });
    expect(errorOf(put)).toEqual([400, 'HTTPBadRequest', 'Cannot update read-only attribute name']);
    const auth = member(newProject());
    const denied = await h().call('POST', LABELS, { body: { metering_label: { name: 'mine' } }, auth });
    expect(errorOf(denied)).toEqual([403, 'PolicyNotAuthorized', 'rule:create_metering_label is disallowed by policy']);
  });

  it('shows a project its own labels (reader) but not their rules, and nothing of other projects', async () => {
    const project = newProject();
    const mine = await label({ tenant_id: project });
    const other = await label({ tenant_id: newProject() });
    const r = await rule({ metering_label_id: mine.id, direction: 'egress', remote_ip_prefix: '10.0.0.0/8' });
    const auth = member(project);
    const listed = await h().call('GET', LABELS, { auth });
    expect(listed.body.metering_labels.map((x: Json) => x.id)).toEqual([mine.id]);
    expect((await h().call('GET', `${LABELS}/${other.id}`, { auth })).status).toBe(404);
    expect((await h().call('GET', `${RULES}/${r.body.metering_label_rule.id}`, { auth })).status).toBe(404);
    expect(errorOf(await h().call('DELETE', `${LABELS}/${mine.id}`, { auth }))[0]).toBe(403);
  });

  it('creates rules with Neutron fields and no tenant, normalises prefixes, deletes them with their label', async () => {
    const l = await label();
    const res = await rule({ metering_label_id: l.id, direction: 'egress', remote_ip_prefix: '0.0.0.0/0' });
    expect(res.status).toBe(201);
    expect(res.body.metering_label_rule).toEqual({
      id: expect.any(String),
      metering_label_id: l.id,
      direction: 'egress',
      excluded: false,
      remote_ip_prefix: '0.0.0.0/0',
      source_ip_prefix: null,
      destination_ip_prefix: null,
    });
    const src = await rule({ metering_label_id: l.id, direction: 'ingress', source_ip_prefix: '10.0.0.1', destination_ip_prefix: '2001:db8::/64' });
    expect(src.body.metering_label_rule).toMatchObject({ source_ip_prefix: '10.0.0.1/32', destination_ip_prefix: '2001:db8::/64' });
    const excluded = await rule({ metering_label_id: l.id, direction: 'egress', excluded: true, remote_ip_prefix: '192.168.0.0/16' });
    expect(excluded.status).toBe(201);
    const listed = await h().call('GET', RULES, { query: { metering_label_id: l.id, direction: 'egress' } });
    expect(listed.body.metering_label_rules).toHaveLength(2);
    await h().call('DELETE', `${LABELS}/${l.id}`);
    const after = await h().call('GET', RULES, { query: { metering_label_id: l.id } });
    expect(after.body.metering_label_rules).toEqual([]);
  });

  it("answers Neutron's errors for rules", async () => {
    const l = await label();
    await rule({ metering_label_id: l.id, direction: 'egress', remote_ip_prefix: '10.0.0.0/8' });
    expect(errorOf(await rule({ metering_label_id: l.id, direction: 'egress', remote_ip_prefix: '10.1.0.0/16' }))).toEqual([
      409,
      'MeteringLabelRuleOverlaps',
      "Metering label rule with remote_ip_prefix '10.1.0.0/16' overlaps another.",
    ]);
    // another direction, or excluded, is no overlap
    expect((await rule({ metering_label_id: l.id, direction: 'ingress', remote_ip_prefix: '10.1.0.0/16' })).status).toBe(201);
    expect((await rule({ metering_label_id: l.id, direction: 'egress', excluded: true, remote_ip_prefix: '10.1.0.0/16' })).status).toBe(201);
    expect(errorOf(await rule({ metering_label_id: l.id, direction: 'egress', remote_ip_prefix: '10.0.0.0/8', source_ip_prefix: '1.0.0.0/8' }))).toEqual([
      400,
      'Invalid',
      "Cannot use 'remote-ip-prefix' in conjunction with 'source-ip-prefix' or 'destination-ip-prefix'.",
    ]);
    expect(errorOf(await rule({ metering_label_id: l.id, direction: 'egress' }))).toEqual([
      400,
      'Invalid',
      "You must define at least one of the following parameters 'remote_ip_prefix', or 'source_ip_prefix' or 'destination_ip_prefix'.",
    ]);
    expect(errorOf(await rule({ metering_label_id: l.id, direction: 'egress', source_ip_prefix: '10.0.0.0/33' }))).toEqual([
      400,
      'Invalid',
      "source_ip_prefix: 10.0.0.0/33 is invalid ['10.0.0.0/33' does not appear to be an IPv4 or IPv6 interface].",
    ]);
    const missing = '2b4b1b1e-0000-4000-8000-000000000000';
    expect(errorOf(await rule({ metering_label_id: missing, direction: 'egress', remote_ip_prefix: '1.0.0.0/8' }))).toEqual([
      404,
      'MeteringLabelNotFound',
      `Metering label '${missing}' does not exist.`,
    ]);
    expect(errorOf(await rule({ metering_label_id: l.id, direction: 'up', remote_ip_prefix: '1.0.0.0/8' }))[0]).toBe(400);
  });

  it('gives the agents the labels with their rules once, by keyset pages or by ids, in two queries a page; notices name the label', async () => {
    const project = newProject();
    const bus = h().app.get<Bus>(BUS);
    const notices: { method: string; payload: unknown }[] = [];
    const methods = ['add_metering_label', 'remove_metering_label', 'add_metering_label_rule', 'remove_metering_label_rule'];
    const sub = await bus.subscribe(METERING_AGENT_TOPIC, Object.fromEntries(methods.map((m) => [m, (payload: unknown) => void notices.push({ method: m, payload })])), { fanout: true });
    const shared = await label({ shared: true, tenant_id: newProject() });
    const own = await label({ tenant_id: project });
    const other = await label({ tenant_id: project });
    const ruled = await rule({ metering_label_id: own.id, direction: 'ingress', remote_ip_prefix: '10.0.0.0/8' });
    const labelsCall = (p: object) => bus.call<MeteringLabelsPage>(PLUGIN_TOPIC, 'get_metering_labels', { host: 'h', ...p });
    const byIds = await labelsCall({ label_ids: [own.id, shared.id, '0b4b1b1e-0000-4000-8000-00000000000f'] });
    expect(byIds.next).toBeNull();
    expect(byIds.labels.map((l) => l.id)).toEqual([own.id, shared.id].sort());
    expect(byIds.labels.find((l) => l.id === own.id)).toEqual({
      id: own.id,
      name: 'l',
      shared: false,
      project_id: project,
      rules: [expect.objectContaining({ id: ruled.body.metering_label_rule.id, direction: 'ingress', remote_ip_prefix: '10.0.0.0/8', excluded: false })],
    });
    expect(byIds.labels.find((l) => l.id === shared.id)).toMatchObject({ shared: true, rules: [] });
    // every label once, pages of two: each starts after the last id of the one before
    const { Database } = await import('../db/index.js');
    const db = h().app.get(Database);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    const before = db.queryCount;
    do {
      const page = await labelsCall({ limit: 2, ...(after ? { after } : {}) });
      expect(page.labels.length).toBeLessThanOrEqual(2);
      seen.push(...page.labels.map((l) => l.id));
      after = page.next ?? undefined;
      pages++;
    } while (after);
    expect(db.queryCount - before).toBeLessThanOrEqual(2 * pages);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([shared.id, own.id, other.id]));
    // no L3 agent on that host: no routers
    expect(await bus.call<MeteringRoutersPage>(PLUGIN_TOPIC, 'get_metering_routers', { host: 'nowhere' })).toEqual({ routers: [], next: null });
    await expect(bus.call(PLUGIN_TOPIC, 'get_metering_routers', { router_ids: [] })).rejects.toThrow('host is required');
    await expect(labelsCall({ limit: 0 })).rejects.toThrow('limit must be a positive integer');

    await h().call('DELETE', `${RULES}/${ruled.body.metering_label_rule.id}`);
    await h().call('DELETE', `${LABELS}/${own.id}`);
    await vi.waitFor(() => expect(notices.map((n) => n.method)).toContain('remove_metering_label'));
    await sub.close();
    expect(notices.filter((n) => (n.payload as { label_ids: string[] }).label_ids[0] === own.id)).toEqual([
      { method: 'add_metering_label', payload: { label_ids: [own.id] } },
      { method: 'add_metering_label_rule', payload: { label_ids: [own.id] } },
      { method: 'remove_metering_label_rule', payload: { label_ids: [own.id] } },
      { method: 'remove_metering_label', payload: { label_ids: [own.id] } },
    ]);
    await h().call('DELETE', `${LABELS}/${shared.id}`);
    await h().call('DELETE', `${LABELS}/${other.id}`);
  });

  it('adds the reports up per label (and router), drops a deleted label\'s', async () => {
    const totals = h().app.get(MeteringTotals);
    const bus = h().app.get<Bus>(BUS);
    const project = newProject();
    const a = await label({ tenant_id: project });
    const b = await label({ tenant_id: project });
    const report = (label_id: string, pkts: number, bytes: number, router_id?: string) =>
      bus.call(METERING_NOTIFICATIONS_TOPIC, L3_METER_EVENT, {
        event_type: L3_METER_EVENT,
        payload: { label_id, project_id: project, pkts, bytes, time: 30, first_update: 1, last_update: 31, host: 'h', ...(router_id ? { router_id } : {}) },
      });
    await report(a.id, 5, 640);
    await report(a.id, 2, 256);
    await report(b.id, 1, 100, 'r-1');
    await report('0b4b1b1e-0000-4000-8000-000000000000', 9, 9);
    const mine = (await totals.list()).filter((t) => t.project_id === project);
    expect(mine).toEqual(
      [
        { label_id: a.id, project_id: project, pkts: 7, bytes: 896 },
        { label_id: b.id, project_id: project, router_id: 'r-1', pkts: 1, bytes: 100 },
      ].sort((x, y) => (x.label_id < y.label_id ? -1 : 1)),
    );
    await h().call('DELETE', `${LABELS}/${a.id}`);
    expect((await totals.list()).filter((t) => t.project_id === project).map((t) => t.label_id)).toEqual([b.id]);
  });
});
