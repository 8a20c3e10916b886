// The core: labels × rules × routers → each router's counters and rule lines, the nft text that builds and changes
// them (golden file), the counters' JSON read back, and the counts added up between reports; each label compiled
// once and one list of labels per project, whatever the number of routers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compiledRouter, meterLabel, meterLabelId, meterRouter, meterRouterId } from '../testing/metered-routers.js';
import { MeterAccumulator } from './meter-accumulator.js';
import { LabelCatalog, meteredRouter, ruleLines } from './metering-state.js';
import { meteringChanges, parseCounters, renderMeteringTable } from './nft-ruleset.js';

const golden = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const R = meterRouterId(1);
const A = meterLabelId(1);
const B = meterLabelId(2);
const QG = 'qg-00000001-22';

/** The user story's label: all egress counted, 192.168.0.0/16 excluded (legacy remote_ip_prefix). */
const allEgress = meterLabel(A, [
  { direction: 'egress', remote_ip_prefix: '0.0.0.0/0' },
  { direction: 'egress', remote_ip_prefix: '192.168.0.0/16', excluded: true },
]);
const ingress = meterLabel(B, [
  { direction: 'ingress', source_ip_prefix: '203.0.113.0/24', destination_ip_prefix: '10.0.0.5/24' },
  { direction: 'ingress', destination_ip_prefix: '2001:db8::1/64' },
  { direction: 'egress', source_ip_prefix: '10.0.0.0/8', destination_ip_prefix: '2001:db8::/32' },
]);

