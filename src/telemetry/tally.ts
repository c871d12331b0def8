/**
 * prom-client metrics that cost almost nothing per observation. prom-client's `inc(labels)` and
 * `observe(labels, v)` validate the labels, hash them into a string and look the series up on
 * every call (a closure and two objects per histogram observation): a few µs per request on the
 * decision path, where a cached decision takes about as much. Here a series is bound once to a
 * tally, which only adds numbers; prom-client reads the tallies when /metrics is scraped (its
 * `collect` hook), so the exposition is exactly what the same calls to prom-client would give.
 */
import { Counter, Histogram, type CounterConfiguration, type HistogramConfiguration, type LabelValues } from 'prom-client';

export interface CounterSeries {
  inc(): void;
}

export interface HistogramSeries {
  observe(value: number): void;
}

interface CounterTally {
  readonly labels: LabelValues<string>;
  count: number;
}

interface HistogramTally {
  readonly labels: LabelValues<string>;
  /** Per upper bound, in prom-client's bucket order; observations above every bound count nowhere but in `count`. */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

/** prom-client's own record of one histogram series (lib/histogram.js createBaseValues). */
interface HistogramEntry {
  readonly labels: LabelValues<string>;
  readonly bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

/**
 * Series looked up by their label values, in the metric's label order (no labels object, no key
 * string per call): a tree of maps, one level per label.
 */
class SeriesTree<S> {
  private readonly root = new Map<unknown, unknown>();

  constructor(
    private readonly labelNames: readonly string[],
    private readonly make: (labels: LabelValues<string>) => S,
  ) {}

  at(values: readonly (string | number)[]): S {
    if (values.length !== this.labelNames.length) throw new Error(`expected ${this.labelNames.length} label values, got ${values.length}`);
    let node = this.root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]) as Map<unknown, unknown> | undefined;
      if (!next) node.set(values[i], (next = new Map()));
      node = next;
    }
    let series = node.get(values[last]) as S | undefined;
    if (series === undefined) {
      const labels: LabelValues<string> = {};
      this.labelNames.forEach((name, i) => (labels[name] = String(values[i])));
      node.set(values[last], (series = this.make(labels)));
    }
    return series;
  }
}

/** The label names prom-client's constructor stored on the metric (not in its typings). */
const labelNamesOf = (metric: object): readonly string[] => (metric as { labelNames: string[] }).labelNames;

const sameLabels = (a: LabelValues<string>, b: LabelValues<string>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

/** A Counter whose series can be bound to tallies; `inc(labels)` keeps working as in prom-client. */
export class TalliedCounter<T extends string> extends Counter<T> {
  private readonly tallies: CounterTally[] = [];
  private readonly tree = new SeriesTree<CounterSeries>(labelNamesOf(this), (labels) => this.series(labels as LabelValues<T>));

  constructor(config: Omit<CounterConfiguration<T>, 'collect'>) {
    super({
      ...config,
      collect(this: Counter<T>) {
        (this as TalliedCounter<T>).fold();
      },
    });
  }

  override reset(): void {
    super.reset();
    for (const t of this.tallies ?? []) t.count = 0; // undefined while prom-client's constructor resets
  }

  /** Adds the tallies into prom-client's series. */
  private fold(): void {
    for (const t of this.tallies) {
      if (t.count === 0) continue;
      this.inc(t.labels as LabelValues<T>, t.count);
      t.count = 0;
    }
  }

  /** The series with these label values (in label order, numbers as their decimal text), made once. */
  seriesAt(...values: (string | number)[]): CounterSeries {
    return this.tree.at(values);
  }

  /** The series with these labels, for callers that increment it often. */
  series(labels: LabelValues<T>): CounterSeries {
    const tally: CounterTally = { labels: { ...labels }, count: 0 };
    this.tallies.push(tally);
    return {
      inc: () => {
        tally.count++;
      },
    };
  }
}

/** A Histogram whose series can be bound to tallies; `observe(labels, v)` keeps working as in prom-client. */
export class TalliedHistogram<T extends string> extends Histogram<T> {
  private readonly tallies: HistogramTally[] = [];
  private readonly tree = new SeriesTree<HistogramSeries>(labelNamesOf(this), (labels) => this.series(labels as LabelValues<T>));
  /**
   * prom-client's upper bounds, as a typed array: every series' `observe` is one closure site whose
   * feedback all the histograms share, and over their plain arrays its element loads went through
   * V8's generic keyed-load stub, ~400 instructions an observation (callgrind); a Float64Array
   * load is one inline instruction whatever histogram it belongs to.
   */
  private readonly bounds: Float64Array;

  constructor(config: Omit<HistogramConfiguration<T>, 'collect'>) {
    super({
      ...config,
      collect(this: Histogram<T>) {
        (this as TalliedHistogram<T>).fold();
      },
    });
    this.bounds = Float64Array.from((this as unknown as { upperBounds: number[] }).upperBounds);
  }

  override reset(): void {
    super.reset();
    for (const t of this.tallies ?? []) {
      t.buckets.fill(0);
      t.sum = 0;
      t.count = 0;
    }
  }

  /** The series with these label values (in label order, numbers as their decimal text), made once. */
  seriesAt(...values: (string | number)[]): HistogramSeries {
    return this.tree.at(values);
  }

  /** The series with these labels, for callers that observe it often. */
  series(labels: LabelValues<T>): HistogramSeries {
    const tally: HistogramTally = { labels: { ...labels }, buckets: new Float64Array(this.bounds.length), sum: 0, count: 0 };
    this.tallies.push(tally);
    const bounds = this.bounds;
    return {
      observe(value: number) {
        if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
        for (let i = 0; i < bounds.length; i++) {
          if (value <= bounds[i]!) {
            tally.buckets[i]!++;
            break;
          }
        }
        tally.sum += value;
        tally.count++;
      },
    };
  }

  /** Adds the tallies into prom-client's series records (created as prom-client would, by zero()). */
  private fold(): void {
    const records = () => Object.values((this as unknown as { hashMap: Record<string, HistogramEntry> }).hashMap);
    for (const t of this.tallies) {
      if (t.count === 0) continue;
      let entry = records().find((e) => sameLabels(e.labels, t.labels));
      if (!entry) {
        this.zero(t.labels as LabelValues<T>);
        entry = records().find((e) => sameLabels(e.labels, t.labels))!;
      }
      this.bounds.forEach((bound, i) => {
        entry.bucketValues[bound] = (entry.bucketValues[bound] ?? 0) + t.buckets[i]!;
        t.buckets[i] = 0;
      });
      entry.sum += t.sum;
      entry.count += t.count;
      t.sum = 0;
      t.count = 0;
    }
  }
}
