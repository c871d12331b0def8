/** `appended`: a new list of the exact length below 16 items, the same list (pushed to) from then on. */
import { describe, expect, it } from 'vitest';
import { appended } from '../../src/compact-array.js';

describe('appended', () => {
  it('starts a list, copies a short one with the item at its end, and pushes to a long one', () => {
    const one = appended(undefined, 'a');
    expect(one).toEqual(['a']);
    const two = appended(one, 'b');
    expect(two).not.toBe(one);
    expect(one).toEqual(['a']);
    expect(two).toEqual(['a', 'b']);
    let list = two;
    for (let i = 2; i < 16; i++) list = appended(list, String(i));
    expect(list).toHaveLength(16);
    const long = appended(list, 'z');
    expect(long).toBe(list);
    expect(long).toHaveLength(17);
    expect(long[16]).toBe('z');
  });

  it('appends an array as one item', () => {
    expect(appended<readonly number[]>([[1]], [2, 3])).toEqual([[1], [2, 3]]);
  });
});
