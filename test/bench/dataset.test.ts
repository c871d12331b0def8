/**
 * The generator is deterministic and stays so: the same size and seed give the same records, and
 * the published figures, the oracle and the planted cases depend on that. The digests pin the
 * datasets it made when they were taken; a change to the generator that changes a record changes
 * them (and then every bench figure must be re-measured). Nothing is timed here.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/bench/dataset.js';
import type { SizeName } from '../../src/bench/dataset-types.js';

/** Every record's JSON, field order included, part by part. */
function digest(size: SizeName, seed?: number): string {
  const hash = createHash('sha256');
  for (const [part, value] of Object.entries(generateDataset(size, seed))) {
    hash.update(part);
    for (const item of Array.isArray(value) ? value : [value]) hash.update(JSON.stringify(item));
  }
  return hash.digest('hex').slice(0, 16);
}

describe('bench dataset generator', () => {
  it('makes the same S dataset as ever, for the default seed and another', () => {
    expect(digest('S')).toBe('4e46224329168260');
    expect(digest('S', 1)).toBe('8a7c6e0c48729290');
  });

  it('makes the same M dataset as ever (the one the published figures use)', () => {
    expect(digest('M')).toBe('6a74a193414be078');
  });
});
