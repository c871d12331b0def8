import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decisionIdFloor, decisionIdKey, decisionIdOfKey, decisionIdTime, isDecisionId, newDecisionId, newDecisionKey, newDecisionKeyAt } from '../../src/store/decision-id.js';

describe('decision ids', () => {
  it('are UUIDv7 strings carrying the millisecond they were made', () => {
    const before = Date.now();
    const id = newDecisionId();
    const after = Date.now();
    expect(isDecisionId(id)).toBe(true);
    // A counter overflow borrows the next millisecond, so allow one past `after`.
    expect(decisionIdTime(id)).toBeGreaterThanOrEqual(before);
    expect(decisionIdTime(id)).toBeLessThanOrEqual(after + 1);
  });

  it('sort in the order they were made, and their keys give them back', () => {
    const ids = Array.from({ length: 5000 }, () => newDecisionId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(-50)) expect(decisionIdOfKey(decisionIdKey(id))).toBe(id);
  });

  it('made from a key, carry its millisecond and counter, whatever millisecond came before', () => {
    const now = Date.now();
    // Across a 2^16 ms boundary (the prefix's first 32 bits change) and back, and far apart.
    for (const ms of [now, now + 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 - 1, now, 2 ** 48 - 1, 0]) {
      for (const counter of [0, 0xabc]) {
        const id = decisionIdOfKey(ms * 4096 + counter);
        expect(isDecisionId(id)).toBe(true);
        expect(id.startsWith(decisionIdFloor(ms).slice(0, 15))).toBe(true);
        expect(decisionIdKey(id)).toBe(ms * 4096 + counter);
      }
    }
  });

  it('made from a performance.now() reading, carry the wall clock\'s millisecond and sort with the others', () => {
    const timeOf = (key: number) => Math.floor(key / 4096);
    const before = Date.now();
    const keys = Array.from({ length: 2000 }, (_, i) => (i % 2 ? newDecisionKey() : newDecisionKeyAt(performance.now())));
    const after = Date.now();
    // The clocks' difference is known to the microsecond: a millisecond either side at most.
    expect(timeOf(keys[0]!)).toBeGreaterThanOrEqual(before - 1);
    expect(timeOf(keys[keys.length - 1]!)).toBeLessThanOrEqual(after + 1);
    for (let i = 1; i < keys.length; i++) expect(keys[i]!).toBeGreaterThan(keys[i - 1]!);
  });

  describe('after a step of the wall clock', () => {
    afterEach(() => void vi.restoreAllMocks());

    it('readings give its new time from the next second of readings on', async () => {
      vi.resetModules(); // a module of its own: the step moves its ids' time for good
      const ids = await import('../../src/store/decision-id.js');
      const timeOf = (key: number) => Math.floor(key / 4096);
      const start = performance.now();
      expect(Math.abs(timeOf(ids.newDecisionKeyAt(start)) - Date.now())).toBeLessThanOrEqual(1);
      const stepped = Date.now() + 3_600_000;
      vi.spyOn(Date, 'now').mockReturnValue(stepped);
      // Within the second, the clocks are not compared again: ids keep the time they had.
      expect(timeOf(ids.newDecisionKeyAt(start + 500))).toBeLessThan(stepped - 3_000_000);
      // More than a second of readings on, they are: the id carries the stepped time (and the
      // reading's second). Not exactly 1,000 ms on: (start + 1000) - start can round to 999.99...
      const later = timeOf(ids.newDecisionKeyAt(start + 1001));
      expect(later).toBeGreaterThanOrEqual(stepped + 1001 - (performance.now() - start) - 1);
      expect(later).toBeLessThanOrEqual(stepped + 1002);
    });
  });

  it('floor: the smallest id of a millisecond sorts before every id made then or later', () => {
    for (const ms of [0, 2 ** 24 - 1, 2 ** 24, 2 ** 31, Date.UTC(2026, 10, 30), 2 ** 48 - 1]) {
      const floor = decisionIdFloor(ms);
      expect(floor).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7000-$/);
      expect(Number.parseInt(floor.slice(0, 8) + floor.slice(9, 13), 16)).toBe(ms);
    }
  });
});
