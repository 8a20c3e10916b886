import type { Histogram } from 'prom-client';
import type { MetricsRegistry } from './metrics-registry.js';

export const REQUEST_DURATION = 'neutron_api_request_duration_seconds';
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Observe = (seconds: number) => void;

/**
 * The API's request duration histogram, labelled by resource (a registered collection name, never a raw path with
 * ids: the label set stays bounded), method and status. The series' children are kept per label set, so an
 * observation costs a map lookup and prom-client's bucket update.
 */
export class HttpRequestMetrics {
  private readonly histogram: Histogram<'resource' | 'method' | 'status'>;
  private readonly children = new Map<string, Observe>();
  readonly enabled: boolean;

  constructor(metrics: MetricsRegistry) {
    this.enabled = metrics.enabled;
    this.histogram = metrics.histogram(
      REQUEST_DURATION,
      'Networking API request duration in seconds, by resource, method and status',
      ['resource', 'method', 'status'],
      BUCKETS,
    );
  }

  observe(resource: string, method: string, status: number, seconds: number): void {
    const key = `${resource} ${method} ${status}`;
    let child = this.children.get(key);
    if (!child) {
      const series = this.histogram.labels(resource, method, String(status));
      child = (s) => series.observe(s);
      this.children.set(key, child);
    }
    child(seconds);
  }
}
