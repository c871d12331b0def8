import { describe, expect, it } from 'vitest';
import { plainCopy } from '../../src/store/plain-copy.js';

describe('plainCopy', () => {
  it('copies plain data deeply: equal, and independent of the original', () => {
    const original = { id: 'u1', enabled: true, email: null, n: 3, extra: { tags: ['a', 'b'], nested: { x: [1, { y: 2 }] } }, missing: undefined };
    const copy = plainCopy(original);
    expect(copy).toStrictEqual(original);
    expect(Object.hasOwn(copy, 'missing')).toBe(true);
    copy.extra.tags.push('c');
    (copy.extra.nested.x[1] as { y: number }).y = 9;
    expect(original.extra.tags).toEqual(['a', 'b']);
    expect(original.extra.nested.x[1]).toEqual({ y: 2 });
  });

  it('keeps a "__proto__" key from a request body as data, not as the prototype', () => {
    const parsed = JSON.parse('{"extra":{"__proto__":{"admin":true},"k":1}}') as { extra: Record<string, unknown> };
    const copy = plainCopy(parsed);
    expect(Object.getPrototypeOf(copy.extra)).toBe(Object.prototype);
    expect(Object.hasOwn(copy.extra, '__proto__')).toBe(true);
    expect((copy.extra as { admin?: unknown }).admin).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
  });

  it('gives primitives back as they are', () => {
    for (const v of [null, undefined, 0, 'x', false]) expect(plainCopy(v)).toBe(v);
  });
});