describe('metering core', () => {
  it("turns rules into Neutron's matches: legacy remote is egress's source and ingress's destination, excluded first", () => {
    const router = compiledRouter(meterRouter(R), [allEgress, ingress]);
    expect(router).toMatchObject({ router_id: R, namespace: `qrouter-${R}`, gateway: QG });
    expect(router.labels.map((l) => ruleLines(l, router.gateway))).toEqual([
      [`ip saddr 192.168.0.0/16 oifname "${QG}" return`, `meta nfproto ipv4 oifname "${QG}" counter name "neutron-meter-l-${A}"`],
      [
        // host bits dropped; two families in one rule match nothing and are left out
        `ip saddr 203.0.113.0/24 ip daddr 10.0.0.0/24 iifname "${QG}" counter name "neutron-meter-l-${B}"`,
        `ip6 daddr 2001:db8::/64 iifname "${QG}" counter name "neutron-meter-l-${B}"`,
      ],
    ]);
    const ingressOnly = compiledRouter(meterRouter(R), [meterLabel(A, [{ direction: 'ingress', remote_ip_prefix: '10.1.0.0/16' }])]);
    expect(ruleLines(ingressOnly.labels[0], ingressOnly.gateway)).toEqual([
      `ip daddr 10.1.0.0/16 iifname "${QG}" counter name "neutron-meter-l-${A}"`,
    ]);
  });

  it('applies the shared labels and its project\'s to a router: one compiled label and one list per project', () => {
    const shared = meterLabel(A, [{ direction: 'egress', remote_ip_prefix: '0.0.0.0/0' }], { shared: true, project_id: 'admin' });
    const own = meterLabel(B, [{ direction: 'egress', remote_ip_prefix: '0.0.0.0/0' }], { project_id: 'p1' });
    const catalog = new LabelCatalog();
    catalog.set(own);
    catalog.set(shared);
    expect(catalog.forProject('p1').map((l) => l.id)).toEqual([A, B]);
    expect(catalog.forProject('p2').map((l) => l.id)).toEqual([A]);
    // the routers of a project share the list, and every list the label
    expect(catalog.forProject('p1')).toBe(catalog.forProject('p1'));
    expect(catalog.forProject('p1')[0]).toBe(catalog.forProject('p2')[0]);
    const r1 = meteredRouter(meterRouter(meterRouterId(1), { project_id: 'p1' }), catalog.forProject('p1'));
    const r2 = meteredRouter(meterRouter(meterRouterId(2), { project_id: 'p1', gw_port_id: null }), catalog.forProject('p1'));
    expect(r2.labels).toBe(r1.labels);
    // without a gateway the counters stay, with no rule feeding them
    expect(r2).toMatchObject({ gateway: null, labels: [{ id: A, project_id: 'admin' }, { id: B }] });
    expect(ruleLines(r2.labels[0], r2.gateway)).toEqual([]);
    expect(ruleLines(r1.labels[0], r1.gateway)).toEqual([`meta nfproto ipv4 oifname "qg-00000001-22" counter name "neutron-meter-l-${A}"`]);
    // the same label again keeps its object (a full sync changes nothing); a changed one is a new object
    const before = catalog.get(A);
    catalog.set(structuredClone(shared));
    expect(catalog.get(A)).toBe(before);
    catalog.set({ ...shared, rules: [] });
    expect(catalog.get(A)).not.toBe(before);
    catalog.delete(B);
    expect(catalog.forProject('p1').map((l) => l.id)).toEqual([A]);
  });

  it('renders the table (golden file) and builds a router from nothing in one transaction', () => {
    const router = compiledRouter(meterRouter(R), [allEgress, ingress]);
    expect(renderMeteringTable(router)).toBe(golden('router-two-labels.nft'));
    expect(meteringChanges(null, router)).toBe(golden('build-two-labels.nft'));
    expect(meteringChanges(router, router)).toBe('');
  });

  it('changes rules without re-creating counters, drops a label last, deletes the table with the router', () => {
    const before = compiledRouter(meterRouter(R), [allEgress, ingress]);
    const changed = compiledRouter(meterRouter(R), [meterLabel(A, [{ direction: 'egress', remote_ip_prefix: '0.0.0.0/0' }]), ingress]);
    expect(meteringChanges(before, changed)).toBe(
      [
        'add table inet neutron-meter',
        `flush chain inet neutron-meter neutron-meter-r-${A}`,
        `add rule inet neutron-meter neutron-meter-r-${A} meta nfproto ipv4 oifname "${QG}" counter name "neutron-meter-l-${A}"`,
        '',
      ].join('\n'),
    );
    const onlyB = compiledRouter(meterRouter(R), [ingress]);
    expect(meteringChanges(before, onlyB)).toBe(
      [
        'add table inet neutron-meter',
        'add chain inet neutron-meter neutron-meter-FORWARD { type filter hook forward priority filter; policy accept; }',
        'flush chain inet neutron-meter neutron-meter-FORWARD',
        `add rule inet neutron-meter neutron-meter-FORWARD jump neutron-meter-r-${B}`,
        `delete chain inet neutron-meter neutron-meter-r-${A}`,
        `delete counter inet neutron-meter neutron-meter-l-${A}`,
        '',
      ].join('\n'),
    );
    expect(meteringChanges(before, null)).toBe('delete table inet neutron-meter\n');
  });

  it("reads nft's counters JSON by label", () => {
    const json = JSON.stringify({
      nftables: [
        { metainfo: { version: '1.0.6' } },
        { counter: { family: 'inet', name: `neutron-meter-l-${A}`, table: 'neutron-meter', packets: 5, bytes: 640 } },
        { counter: { family: 'inet', name: 'someone-else', table: 'neutron-meter', packets: 1, bytes: 1 } },
      ],
    });
    expect(parseCounters(json)).toEqual(new Map([[A, { pkts: 5, bytes: 640 }]]));
  });

  it('adds counts up per label (or per label and router), reports and zeroes them, forgets idle ones', () => {
    const shared = meterLabel(A, [], { shared: true, project_id: 'admin' });
    const r1 = compiledRouter(meterRouter(meterRouterId(1)), [shared]);
    const r2 = compiledRouter(meterRouter(meterRouterId(2)), [shared]);
    const [label] = r1.labels;
    const legacy = new MeterAccumulator(false);
    legacy.add(r1, label, 5, 640, 100);
    legacy.add(r2, label, 1, 100, 100);
    legacy.add(r1, label, 1, 128, 130);
    expect(legacy.report('h', 130, 300)).toEqual([
      { label_id: A, project_id: 'admin', pkts: 7, bytes: 868, time: 30, first_update: 100, last_update: 130, host: 'h' },
    ]);
    expect(legacy.report('h', 200, 300)).toEqual([{ label_id: A, project_id: 'admin', pkts: 0, bytes: 0, time: 0, first_update: 100, last_update: 130, host: 'h' }]);
    expect(legacy.report('h', 431, 300)).toHaveLength(1);
    expect(legacy.size).toBe(0);
    const granular = new MeterAccumulator(true);
    granular.add(r1, label, 5, 640, 100);
    granular.add(r2, label, 1, 100, 100);
    expect(granular.report('h', 100, 300).map((p) => [p.router_id, p.pkts])).toEqual([
      [meterRouterId(1), 5],
      [meterRouterId(2), 1],
    ]);
  });
});
