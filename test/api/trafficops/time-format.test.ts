import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLastUpdated } from '../../../src/api/trafficops/time-format.js';

describe('lastUpdated formats (docs/compatibility.md §3.2, §6.4)', () => {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'America/Denver';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('v4: Go RFC3339Nano in the local offset, trailing zeros trimmed', () => {
    expect(formatLastUpdated('2021-05-26T15:31:57.010Z', 4)).toBe('2021-05-26T09:31:57.01-06:00');
    expect(formatLastUpdated('2021-05-26T15:31:57.000Z', 4)).toBe('2021-05-26T09:31:57-06:00');
    expect(formatLastUpdated('2021-01-26T15:31:57.123Z', 4)).toBe('2021-01-26T08:31:57.123-07:00');
  });

  it('v5: RFC 3339 without the fraction', () => {
    expect(formatLastUpdated('2021-05-26T15:31:57.015Z', 5)).toBe('2021-05-26T09:31:57-06:00');
  });

  it('UTC offsets are written Z', () => {
    process.env.TZ = 'UTC';
    expect(formatLastUpdated('2021-05-26T15:31:57.015Z', 4)).toBe('2021-05-26T15:31:57.015Z');
    process.env.TZ = 'America/Denver';
  });
});
