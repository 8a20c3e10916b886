import { describe, expect, it } from 'vitest';
import { ScrapedText } from '../../test/support/prometheus-text.js';
import { HttpRequestMetrics, REQUEST_DURATION } from './http-request-metrics.js';
import { exportMeteringLabels, METERING_BYTES, METERING_PACKETS, type MeteringLabelTotals } from './metering-label-metrics.js';
import { MetricsRegistry } from './metrics-registry.js';

const scrape = async (metrics: MetricsRegistry) => ScrapedText.parse(await metrics.scrape());

describe('MetricsRegistry', () => {
  it('exports its own metrics only, in text a Prometheus parser reads', async () => {
    const metrics = new MetricsRegistry(true);
    metrics.counter('neutron_test_things_total', 'Things', ['kind']).inc({ kind: 'a' }, 3);
    metrics.gauge('neutron_test_level', 'Level').set(7);
    // a second registry (another appliance in the same process) does not see the first one's series
    const other = new MetricsRegistry(true);
    other.counter('neutron_test_things_total', 'Things', ['kind']).inc({ kind: 'b' });

    const text = await scrape(metrics);
    expect(text.family('neutron_test_things_total')?.type).toBe('counter');
    expect(text.value('neutron_test_things_total', { kind: 'a' })).toBe(3);
    expect(text.value('neutron_test_things_total', { kind: 'b' })).toBeUndefined();
    expect(text.value('neutron_test_level')).toBe(7);
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('gives the same metric to a second registration of its name', () => {
    const metrics = new MetricsRegistry(true);
    expect(metrics.counter('neutron_test_total', 'x')).toBe(metrics.counter('neutron_test_total', 'x'));
  });

  it('adds the process defaults: memory and event loop lag', async () => {
    const metrics = new MetricsRegistry(true);
    metrics.collectProcessDefaults();
    // the event loop delay monitor samples every 10 ms; before its first sample its statistics are NaN
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = await scrape(metrics);
    expect(text.value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text.family('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    expect(text.value('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
  });

  it('reads a scraped metric anew at each scrape, and a group loads once per scrape', async () => {
    const metrics = new MetricsRegistry(true);
    let hosts = ['a', 'b'];
    let loads = 0;
    metrics.scrapedGroup(
      async () => {
        loads++;
        return hosts;
      },
      [
        { name: 'neutron_test_hosts', help: 'h', type: 'gauge', samples: (hs) => hs.map((host) => ({ labels: { host }, value: 1 })) },
        { name: 'neutron_test_host_count', help: 'n', type: 'gauge', samples: (hs) => [{ labels: {}, value: hs.length }] },
      ],
    );
    expect((await scrape(metrics)).samples('neutron_test_hosts').map((s) => s.labels?.host)).toEqual(['a', 'b']);
    expect(loads).toBe(1);
    hosts = ['b'];
    const second = await scrape(metrics);
    expect(second.samples('neutron_test_hosts').map((s) => s.labels?.host)).toEqual(['b']);
    expect(second.value('neutron_test_host_count')).toBe(1);
    expect(loads).toBe(2);
  });
});

describe('metering label series (the metering domain plugs in a totals provider)', () => {
  it('exports packets and bytes per label, with router_id in granular mode; a deleted label disappears', async () => {
    const metrics = new MetricsRegistry(true);
    let totals: MeteringLabelTotals[] = [
      { label_id: 'l1', project_id: 'p1', pkts: 10, bytes: 1500 },
      { label_id: 'l2', project_id: 'p2', router_id: 'r1', pkts: 3, bytes: 180 },
      { label_id: 'l2', project_id: 'p2', router_id: 'r2', pkts: 4, bytes: 240 },
    ];
    let calls = 0;
    exportMeteringLabels(metrics, async () => {
      calls++;
      return totals;
    });

    const first = await scrape(metrics);
    expect(calls).toBe(1); // one provider call feeds both counters
    expect(first.family(METERING_PACKETS)?.type).toBe('counter');
    expect(first.samples(METERING_PACKETS, { label_id: 'l1' })).toEqual([{ labels: { label_id: 'l1', project_id: 'p1' }, value: 10 }]);
    expect(first.value(METERING_BYTES, { label_id: 'l1', project_id: 'p1' })).toBe(1500);
    expect(first.value(METERING_PACKETS, { label_id: 'l2', router_id: 'r2' })).toBe(4);
    expect(first.value(METERING_BYTES, { label_id: 'l2', router_id: 'r1' })).toBe(180);

    totals = totals.filter((t) => t.label_id !== 'l1');
    const second = await scrape(metrics);
    expect(second.samples(METERING_PACKETS, { label_id: 'l1' })).toEqual([]);
    expect(second.samples(METERING_BYTES, { label_id: 'l1' })).toEqual([]);
    expect(second.samples(METERING_BYTES).length).toBe(2);
  });
});

describe('HttpRequestMetrics', () => {
  it('counts each request in its resource, method and status series', async () => {
    const metrics = new MetricsRegistry(true);
    const http = new HttpRequestMetrics(metrics);
    http.observe('networks', 'POST', 201, 0.004);
    http.observe('networks', 'POST', 201, 0.02);
    http.observe('networks', 'GET', 200, 0.001);
    const text = await scrape(metrics);
    expect(text.family(REQUEST_DURATION)?.type).toBe('histogram');
    const post = text.histogram(REQUEST_DURATION, { resource: 'networks', method: 'POST', status: '201' });
    expect(post?.count).toBe(2);
    expect(post?.sum).toBeCloseTo(0.024);
    expect(post?.buckets['0.005']).toBe(1);
    expect(post?.buckets['0.025']).toBe(2);
    expect(text.histogram(REQUEST_DURATION, { resource: 'networks', method: 'GET', status: '200' })?.count).toBe(1);
  });
});
