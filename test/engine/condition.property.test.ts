/**
 * Property: a condition compiled to closures (src/engine/condition.ts) gives what Casbin's
 * expression evaluator (@casbin/expression-eval) gives for the same text and the same names: the
 * same value, or an error of the same kind with the same message. Random conditions mix what the
 * translation covers (literals, the request and row names, member access including the names the
 * evaluator's guard refuses, computed keys, == != === !== < > <= >= + - * / %, && ||, ! - + ~,
 * ?:, keyMatch(), arrays and `in`) with what it leaves to the interpreter (this, method calls,
 * bitwise operators), over random attributes (strings, numbers, -0, NaN, booleans, null,
 * undefined, objects, arrays).
 */
import { addBinaryOp } from '@casbin/expression-eval';
import { Util } from 'casbin';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition, CONDITION_NAMES, conditionFunction, evaluatorOf, ROW_CONDITION_NAMES, rowConditionFunction, translateCondition } from '../../src/engine/condition.js';

// As Casbin does before it compiles a matcher (coreEnforcer.getExpression), so `in` parses.
addBinaryOp('in', 1, Util.customIn as never);

const NAMES = ['id', 'project', 'domain', 'subject_id', 'length', 'toString', 'constructor', 'prototype', 'xprototypey', '__proto__', '__proto__x', 'true'];
const DATA_KEYS = ['id', 'project', 'domain', 'subject_id', 'length', 'list', 'nested'];

const primitive = fc.oneof(
  fc.constantFrom('', 'a', 'all', '1', 'id', 'project', 'a*', 'abc', '0'),
  fc.constantFrom(0, -0, 1, 2, NaN, Infinity),
  fc.integer({ min: -3, max: 3 }),
  fc.boolean(),
  fc.constantFrom(null, undefined),
);
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitive,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...DATA_KEYS), tie('v'), { maxKeys: 4 }),
  ),
})).v;

const literal = fc.oneof(
  fc.constantFrom("''", "'a'", "'all'", "'1'", "'a*'", '"id"', "'constructor'", "'__proto__'", "'xprototypey'", '0', '1', '2.5', 'true', 'false', 'null'),
);

