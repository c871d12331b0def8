/**
 * Property: the role graph's reverse answers (used by searches) agree with effectiveRoles. For
 * random role DAGs (with a domain-specific role), project trees, memberships and grants, then
 * grants added and revoked, users, groups and roles removed (the reverse index follows every change):
 *   holdersIn(names, scope)   = the users whose effective roles in the scope include a name;
 *   scopesHolding(user, names) names exactly the scopes where the user holds one (or everywhere).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RoleGraph, type GraphGrant } from '../../src/engine/role-graph.js';

const ROLES = ['r0', 'r1', 'r2', 'r3', 'ds'];
const PROJECTS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
const USERS = ['u0', 'u1', 'u2', 'u3'];
const GROUPS = ['g0', 'g1'];
// Every scope a resource can be in, including a project the graph does not know.
const SCOPES = ['system', 'domain:d0', 'domain:d1', ...PROJECTS.map((p) => `project:${p}`), 'project:px'];

const grant = fc.record({
  actor: fc.oneof(
    fc.constantFrom(...USERS).map((id) => ({ actorType: 'user' as const, actorId: id })),
    fc.constantFrom(...GROUPS).map((id) => ({ actorType: 'group' as const, actorId: id })),
  ),
  target: fc.oneof(
    fc.constantFrom(...PROJECTS, 'px').map((id) => ({ targetType: 'project' as const, targetId: id })),
    fc.constantFrom('d0', 'd1').map((id) => ({ targetType: 'domain' as const, targetId: id })),
    fc.constant({ targetType: 'system' as const, targetId: 'system' }),
  ),
  role: fc.constantFrom(...ROLES, 'unknown'),
  inherited: fc.boolean(),
});
const toGrant = (x: { actor: { actorType: 'user' | 'group'; actorId: string }; target: { targetType: 'project' | 'domain' | 'system'; targetId: string }; role: string; inherited: boolean }): GraphGrant => ({
  ...x.actor,
  ...x.target,
  roleId: x.role,
  inherited: x.target.targetType !== 'system' && x.inherited,
});

const world = fc.record({
  implies: fc.uniqueArray(fc.tuple(fc.nat(4), fc.nat(4)).filter(([a, b]) => a < b), { maxLength: 8 }),
  parents: fc.tuple(...PROJECTS.map((_, i) => (i === 0 ? fc.constant(-1) : fc.integer({ min: -1, max: i - 1 })))),
  members: fc.uniqueArray(fc.tuple(fc.constantFrom(...GROUPS), fc.constantFrom(...USERS)), { maxLength: 6 }),
  grants: fc.array(grant, { maxLength: 14 }),
  changes: fc.array(
    fc.oneof(
      fc.nat().map((n) => ({ kind: 'revoke' as const, n })),
      grant.map((g) => ({ kind: 'grant' as const, grant: g })),
      fc.constantFrom(...USERS).map((id) => ({ kind: 'removeUser' as const, id })),
      fc.constantFrom(...GROUPS).map((id) => ({ kind: 'removeGroup' as const, id })),
      fc.constantFrom('r1', 'r2').map((id) => ({ kind: 'removeRole' as const, id })),
    ),
    { maxLength: 4 },
  ),
  names: fc.uniqueArray(fc.constantFrom('r0', 'r1', 'r2', 'r3', 'ds'), { minLength: 1, maxLength: 2 }),
});

describe('RoleGraph reverse answers (property)', () => {
  it('agree with effectiveRoles for every user and scope, through changes', () => {
    fc.assert(
      fc.property(world, (w) => {
        const g = new RoleGraph();
        // `ds` is domain-specific: never held itself, only what it implies.
        for (const r of ROLES) g.putRole({ id: r, name: r, domainId: r === 'ds' ? 'd0' : null });
        for (const [a, b] of w.implies) g.addImplication(ROLES[a]!, ROLES[b]!);
        const rootOf = (i: number): number => (w.parents[i]! >= 0 ? rootOf(w.parents[i]!) : i);
        PROJECTS.forEach((id, i) =>
          g.putProject({ id, domainId: `d${rootOf(i) % 2}`, parentId: w.parents[i]! >= 0 ? PROJECTS[w.parents[i]!]! : null }),
        );
        for (const [grp, u] of w.members) g.addMember(grp, u);
        for (const x of w.grants) g.addGrant(toGrant(x));
        for (const c of w.changes) {
          if (c.kind === 'grant') g.addGrant(toGrant(c.grant));
          else if (c.kind === 'revoke') {
            if (w.grants.length) g.removeGrant(toGrant(w.grants[c.n % w.grants.length]!));
          }
          else if (c.kind === 'removeUser') g.removeUser(c.id);
          else if (c.kind === 'removeGroup') g.removeGroup(c.id);
          else g.removeRole(c.id);
        }
        const names = new Set<string>(w.names);
        const holds = (u: string, scope: string) => [...g.effectiveRoles(u, scope).keys()].some((n) => names.has(n));
        for (const scope of SCOPES) {
          expect([...g.holdersIn(names, scope)].sort(), scope).toEqual(USERS.filter((u) => holds(u, scope)));
        }
        for (const u of USERS) {
          const { everywhere, scopes } = g.scopesHolding(u, names);
          for (const scope of SCOPES) expect(everywhere || scopes.has(scope), `${u} in ${scope}`).toBe(holds(u, scope));
        }
      }),
      { numRuns: 400 },
    );
  });
});
