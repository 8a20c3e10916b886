import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ScrapedMetric, type Sample } from './scraped-metric.js';

export type { Sample };

/** One metric of a scrape group: how its series come out of the group's data. */
export interface ScrapedSeries<T> {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples(data: T): Sample[];
}

/**
 * This process's metrics (one prom-client Registry per process, never prom-client's global one). Domains add
 * counters, gauges and histograms they update themselves, or scraped metrics read from their source at each scrape.
 */
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly scrapedMetrics: ScrapedMetric[] = [];
  /** Bumped by every scrape: a scrape group loads its data once per scrape however many metrics it feeds. */
  private scrapes = 0;

  constructor(readonly enabled: boolean) {}

  /** prom-client's process metrics: memory, CPU, event loop lag, handles, GC. Their timers run only when enabled. */
  collectProcessDefaults(): void {
    if (this.enabled) collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.existing(name) ?? new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return this.existing(name) ?? new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
    return this.existing(name) ?? new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** A metric whose series are read at each scrape (nothing kept between scrapes). */
  scraped(name: string, help: string, type: 'gauge' | 'counter', samples: () => Promise<Sample[]>): void {
    if (this.registry.getSingleMetric(name) || this.scrapedMetrics.some((m) => m.name === name)) {
      throw new Error(`metric ${name} is already registered`);
    }
    this.scrapedMetrics.push(new ScrapedMetric(name, help, type, samples));
  }

  /** Several scraped metrics fed by one load per scrape (one query for routers and floating IPs per agent). */
  scrapedGroup<T>(load: () => Promise<T>, series: readonly ScrapedSeries<T>[]): void {
    let loadedFor = -1;
    let data: Promise<T> | undefined;
    const once = () => {
      if (loadedFor !== this.scrapes || !data) {
        loadedFor = this.scrapes;
        data = load();
      }
      return data;
    };
    for (const s of series) this.scraped(s.name, s.help, s.type, async () => s.samples(await once()));
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * The Prometheus text exposition of every metric. prom-client writes NaN (the event loop lag statistics when no
   * sample was taken since the last scrape, 10 ms apart) as `Nan`: Prometheus reads any case, the format documents `NaN`.
   */
  async scrape(): Promise<string> {
    this.scrapes++;
    const [own, ...scraped] = await Promise.all([this.registry.metrics(), ...this.scrapedMetrics.map((m) => m.text())]);
    return [own.replace(/ Nan$/gm, ' NaN'), ...scraped].join('\n');
  }

  private existing<M>(name: string): M | undefined {
    return this.registry.getSingleMetric(name) as M | undefined;
  }
}
