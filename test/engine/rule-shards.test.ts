import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Util } from 'casbin';
import { partitionRules } from '../../src/engine/rule-shards.js';
import type { PolicyRule } from '../../src/engine/policy-rule.js';

const rule = (ptype: 'p' | 'p2' | 'p3', action: string, n: number): PolicyRule => ({
  ptype,
  values: ptype === 'p2' ? ['role:x', action, 'true', 'allow'] : ['role:x', '*', action, 'allow'],
  source: `policies/t.csv:${n}`,
});

describe('rule partitions', () => {
  it('gives each named action its exact rows plus the wildcard rows covering it, in file order', () => {
    const rules = [
      rule('p2', 'identity:list_roles', 1),
      rule('p2', 'identity:*', 2),
      rule('p2', 'identity:get_role', 3),
      rule('p2', '*', 4),
      rule('p2', 'CDN-LOCK:CREATE', 5),
    ];
    const { byAction, wildcard } = partitionRules(rules);
    expect(byAction.get('identity:list_roles')!.map((r) => r.source)).toEqual(['policies/t.csv:1', 'policies/t.csv:2', 'policies/t.csv:4']);
    expect(byAction.get('CDN-LOCK:CREATE')!.map((r) => r.source)).toEqual(['policies/t.csv:4', 'policies/t.csv:5']);
    expect(wildcard.map((r) => r.source)).toEqual(['policies/t.csv:2', 'policies/t.csv:4']);
  });

  it('never leaves out a row that keyMatch would match (property)', () => {
    const word = fc.stringMatching(/^[a-c]{1,2}$/);
    const action = fc.oneof(word, fc.tuple(word, word).map(([a, b]) => `${a}:${b}`));
    const pattern = fc.oneof(action, fc.constant('*'), word.map((w) => `${w}*`), word.map((w) => `${w}:*`));
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 8 }), action, (patterns, request) => {
        const rules = patterns.map((p, i) => rule('p2', p, i + 1));
        const { byAction, wildcard } = partitionRules(rules);
        const partition = byAction.get(request) ?? wildcard;
        for (const r of rules) {
          if (Util.keyMatchFunc(request, r.values[1])) expect(partition).toContain(r);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
