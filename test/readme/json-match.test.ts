/** The README checker's reading of shown output: elisions, generated values and comments. */
import { describe, expect, it } from 'vitest';
import { IdMap, mismatches } from './json-match.js';
import { jsonValues, loosen, readComments, readSections } from './readme-doc.js';

const match = (shown: unknown, actual: unknown) => mismatches(shown, actual, new IdMap());

describe('README output matching', () => {
  it('matches generated ids by shape, one printed id per shown id, both ways', () => {
    const shown = { id: '3ed8d64462104e61a4372a952b6594e1', self: 'http://h/roles/3ed8d64462104e61a4372a952b6594e1' };
    expect(match(shown, { id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', self: 'http://h/roles/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' })).toEqual([]);
    expect(match(shown, { id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', self: 'http://h/roles/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' })).toHaveLength(1);
    const two = ['9ff855bd-46ff-4747-922b-86a58a93c5a3', '0ff855bd-46ff-4747-922b-86a58a93c5a3'];
    const same = 'd1ff855b-46ff-4747-922b-86a58a93c5a3';
    expect(match(two, [same, same])[0]).toMatch(/is shown as/);
    expect(match('user 3ed8d64462104e61a4372a952b6594e1', 'user alice')).toHaveLength(1);
  });

  it('matches timestamps written the same way, and JWTs', () => {
    expect(match('2026-11-22T05:27:00.469000', '2030-01-02T03:04:05.000001')).toEqual([]);
    expect(match('2026-11-22T05:27:00.469000', '2030-01-02T03:04:05.000Z')).toHaveLength(1);
    expect(match('2026-11-22T05:22:37.614Z', '2026-11-29T13:01:25.64Z')).toEqual([]);
    expect(match('2026-11-22T05:22:37Z', '2026-11-29T13:01:25.64Z')).toHaveLength(1);
    expect(match('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ5In0.b3RoZXI')).toEqual([]);
  });

  it('takes "..." as any value, text or extra keys and items, and nothing else', () => {
    expect(match({ a: '...', b: 'x...z', '...': '...' }, { a: { deep: [1] }, b: 'x123z', c: 1 })).toEqual([]);
    expect(match({ a: 1 }, { a: 1, c: 2 })).toEqual(['$: printed keys the README does not show: c']);
    expect(match([1, '...'], [1, 2, 3])).toEqual([]);
    expect(match([1, 2], [1, 2, 3])).toHaveLength(1);
    expect(match({ a: null }, { a: false })).toHaveLength(1);
  });

  it('reads the elisions a reader writes', () => {
    expect(JSON.parse(loosen('{"a":{…},"b":[...],"c":"x…","d":{"e":1,…},"f":[1, ...]}'))).toEqual({
      a: '...',
      b: '...',
      c: 'x...',
      d: { e: 1, '...': '...' },
      f: [1, '...'],
    });
    expect(jsonValues('HTTP/1.1 200 OK\r\n\r\n{"a":1}[2]')).toEqual([{ a: 1 }, [2]]);
  });

  it('reads what comments show: a status, an exit status, a body, and prose', () => {
    const code = [
      'curl -s -X PUT x   # 204',
      'curl -s y',
      '# 201 {"role":{"id":"…",',
      '#      "name":"auditor"}}   (and a note with {braces})',
      'portcullis policy check bad   # exit 3',
      '# 4. Next step: nothing {shown} here',
      "echo '# not a comment'",
    ];
    expect(readComments(code, 10)).toEqual([
      { line: 10, status: 204 },
      { line: 12, status: 201, body: { role: { id: '...', name: 'auditor' } } },
      { line: 14, exit: 3 },
      { line: 15 },
    ]);
  });

  it('splits a README into sections of blocks, with markers and shown output', () => {
    const text = ['# T', '## A', '<!-- readme-test: skip (why) -->', '```sh', 'npm x', '```', '## B', '```sh', 'curl y', '```', '```json', '{"a":1}', '```'].join('\n');
    const sections = readSections(text);
    expect(sections.map((s) => [s.title, s.blocks.map((b) => [b.line, b.skip, b.shown?.values])])).toEqual([
      ['A', [[4, 'why', undefined]]],
      ['B', [[8, undefined, [{ a: 1 }]]]],
    ]);
    expect(() => readSections('# T\n<!-- readme-test: skip -->\n```sh\nx\n```')).toThrow(/must say why/);
    const [listed] = readSections('# T\n- item:\n\n  ```sh\n  curl x \\\n    -d y\n  ```\n');
    expect(listed!.blocks[0]!.code).toEqual(['curl x \\', '  -d y']);
  });
});
