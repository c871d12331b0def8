/** The Ruby rendering of request data in "data = ..." messages (docs/compatibility.md §5.4). */
import { describe, expect, it } from 'vitest';
import { rubyInspect } from '../../../src/api/manageiq/ruby-inspect.js';

describe('rubyInspect', () => {
  it('prints parsed JSON as Ruby < 3.4 inspects it', () => {
    expect(rubyInspect({})).toBe('{}');
    expect(rubyInspect({ owner: { id: 1 }, group: null })).toBe('{"owner"=>{"id"=>1}, "group"=>nil}');
    expect(rubyInspect({ a: [1, 'two', true, 2.5] })).toBe('{"a"=>[1, "two", true, 2.5]}');
    expect(rubyInspect({ q: 'say "hi"\n' })).toBe('{"q"=>"say \\"hi\\"\\n"}');
  });
});
