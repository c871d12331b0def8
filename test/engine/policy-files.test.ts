import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../src/engine/policy-files.js';
import { PolicyValidationError } from '../../src/engine/policy-rule.js';

describe('policy file parsing', () => {
  it('reads rows with file:line sources, skipping comments and blank lines', () => {
    const rules = parsePolicyText(
      '# comment\n\np, role:reader, *, read, allow\np2, *, authzen:evaluate, "r2.obj.a == 1 || r2.obj.b, c", allow\n' +
        'p, role:editor, todo, edit, allow, "r.obj.properties.ownerID == r.sub.id"\n',
      'policies/x.csv',
    );
    expect(rules).toEqual([
      { ptype: 'p', values: ['role:reader', '*', 'read', 'allow'], source: 'policies/x.csv:3' },
      { ptype: 'p2', values: ['*', 'authzen:evaluate', 'r2.obj.a == 1 || r2.obj.b, c', 'allow'], source: 'policies/x.csv:4' },
      {
        ptype: 'p',
        values: ['role:editor', 'todo', 'edit', 'allow', 'r.obj.properties.ownerID == r.sub.id'],
        source: 'policies/x.csv:5',
      },
    ]);
  });

  it.each([
    ['q, a, b, c, allow', /unknown policy type "q"/],
    ['g, alice, admin', /role links come from grants and implied roles/],
    ['p, role:reader, *, read', /take 4 values \(and an optional condition\) after the type, got 3/],
    ['p, role:reader, *, read, allow, "true", extra', /got 6/],
    ['p2, role:reader, x:y, true, allow, extra', /p2 rows take 4 values after the type, got 5/],
    ['p, role:reader, *, read, maybe', /effect must be "allow" or "deny"/],
    ['p, role:reader, , read, allow', /empty value/],
    ['p, "unterminated, *, read, allow', /cannot parse row/],
  ])('refuses %s with its line', (line, message) => {
    const parse = () => parsePolicyText(`# header\n${line}\n`, 'policies/bad.csv');
    expect(parse).toThrow(PolicyValidationError);
    expect(parse).toThrow(message);
    expect(parse).toThrow(/^policies\/bad\.csv:2: /);
  });

  it('reports every row that does not parse, with its line, and reads the rows around it', () => {
    // An open quote must not run its row on into the next line's: each row is its own line.
    const text = 'p, role:a, *, read, allow\np, "open, *, read, allow\np, role:b, *, read, allow\np, role:c, "x, read, allow\n';
    let problems: readonly { source?: string; message: string }[] = [];
    try {
      parsePolicyText(text, 'policies/mixed.csv');
    } catch (err) {
      problems = (err as PolicyValidationError).problems;
    }
    expect(problems.map((p) => p.source)).toEqual(['policies/mixed.csv:2', 'policies/mixed.csv:4']);
    expect(problems.every((p) => /cannot parse row/.test(p.message))).toBe(true);
  });
});
