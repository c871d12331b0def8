import { describe, expect, it } from 'vitest';
import { CallerSubjects } from '../../src/engine/caller-subjects.js';

const attrs = Object.freeze({ project: 'p1', domain: '', system: '', service: false });

describe('CallerSubjects', () => {
  it('gives a caller the same frozen r2.sub on every check', () => {
    const callers = new CallerSubjects();
    const sub = callers.of('bob', 'project:p1', [], attrs);
    expect(sub).toEqual({ project: 'p1', domain: '', system: '', service: false, id: 'bob', key: 'bob\nproject:p1\n' });
    expect(Object.isFrozen(sub)).toBe(true);
    expect(callers.of('bob', 'project:p1', [], attrs)).toBe(sub);
  });

  it('makes another one for another user, scope or facts', () => {
    const callers = new CallerSubjects();
    const sub = callers.of('bob', 'project:p1', [], attrs);
    expect(callers.of('ann', 'project:p1', [], attrs)).toMatchObject({ id: 'ann', key: 'ann\nproject:p1\n' });
    expect(callers.of('bob', 'project:p1', ['ctx:service'], attrs)).toMatchObject({ key: 'bob\nproject:p1\nctx:service' });
    expect(callers.of('bob', 'project:p2', [], attrs)).toMatchObject({ key: 'bob\nproject:p2\n' });
    expect(callers.of('bob', 'project:p1', [], attrs)).not.toBe(sub); // replaced by the last one asked
  });

  it('keeps none for attributes that could change (not frozen)', () => {
    const callers = new CallerSubjects();
    const open = { project: 'p1' };
    const sub = callers.of('bob', 'project:p1', [], open);
    open.project = 'p2';
    expect(callers.of('bob', 'project:p1', [], open)).toMatchObject({ project: 'p2' });
    expect(Object.isFrozen(sub)).toBe(false);
  });
});
