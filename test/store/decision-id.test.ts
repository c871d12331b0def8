import { describe, expect, it } from 'vitest';
import { decisionIdFloor, decisionIdKey, decisionIdOfKey, decisionIdTime, isDecisionId, newDecisionId } from '../../src/store/decision-id.js';

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

  it('floor: the smallest id of a millisecond sorts before every id made then or later', () => {
    for (const ms of [0, 2 ** 24 - 1, 2 ** 24, 2 ** 31, Date.UTC(2026, 10, 30), 2 ** 48 - 1]) {
      const floor = decisionIdFloor(ms);
      expect(floor).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7000-$/);
      expect(Number.parseInt(floor.slice(0, 8) + floor.slice(9, 13), 16)).toBe(ms);
    }
  });
});
