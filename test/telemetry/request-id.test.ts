import { describe, expect, it } from 'vitest';
import { newRequestId, requestIdKey, requestIdOfKey } from '../../src/request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids the server makes', () => {
  it('are UUID-shaped, distinct, and their keys give them back', () => {
    const ids = Array.from({ length: 1000 }, () => newRequestId());
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(requestIdOfKey(requestIdKey(id))).toBe(id);
  });

  it('map every id of their shape to one key and back, and nothing else', () => {
    const id = newRequestId();
    const prefix = id.slice(0, 24);
    // An id a client sends in this process's shape is kept as a key and read back as sent.
    for (const tail of ['000000000000', 'ffffffffffff', '0123456789ab']) expect(requestIdOfKey(requestIdKey(prefix + tail))).toBe(prefix + tail);
    // Anything else is no key: kept as the string it is.
    for (const other of [prefix + 'FFFFFFFFFFFF', prefix + '00000000000g', prefix + '0000000000000', prefix + '00000000000', 'req-1', '', id.replace(/^./, (c) => (c === '0' ? '1' : '0'))]) {
      expect(requestIdKey(other)).toBe(-1);
    }
  });
});
