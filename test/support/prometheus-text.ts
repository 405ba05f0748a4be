// Reads `/metrics` with a Prometheus text-format parser of its own (not prom-client), so a test sees what a
// Prometheus server would.
import parsePrometheusTextFormat from "parse-prometheus-text-format";

export interface MetricSample {
  labels?: Record<string, string>;
  value?: string;
  count?: string;
  sum?: string;
  buckets?: Record<string, string>;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: string;
  metrics: MetricSample[];
}

export class MetricsReading {
  readonly families: MetricFamily[];

  constructor(text: string) {
    this.families = parsePrometheusTextFormat(text) as MetricFamily[];
  }

  family(name: string): MetricFamily | undefined {
    return this.families.find((f) => f.name === name);
  }

  private samples(name: string, labels: Record<string, string>): MetricSample[] {
    return (this.family(name)?.metrics ?? []).filter((sample) =>
      Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value),
    );
  }

  /** A counter's or gauge's value summed over the samples whose labels include `labels`; 0 when there is none. */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.samples(name, labels).reduce((sum, sample) => sum + Number(sample.value ?? 0), 0);
  }

  /** A histogram's observation count over the matching samples. */
  count(name: string, labels: Record<string, string> = {}): number {
    return this.samples(name, labels).reduce((sum, sample) => sum + Number(sample.count ?? 0), 0);
  }

  /** How many observations of a histogram fell at or below `le` (the bucket's bound as written, e.g. "5"). */
  bucket(name: string, le: string, labels: Record<string, string> = {}): number {
    return this.samples(name, labels).reduce((sum, sample) => sum + Number(sample.buckets?.[le] ?? 0), 0);
  }

  /** A histogram's sum over the matching samples. */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.samples(name, labels).reduce((sum, sample) => sum + Number(sample.sum ?? 0), 0);
  }
}
