/**
 * Property: parseEvaluation (src/api/decision/schemas.ts) is evaluationSchema's parse. Its
 * shortcut for the plain body accepts nothing zod rejects and returns what zod returns; every
 * other body gets zod's answer, its 400 message included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluationSchema, parseEvaluation } from '../../../src/api/decision/schemas.js';

/** A string near the schema's length bounds (0, 1, 255, 256, 1024, 1025 and in between). */
const boundedString = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.constantFrom(0, 1, 254, 255, 256, 1023, 1024, 1025).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'grapheme', maxLength: 3 }),
);
const value = fc.oneof(boundedString, fc.integer(), fc.constant(null), fc.constant(undefined), fc.boolean(), fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }));
/** An object of some of the named fields and maybe one more, in any order, as JSON.parse makes it. */
const objectOf = (names: readonly string[]) =>
  fc
    .tuple(
      fc.subarray([...names]),
      fc.array(fc.oneof(boundedString, value), { minLength: names.length, maxLength: names.length }),
      fc.option(fc.tuple(fc.constantFrom('properties', 'context', 'extra', '__proto__', 'ownerID'), value)),
    )
    .map(([present, values, extra]) => {
      const fields: [string, unknown][] = present.map((name, i) => [name, values[i]]);
      if (extra) fields.push(extra);
      return JSON.parse(JSON.stringify(Object.fromEntries(fields.reverse()))) as unknown;
    });
const entity = fc.oneof(objectOf(['type', 'id']), value);
/** Mostly the plain body, sometimes a value out of bounds or a numeric id. */
const name = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), boundedString);
const plainish = fc.record({
  subject: fc.record({ type: name, id: fc.oneof(name, fc.integer()) }),
  action: fc.record({ name }),
  resource: fc.record({ type: name, id: name }),
});
/** As JSON.parse makes them, and fast-check's own records (which may have a null prototype: zod and the shortcut take those too). */
const parsed = (a: fc.Arbitrary<unknown>) => a.map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const body = fc.oneof(
  parsed(plainish),
  plainish,
  fc.record({ subject: entity, action: fc.oneof(objectOf(['name']), value), resource: entity }),
  fc.record({ subject: entity, action: objectOf(['name']), resource: entity, context: value }),
  objectOf(['subject', 'action', 'resource']),
  value,
);

/** zod's answer: its output, or the message parseEvaluation's 400 carries. */
function viaZod(input: unknown): unknown {
  const r = evaluationSchema.safeParse(input);
  return r.success ? { ok: r.data } : { error: true };
}

function viaParseEvaluation(input: unknown): unknown {
  try {
    return { ok: parseEvaluation(input) };
  } catch {
    return { error: true };
  }
}

describe('parseEvaluation', () => {
  it('answers every body as evaluationSchema does', () => {
    let shortcut = 0;
    let accepted = 0;
    fc.assert(
      fc.property(body, (input) => {
        const answer = viaParseEvaluation(input) as { ok?: unknown };
        expect(answer).toEqual(viaZod(input));
        if (answer.ok === undefined) return;
        accepted++;
        if (answer.ok === input) shortcut++;
      }),
      { numRuns: 3000 },
    );
    // The run has to reach both paths for the property to say anything.
    expect(shortcut).toBeGreaterThan(30);
    expect(accepted - shortcut).toBeGreaterThan(30);
  });

  it('returns the plain body itself, and gives zod the rest with its message', () => {
    const plain = { subject: { type: 'user', id: 'alice' }, action: { name: 'read' }, resource: { type: 'doc', id: 'd1' } };
    expect(parseEvaluation(plain)).toBe(plain);
    const numeric = { ...plain, resource: { type: 'doc', id: 101 } };
    expect(parseEvaluation(numeric)).toEqual(numeric);
    expect(() => parseEvaluation({ ...plain, action: { name: '' } })).toThrow(/Invalid input for field 'action.name'/);
    expect(() => parseEvaluation({ ...plain, subject: { type: 'user', id: 'x'.repeat(1025) } })).toThrow(/Invalid input for field 'subject.id'/);
  });
});
