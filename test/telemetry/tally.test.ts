/**
 * Tallied metrics (src/telemetry/tally.ts) expose exactly what prom-client's own inc/observe
 * calls would: same series, buckets, sums and counts, across several scrapes (series order aside).
 */
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { TalliedCounter, TalliedHistogram } from '../../src/telemetry/tally.js';

const BUCKETS = [0.00001, 0.0001, 0.001, 0.01];

/** The exposition's lines, sorted: series may come in another order (Prometheus reads them by name and labels). */
const lines = async (r: Registry) => (await r.metrics()).split('\n').sort();

function pair() {
  const plain = new Registry();
  const tallied = new Registry();
  const config = { name: 'x_total', help: 'x', labelNames: ['kind', 'result'] as const };
  const hist = { name: 'x_seconds', help: 'x', labelNames: ['kind'] as const, buckets: BUCKETS };
  return {
    plain,
    tallied,
    counter: new Counter({ ...config, registers: [plain] }),
    histogram: new Histogram({ ...hist, registers: [plain] }),
    talliedCounter: new TalliedCounter({ ...config, registers: [tallied] }),
    talliedHistogram: new TalliedHistogram({ ...hist, registers: [tallied] }),
  };
}

describe('tallied metrics', () => {
  it('expose what the same prom-client calls expose, scrape after scrape', async () => {
    const m = pair();
    const allow = m.talliedCounter.series({ kind: 'resource', result: 'allow' });
    const deny = m.talliedCounter.series({ kind: 'resource', result: 'deny' });
    const seconds = m.talliedHistogram.series({ kind: 'resource' });
    const values = [0, 0.000005, 0.00001, 0.00005, 0.0002, 0.002, 0.5, 3, 0.0001];
    for (const [round, slice] of [values.slice(0, 4), values.slice(4), []].entries()) {
      slice.forEach((v, i) => {
        const allowed = (i + round) % 3 !== 0;
        m.counter.inc({ kind: 'resource', result: allowed ? 'allow' : 'deny' });
        (allowed ? allow : deny).inc();
        m.histogram.observe({ kind: 'resource' }, v);
        seconds.observe(v);
      });
      // Label-object calls on the tallied metrics still work and land in the same series.
      m.counter.inc({ kind: 'permission', result: 'allow' }, 2);
      m.talliedCounter.inc({ kind: 'permission', result: 'allow' }, 2);
      m.histogram.observe({ kind: 'resource' }, 0.003);
      m.talliedHistogram.observe({ kind: 'resource' }, 0.003);
      expect(await lines(m.tallied)).toEqual(await lines(m.plain));
    }
  });

  it('finds a series by its label values, numbers as their text, the same one each time', async () => {
    const m = pair();
    for (const v of [0.001, 0.02]) {
      m.talliedCounter.seriesAt('resource', 'allow').inc();
      m.counter.inc({ kind: 'resource', result: 'allow' });
      m.talliedHistogram.seriesAt(404).observe(v);
      m.histogram.observe({ kind: '404' }, v);
    }
    expect(m.talliedCounter.seriesAt('resource', 'allow')).toBe(m.talliedCounter.seriesAt('resource', 'allow'));
    expect(await lines(m.tallied)).toEqual(await lines(m.plain));
    expect(() => m.talliedCounter.seriesAt('resource')).toThrow(/2 label values/);
  });

  it('shows no series before its first observation, as prom-client does', async () => {
    const m = pair();
    m.talliedHistogram.series({ kind: 'resource' });
    m.talliedCounter.series({ kind: 'resource', result: 'allow' });
    expect(await lines(m.tallied)).toEqual(await lines(m.plain));
  });

  it('forget unscraped observations on reset, as prom-client does', async () => {
    const m = pair();
    const seconds = m.talliedHistogram.series({ kind: 'resource' });
    const allow = m.talliedCounter.series({ kind: 'resource', result: 'allow' });
    seconds.observe(0.001);
    allow.inc();
    m.tallied.resetMetrics();
    seconds.observe(0.01);
    m.histogram.observe({ kind: 'resource' }, 0.01);
    expect(await lines(m.tallied)).toEqual(await lines(m.plain));
  });
});
