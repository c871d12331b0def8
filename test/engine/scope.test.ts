/** Scope keys: their text, and one kept string per project or domain id (src/engine/scope.ts). */
import { describe, expect, it } from 'vitest';
import { resourceScope, scopeKeyOf } from '../../src/engine/scope.js';

describe('scope keys', () => {
  it('names the system, a domain, a project, and no scope', () => {
    expect(scopeKeyOf('system')).toBe('system');
    expect(scopeKeyOf('unscoped')).toBe('unscoped');
    expect(scopeKeyOf('domain', 'd1')).toBe('domain:d1');
    expect(scopeKeyOf('project', 'p1')).toBe('project:p1');
    expect(scopeKeyOf('project', null)).toBe('project:');
    expect(resourceScope({ projectId: 'p1', domainId: 'd1' })).toBe('project:p1');
    expect(resourceScope({ projectId: null, domainId: 'd1' })).toBe('domain:d1');
    expect(resourceScope({})).toBe('system');
  });

  it('gives the same key for the same id, and keeps a project and a domain of one id apart', () => {
    const id = ['p', 'x'].join('-'); // a string made at run time, as an id read from a request is
    expect(scopeKeyOf('project', id)).toBe(scopeKeyOf('project', 'p-x'));
    expect(resourceScope({ projectId: id })).toBe('project:p-x');
    expect(scopeKeyOf('domain', id)).toBe('domain:p-x');
  });

  it('keeps answering right once more ids were asked than it keeps', () => {
    for (let i = 0; i < 100_001; i++) scopeKeyOf('project', `many-${i}`);
    expect(scopeKeyOf('project', 'many-0')).toBe('project:many-0');
    expect(scopeKeyOf('project', 'many-100000')).toBe('project:many-100000');
  });
});
