/**
 * The bench oracle agrees with the engine on the S dataset (so `npm run bench` can trust it), and
 * the planted cases come out as designed. Nothing is timed here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Portcullis } from '../../src/portcullis.js';
import { buildOracle, buildPortcullis } from '../../src/bench/build.js';
import { verifyInProcess } from '../../src/bench/in-process.js';
import { makeQuestions } from '../../src/bench/requests.js';

describe('bench oracle on the S dataset', () => {
  const { ds, oracle } = buildOracle('S');
  let portcullis: Portcullis;

  beforeAll(async () => {
    portcullis = await buildPortcullis(ds, 'silent');
  }, 60_000);
  afterAll(() => portcullis.close());

  it('gives each planted case its designed answer', () => {
    for (const f of ds.featured) expect(oracle.decide(f.subject, f.action, f.type, f.id), f.name).toBe(f.expected);
  });

  it('agrees with the engine on Zipf and uniform request mixes', async () => {
    const questions = [...makeQuestions(ds, oracle, 1500, 'zipf', 1), ...makeQuestions(ds, oracle, 1500, 'uniform', 2)];
    const allows = questions.filter((q) => q.expected).length;
    expect(allows).toBeGreaterThan(questions.length * 0.3);
    expect(allows).toBeLessThan(questions.length * 0.8);
    expect(await verifyInProcess(portcullis, questions)).toEqual([]);
  }, 60_000);
});
