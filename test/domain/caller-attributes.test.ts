import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { callerAttributes } from '../../src/domain/authorizer.js';

const caller = (scope: Principal['scope'], service = false): Principal => ({
  userId: 'alice',
  scope,
  scopeKey: scope.type === 'system' || scope.type === 'unscoped' ? scope.type : `${scope.type}:${scope.id}`,
  via: 'jwt',
  ...(service ? { service: { userId: 'nova', scopeKey: 'project:svc' } } : {}),
});

describe('callerAttributes (r2.sub of a permission check)', () => {
  it('describes the token scope and the service token', () => {
    expect(callerAttributes(caller({ type: 'project', id: 'p1' }))).toEqual({ project: 'p1', domain: '', system: '', service: false });
    expect(callerAttributes(caller({ type: 'domain', id: 'd1' }, true))).toEqual({ project: '', domain: 'd1', system: '', service: true });
    expect(callerAttributes(caller({ type: 'system' }))).toEqual({ project: '', domain: '', system: 'all', service: false });
    expect(callerAttributes(caller({ type: 'unscoped' }, true))).toEqual({ project: '', domain: '', system: '', service: true });
  });

  it('is one shared, frozen object per scope and service flag (the decision log keeps it by reference)', () => {
    const a = callerAttributes(caller({ type: 'project', id: 'p2' }));
    expect(callerAttributes(caller({ type: 'project', id: 'p2' }))).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(callerAttributes(caller({ type: 'project', id: 'p2' }, true))).not.toBe(a);
    expect(callerAttributes(caller({ type: 'domain', id: 'p2' }))).not.toBe(a);
  });
});