/** Condition text; `subset` leaves out what the translation does not cover. */
function expression(subset: boolean): fc.Arbitrary<string> {
  const roots = ['r2.sub', 'r2.obj', 'r2.act', 'p2.sub', 'p2.act', 'p2.cond', 'p2.eft', 'r.sub', 'r.obj', 'r.act', 'r.ctx', 'keyMatch', 'undefined', 'foo'];
  const outside = ['this', 'toString', '__proto__'];
  return fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      literal,
      fc.constantFrom(...roots, ...(subset ? [] : outside)),
      fc.tuple(tie('e'), fc.constantFrom(...NAMES)).map(([o, n]) => `(${o}).${n}`),
      fc.tuple(fc.constantFrom('r2.sub', 'r2.obj', 'r.obj', 'r.ctx'), fc.constantFrom(...NAMES)).map(([o, n]) => `${o}.${n}`),
      fc.tuple(tie('e'), tie('e')).map(([o, k]) => `(${o})[${k}]`),
      fc
        .tuple(tie('e'), fc.constantFrom('==', '!=', '===', '!==', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '&&', '||', ...(subset ? [] : ['|', '&', '^', '<<', '>>>'])), tie('e'))
        .map(([l, op, r]) => `(${l}) ${op} (${r})`),
      fc.tuple(fc.constantFrom('!', '-', '+', '~'), tie('e')).map(([op, a]) => `${op}(${a})`),
      fc.tuple(tie('e'), tie('e'), tie('e')).map(([t, y, n]) => `(${t}) ? (${y}) : (${n})`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `keyMatch(${a}, ${b})`),
      fc.array(tie('e'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
      fc.tuple(tie('e'), fc.array(tie('e'), { minLength: 1, maxLength: 3 })).map(([a, xs]) => `(${a}) in [${xs.join(', ')}]`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a}) in (${b})`),
      ...(subset ? [] : [fc.tuple(tie('e'), fc.constantFrom('includes', 'toString', 'indexOf')).map(([o, m]) => `(${o}).${m}('a')`)]),
    ),
  })).e;
}

type Outcome = { value: unknown } | { error: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/** Both sides' outcome, or undefined when the text does not parse (both compilers refuse it). */
function both(text: string, names: readonly string[], values: unknown[]): [Outcome, Outcome] | undefined {
  let interpreted: (context: object) => unknown;
  try {
    interpreted = compileCondition(text);
  } catch {
    expect(() => evaluatorOf(text, names)).toThrow();
    return undefined;
  }
  const context: Record<string, unknown> = {};
  names.forEach((name, i) => (context[name] = values[i]));
  context.keyMatch = Util.keyMatchFunc;
  const compiled = evaluatorOf(text, names);
  const v = [...values, undefined, undefined, undefined, undefined, undefined, undefined, undefined];
  return [outcome(() => compiled(v[0], v[1], v[2], v[3], v[4], v[5], v[6])), outcome(() => interpreted(context))];
}

function expectSame([mine, theirs]: [Outcome, Outcome]): void {
  if ('error' in theirs) expect(mine).toEqual(theirs);
  else if ('value' in mine && typeof theirs.value === 'object' && theirs.value !== null) expect(mine.value).toEqual(theirs.value);
  else expect('value' in mine && Object.is(mine.value, theirs.value), `${JSON.stringify(mine)} vs ${String((theirs as { value: unknown }).value)}`).toBe(true);
}

const inputs = fc.tuple(value, value, value, value, value, value, value);
const RUNS = { numRuns: 3000 };

describe('conditions compiled to closures', () => {
  it('give what expression-eval gives, over the p2 names', () => {
    fc.assert(
      fc.property(expression(false), inputs, (text, values) => {
        const got = both(text, CONDITION_NAMES, values);
        if (got) expectSame(got);
      }),
      RUNS,
    );
  });

  it('give what expression-eval gives, over the row names', () => {
    fc.assert(
      fc.property(expression(false), inputs, (text, values) => {
        const got = both(text, ROW_CONDITION_NAMES, values.slice(0, 4));
        if (got) expectSame(got);
      }),
      RUNS,
    );
  });

  it('cover the subset without the interpreter', () => {
    fc.assert(
      fc.property(expression(true), (text) => {
        let parses = true;
        try {
          compileCondition(text);
        } catch {
          parses = false;
        }
        if (parses) expect(translateCondition(text, CONDITION_NAMES), text).toBeDefined();
      }),
      RUNS,
    );
  });

  it('translate every condition of the shipped policies', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = new URL('../../policies/', import.meta.url);
    const conditions = readdirSync(dir)
      .filter((f) => f.endsWith('.csv'))
      .flatMap((f) => readFileSync(new URL(f, dir), 'utf8').split('\n'))
      .map((line) => /^p2?,.*"([^"]+)"/.exec(line)?.[1])
      .filter((c): c is string => c !== undefined);
    expect(conditions.length).toBeGreaterThan(10);
    for (const c of conditions) expect(translateCondition(c, c.includes('r2.') ? CONDITION_NAMES : ROW_CONDITION_NAMES), c).toBeDefined();
  });

  it('keep the matcher functions as they were: p2 values as given, row conditions fail closed', () => {
    const condition = conditionFunction();
    const me = Object.freeze({ id: 'u1', project: 'p1' });
    expect(condition('r2.obj.subject_id == r2.sub.id', me, { subject_id: 'u1' }, 'authzen:evaluate', '*', 'authzen:evaluate', 'allow')).toBe(true);
    expect(condition('r2.obj.subject_id == r2.sub.id', me, { subject_id: 'u2' }, 'authzen:evaluate', '*', 'authzen:evaluate', 'allow')).toBe(false);
    expect(condition("r2.sub.project != '' && r2.sub.project", me, {}, 'x', '*', 'x', 'allow')).toBe('p1');
    expect(condition('p2.cond', me, {}, 'x', '*', 'x', 'allow')).toBe('p2.cond');
    expect(() => condition('r2.obj.constructor', me, {}, 'x', '*', 'x', 'allow')).toThrow('Access to member "constructor" disallowed.');
    const row = rowConditionFunction();
    expect(row(undefined, 'allow', {}, {}, {}, {})).toBe(true);
    expect(row('r.obj.properties.x == 1', 'allow', {}, {}, {}, {})).toBe(false);
    expect(row('r.obj.properties.x == 1', 'deny', {}, {}, {}, {})).toBe(true);
    expect(row('r.obj.properties.x == 1', 'allow', {}, { properties: { x: '1' } }, {}, {})).toBe(true);
  });
});
