/**
 * Property: for random role DAGs, project trees, groups and grants, the graph's effective roles
 * equal a naive recomputation straight from the definition (docs/architecture.md invariant 1).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RoleGraph, type GraphGrant } from '../../src/engine/role-graph.js';

const ROLES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'];
const PROJECTS = ['p0', 'p1', 'p2', 'p3', 'p4'];
const USERS = ['u0', 'u1', 'u2'];
const GROUPS = ['g0', 'g1'];

const world = fc.record({
  // Edges only from lower to higher index: always a DAG.
  implies: fc.uniqueArray(fc.tuple(fc.nat(5), fc.nat(5)).filter(([a, b]) => a < b), { maxLength: 10 }),
  // parent index < child index keeps the tree acyclic; domain by parity of the root.
  parents: fc.tuple(...PROJECTS.map((_, i) => (i === 0 ? fc.constant(-1) : fc.integer({ min: -1, max: i - 1 })))),
  members: fc.uniqueArray(fc.tuple(fc.constantFrom(...GROUPS), fc.constantFrom(...USERS)), { maxLength: 6 }),
  grants: fc.array(
    fc.record({
      actor: fc.oneof(
        fc.constantFrom(...USERS).map((id) => ({ actorType: 'user' as const, actorId: id })),
        fc.constantFrom(...GROUPS).map((id) => ({ actorType: 'group' as const, actorId: id })),
      ),
      target: fc.oneof(
        fc.constantFrom(...PROJECTS).map((id) => ({ targetType: 'project' as const, targetId: id })),
        fc.constantFrom('d0', 'd1').map((id) => ({ targetType: 'domain' as const, targetId: id })),
        fc.constant({ targetType: 'system' as const, targetId: 'system' }),
      ),
      role: fc.constantFrom(...ROLES),
      inherited: fc.boolean(),
    }),
    { maxLength: 12 },
  ),
});

describe('RoleGraph effective roles (property)', () => {
  it('match a naive recomputation for every user and scope', () => {
    fc.assert(
      fc.property(world, (w) => {
        const g = new RoleGraph();
        for (const r of ROLES) g.putRole({ id: r, name: r, domainId: null });
        for (const [a, b] of w.implies) g.addImplication(ROLES[a]!, ROLES[b]!);
        const parentOf = (i: number) => (w.parents[i]! >= 0 ? PROJECTS[w.parents[i]!]! : null);
        const rootIndex = (i: number): number => (w.parents[i]! >= 0 ? rootIndex(w.parents[i]!) : i);
        const domainOf = (i: number) => `d${rootIndex(i) % 2}`;
        PROJECTS.forEach((id, i) => g.putProject({ id, domainId: domainOf(i), parentId: parentOf(i) }));
        for (const [grp, u] of w.members) g.addMember(grp, u);
        const grants: GraphGrant[] = w.grants
          .filter((x) => !(x.target.targetType === 'system' && x.inherited))
          .map((x) => ({ ...x.actor, ...x.target, roleId: x.role, inherited: x.inherited }));
        for (const gr of grants) g.addGrant(gr);

        const closure = (r: string): Set<string> => {
          const out = new Set([r]);
          let grew = true;
          while (grew) {
            grew = false;
            for (const [a, b] of w.implies) {
              if (out.has(ROLES[a]!) && !out.has(ROLES[b]!)) {
                out.add(ROLES[b]!);
                grew = true;
              }
            }
          }
          return out;
        };
        const ancestors = (i: number): string[] => (w.parents[i]! >= 0 ? [PROJECTS[w.parents[i]!]!, ...ancestors(w.parents[i]!)] : []);
        const scopes = ['system', 'domain:d0', 'domain:d1', ...PROJECTS.map((p) => `project:${p}`)];
        for (const u of USERS) {
          const actors = new Set([`user:${u}`, ...w.members.filter(([, m]) => m === u).map(([grp]) => `group:${grp}`)]);
          for (const scope of scopes) {
            const expected = new Set<string>();
            for (const gr of grants) {
              if (!actors.has(`${gr.actorType}:${gr.actorId}`)) continue;
              let applies = gr.targetType === 'system';
              if (scope.startsWith('domain:')) {
                applies ||= gr.targetType === 'domain' && !gr.inherited && `domain:${gr.targetId}` === scope;
              } else if (scope.startsWith('project:')) {
                const i = PROJECTS.indexOf(scope.slice(8));
                if (gr.targetType === 'project') {
                  applies ||= gr.inherited ? ancestors(i).includes(gr.targetId) : gr.targetId === PROJECTS[i];
                }
                if (gr.targetType === 'domain') applies ||= gr.inherited && gr.targetId === domainOf(i);
              }
              if (applies) for (const r of closure(gr.roleId)) expected.add(r);
            }
            expect([...g.effectiveRoles(u, scope).keys()].sort()).toEqual([...expected].sort());
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
