import { describe, expect, it } from 'vitest';
import { CallerSubjects } from '../../src/engine/caller-subjects.js';

const attrs = Object.freeze({ project: 'p1', domain: '', system: '', service: false });

describe('CallerSubjects', () => {
  it('gives a caller the same frozen r2.sub on every check', () => {
    const callers = new CallerSubjects();
    const sub = callers.of('bob', 'project:p1', [], attrs).sub;
    expect(sub).toEqual({ project: 'p1', domain: '', system: '', service: false, id: 'bob', key: 'bob\nproject:p1\n' });
    expect(Object.isFrozen(sub)).toBe(true);
    expect(callers.of('bob', 'project:p1', [], attrs).sub).toBe(sub);
  });

  it('makes another one for another user, scope or facts', () => {
    const callers = new CallerSubjects();
    const sub = callers.of('bob', 'project:p1', [], attrs).sub;
    expect(callers.of('ann', 'project:p1', [], attrs).sub).toMatchObject({ id: 'ann', key: 'ann\nproject:p1\n' });
    expect(callers.of('bob', 'project:p1', ['ctx:service'], attrs).sub).toMatchObject({ key: 'bob\nproject:p1\nctx:service' });
    expect(callers.of('bob', 'project:p2', [], attrs).sub).toMatchObject({ key: 'bob\nproject:p2\n' });
    expect(callers.of('bob', 'project:p1', [], attrs).sub).not.toBe(sub); // replaced by the last one asked
  });

  it('keeps none for attributes that could change (not frozen)', () => {
    const callers = new CallerSubjects();
    const open = { project: 'p1' };
    const sub = callers.of('bob', 'project:p1', [], open).sub;
    open.project = 'p2';
    expect(callers.of('bob', 'project:p1', [], open).sub).toMatchObject({ project: 'p2' });
    expect(Object.isFrozen(sub)).toBe(false);
  });

  it('says whether the parts are plain (no newline in them, no comma or newline in a fact)', () => {
    const callers = new CallerSubjects();
    expect(callers.of('bob', 'project:p1', ['ctx:service'], attrs).plain).toBe(true);
    expect(callers.of('bo\nb', 'project:p1', [], attrs).plain).toBe(false);
    expect(callers.of('bob', 'project:p1', ['a,b'], attrs).plain).toBe(false);
    expect(callers.of('bob', 'project:p\n1', [], { ...attrs }).plain).toBe(false);
    expect(callers.of('bob', 'project:p1', [], undefined).plain).toBe(true);
  });
});
