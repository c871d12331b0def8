/**
 * Seeded randomness for the benchmark: a small fast PRNG (mulberry32) and a Zipf sampler, so the
 * dataset and the request mix are the same on every run with the same seed.
 */

/** A deterministic random source. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Picks by weight: `weighted([['a', 3], ['b', 1]])` gives 'a' three times as often. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [value, w] of choices) {
      if ((x -= w) < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }

  /**
   * An index picked by weight, from the first `count` weights (all by default): the same draw as
   * `weighted` over those weights, without building a list of choices (the dataset generator
   * picks 100k roles).
   */
  weightedIndex(weights: readonly number[], count = weights.length): number {
    let total = 0;
    for (let i = 0; i < count; i++) total += weights[i]!;
    let x = this.next() * total;
    for (let i = 0; i < count; i++) {
      if ((x -= weights[i]!) < 0) return i;
    }
    return count - 1;
  }
}

/** Zipf(s) over ranks 0..n-1 by inverse CDF on a precomputed table (rank 0 is the hottest). */
export class Zipf {
  private readonly cdf: Float64Array;

  constructor(n: number, s = 1.0) {
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let k = 0; k < n; k++) this.cdf[k] = sum += 1 / Math.pow(k + 1, s);
    for (let k = 0; k < n; k++) this.cdf[k]! /= sum;
  }

  sample(rng: Rng): number {
    const x = rng.next();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
