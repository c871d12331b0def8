import { describe, expect, it } from 'vitest';
import { newRequestId, requestIdKey, requestIdOfKey } from '../../src/request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids the server makes', () => {
  it('are UUID-shaped and distinct', () => {
    const ids = Array.from({ length: 1000 }, () => newRequestId());
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('count on by one from id to id, across every 4,096th, and each is the id its counter gives', () => {
    const ids = Array.from({ length: 9000 }, () => newRequestId());
    const counters = ids.map((id) => Number.parseInt(id.slice(24), 16));
    for (let i = 1; i < ids.length; i++) expect(counters[i]).toBe(counters[i - 1]! + 1);
    expect(ids.every((id, i) => id === requestIdOfKey(counters[i]!) && id.slice(0, 24) === ids[0]!.slice(0, 24))).toBe(true);
  });

  it('have a key while among the last 64 made, which gives them back', () => {
    const ids = Array.from({ length: 100 }, () => newRequestId());
    for (const id of ids.slice(-64)) expect(requestIdOfKey(requestIdKey(id))).toBe(id);
    // An equal string (a client sending the id back) is the same id.
    const last = ids[ids.length - 1]!;
    expect(requestIdKey(`${last.slice(0, 10)}${last.slice(10)}`)).toBe(requestIdKey(last));
    // Older ones, and any other string, have none: a store keeps them as strings.
    for (const other of [...ids.slice(0, 36), last.toUpperCase(), `${last}0`, last.slice(1), 'req-1', '', requestIdOfKey(requestIdKey(last) + 1)]) {
      expect(requestIdKey(other)).toBe(-1);
    }
  });
});
