import { getMetricsFromIterator, type PromHistogramData, type PromMetric, type PromMetrics } from 'prom2javascript';

type Series = { labels: Record<string, string>; value?: number; count?: number; sum?: number; buckets?: Record<string, number> };

/** A sample whose value is NaN: valid in the format, but a value prom2javascript does not read. */
const NAN_SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? NaN$/;

/**
 * A /metrics body read by a real Prometheus text-format parser (prom2javascript: it throws on a malformed line and
 * keeps each labelled histogram series apart). Its one gap: it does not read `NaN`, which prom-client writes for the
 * event loop lag statistics when no sample fell between two scrapes; such lines are matched exactly here and their
 * metric names kept in `nanSeries` (a malformed line still reaches the parser and fails).
 */
export class ScrapedText {
  private constructor(
    readonly text: string,
    private readonly metrics: PromMetrics,
    readonly nanSeries: ReadonlySet<string>,
  ) {}

  static async parse(text: string): Promise<ScrapedText> {
    const nan = new Set<string>();
    const lines = text.split('\n').filter((line) => {
      const m = NAN_SAMPLE.exec(line);
      if (m) nan.add(m[1]);
      return !m;
    });
    return new ScrapedText(text, await getMetricsFromIterator(lines[Symbol.iterator]()), nan);
  }

  get names(): string[] {
    return Object.keys(this.metrics);
  }

  family(name: string): PromMetric | undefined {
    return this.metrics[name];
  }

  /** The series of `name` whose labels include `labels`. */
  samples(name: string, labels: Record<string, string> = {}): Series[] {
    const data = (this.family(name)?.data ?? []) as Series[];
    return data.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  }

  /** The one series' value (a counter or gauge), or undefined when there is none. */
  value(name: string, labels: Record<string, string> = {}): number | undefined {
    return this.one(name, labels)?.value;
  }

  /** A histogram series (its count, sum and buckets), or undefined when there is none. */
  histogram(name: string, labels: Record<string, string> = {}): PromHistogramData | undefined {
    return this.one(name, labels) as PromHistogramData | undefined;
  }

  private one(name: string, labels: Record<string, string>): Series | undefined {
    const [sample, more] = this.samples(name, labels);
    if (more) throw new Error(`${name} ${JSON.stringify(labels)}: more than one series`);
    return sample;
  }
}
