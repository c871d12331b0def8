/** The bench's summaries of a run's rounds: quantiles and the median's bootstrap standard error. */
import { describe, expect, it } from 'vitest';
import { median, medianStandardError, quantile } from '../../src/bench/histogram.js';

describe('quantile', () => {
  it('is the nearest-rank value', () => {
    const xs = [4, 1, 3, 2];
    expect([0.25, 0.5, 0.75, 1].map((q) => quantile(xs, q))).toEqual([1, 2, 3, 4]);
    expect(quantile(xs, 0)).toBe(1);
  });
});

describe('medianStandardError', () => {
  it('is 0 when every round agrees', () => {
    expect(medianStandardError([0.8, 0.8, 0.8, 0.8])).toBeCloseTo(0, 12);
  });

  it('narrows as the rounds grow in number, and repeats itself for the same rounds', () => {
    const spread = (n: number) => Array.from({ length: n }, (_, i) => 0.6 + (0.4 * ((i * 7919) % n)) / n);
    const few = medianStandardError(spread(40));
    const many = medianStandardError(spread(400));
    expect(few).toBeGreaterThan(0);
    expect(many).toBeLessThan(few / 2);
    expect(medianStandardError(spread(40))).toBe(few);
    expect(median(spread(400))).toBeCloseTo(0.8, 2);
  });
});
