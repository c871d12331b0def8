/** Latency summaries: exact percentiles over a sorted copy of the samples (fine at bench sizes). */

export interface Summary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** The nearest-rank value below which a share `q` of sorted values lie. */
function rank(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function summarize(samples: readonly number[]): Summary {
  if (!samples.length) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => rank(sorted, q);
  const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;
  return { count: sorted.length, mean, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1]! };
}

/** The median of a few runs' values (docs/benchmarks.md: each figure is the median of its rounds). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The value below which a share `q` of the values lie (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  return rank([...values].sort((a, b) => a - b), q);
}

/**
 * The standard error of the values' median, by bootstrap: the spread of the medians of
 * `resamples` resamples (drawn with replacement, from a fixed seed so a report is reproducible).
 */
export function medianStandardError(values: readonly number[], resamples = 1000): number {
  if (values.length < 2) return 0;
  let seed = 0x2545f491;
  const next = () => {
    // xorshift32: small, fast and good enough to draw indices
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const medians: number[] = [];
  const sample = new Array<number>(values.length);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < values.length; i++) sample[i] = values[Math.floor(next() * values.length)]!;
    medians.push(median(sample));
  }
  const mean = medians.reduce((a, m) => a + m, 0) / resamples;
  return Math.sqrt(medians.reduce((a, m) => a + (m - mean) ** 2, 0) / resamples);
}
