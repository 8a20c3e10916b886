import type { MetricsRegistry } from './metrics-registry.js';

/** A metering label's traffic totals as the metering domain knows them (per router in granular mode). */
export interface MeteringLabelTotals {
  label_id: string;
  project_id: string;
  /** Only in granular mode: the same label on two routers is two series. */
  router_id?: string;
  pkts: number;
  bytes: number;
}

export type MeteringLabelTotalsProvider = () => Promise<readonly MeteringLabelTotals[]>;

export const METERING_PACKETS = 'neutron_metering_label_packets_total';
export const METERING_BYTES = 'neutron_metering_label_bytes_total';

/**
 * The metering domain's plug: `neutron_metering_label_packets_total` and `neutron_metering_label_bytes_total`
 * (counters, labels `label_id`, `project_id`, and `router_id` when given), their series rebuilt from the provider at
 * every scrape, so a deleted label's series disappear. One provider call per scrape feeds both.
 */
export function exportMeteringLabels(metrics: MetricsRegistry, totals: MeteringLabelTotalsProvider): void {
  const labels = (t: MeteringLabelTotals): Record<string, string> =>
    t.router_id === undefined ? { label_id: t.label_id, project_id: t.project_id } : { label_id: t.label_id, project_id: t.project_id, router_id: t.router_id };
  metrics.scrapedGroup(totals, [
    {
      name: METERING_PACKETS,
      help: 'Packets counted by a metering label since it was created',
      type: 'counter',
      samples: (rows) => rows.map((t) => ({ labels: labels(t), value: t.pkts })),
    },
    {
      name: METERING_BYTES,
      help: 'Bytes counted by a metering label since it was created',
      type: 'counter',
      samples: (rows) => rows.map((t) => ({ labels: labels(t), value: t.bytes })),
    },
  ]);
}
