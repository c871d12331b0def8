/** Unit tests for the dense part of role assignments: the effective expansion (docs/compatibility.md §1.7). */
import { describe, expect, it } from 'vitest';
import {
  descendants,
  listAssignments,
  type AssignmentQuery,
  type Snapshot,
} from '../../../src/domain/identity/assignment-expansion.js';
import type { Grant } from '../../../src/store/role-store.js';

const grant = (g: Partial<Grant> & Pick<Grant, 'actorId' | 'targetId' | 'roleId'>): Grant => ({
  actorType: 'user',
  targetType: 'project',
  inherited: false,
  ...g,
});

function snapshot(grants: Grant[], opts: { implies?: [string, string][]; domainRoles?: string[] } = {}): Snapshot {
  const roles = new Set(['a', 'b', 'c', 'd', 'dom', ...grants.map((g) => g.roleId)]);
  const implies = new Map<string, string[]>();
  for (const [p, i] of opts.implies ?? []) implies.set(p, [...(implies.get(p) ?? []), i]);
  const members: Record<string, string[]> = { g1: ['u1', 'u2'] };
  return {
    grants,
    roleDomains: new Map([...roles].map((r) => [r, opts.domainRoles?.includes(r) ? 'D' : null])),
    implies,
    membersOf: (g) => members[g] ?? [],
    groupsOf: (u) => Object.keys(members).filter((g) => members[g]!.includes(u)),
    projects: new Map([
      ['p', { domainId: 'D', parentId: null }],
      ['c1', { domainId: 'D', parentId: 'p' }],
      ['c2', { domainId: 'D', parentId: 'c1' }],
      ['other', { domainId: 'E', parentId: null }],
    ]),
  };
}

const effective = (extra: Partial<AssignmentQuery> = {}): AssignmentQuery => ({
  system: false,
  effective: true,
  includeSubtree: false,
  ...extra,
});

const brief = (entries: ReturnType<typeof listAssignments>) =>
  entries.map((e) => `${e.actor.id}:${e.roleId}@${e.scope.id}${e.priorRoleId ? `<${e.priorRoleId}` : ''}`).sort();

describe('effective role-assignment expansion', () => {
  it('follows implication chains transitively, recording the immediate prior role', () => {
    const s = snapshot([grant({ actorId: 'u1', targetId: 'p', roleId: 'a' })], { implies: [['a', 'b'], ['b', 'c']] });
    expect(brief(listAssignments(effective(), s))).toEqual(['u1:a@p', 'u1:b@p<a', 'u1:c@p<b']);
  });

  it('terminates on a cycle loaded from a store (visited set)', () => {
    const s = snapshot([grant({ actorId: 'u1', targetId: 'p', roleId: 'a' })], { implies: [['a', 'b'], ['b', 'a']] });
    const out = listAssignments(effective(), s);
    expect(brief(out)).toEqual(['u1:a@p', 'u1:a@p<b', 'u1:b@p<a']);
  });

  it('strips domain-specific roles but keeps the global roles they imply', () => {
    const s = snapshot([grant({ actorId: 'u1', targetId: 'p', roleId: 'dom' })], {
      implies: [['dom', 'a']],
      domainRoles: ['dom'],
    });
    expect(brief(listAssignments(effective(), s))).toEqual(['u1:a@p<dom']);
  });

  it('expands a group grant to each member, or only to the filtered user', () => {
    const s = snapshot([grant({ actorType: 'group', actorId: 'g1', targetId: 'p', roleId: 'a' })]);
    expect(brief(listAssignments(effective(), s))).toEqual(['u1:a@p', 'u2:a@p']);
    const one = listAssignments(effective({ userId: 'u2' }), s);
    expect(brief(one)).toEqual(['u2:a@p']);
    expect(one[0]!.viaGroup).toBe('g1');
  });

  it('puts an inherited project grant on every descendant, not on the project itself', () => {
    const s = snapshot([grant({ actorId: 'u1', targetId: 'p', roleId: 'a', inherited: true })]);
    expect(brief(listAssignments(effective(), s))).toEqual(['u1:a@c1', 'u1:a@c2']);
    expect(brief(listAssignments(effective({ projectId: 'c2' }), s))).toEqual(['u1:a@c2']);
    expect(listAssignments(effective({ projectId: 'p' }), s)).toEqual([]);
  });

  it('puts an inherited domain grant on every project of that domain only', () => {
    const s = snapshot([grant({ actorId: 'u1', targetType: 'domain', targetId: 'D', roleId: 'a', inherited: true })]);
    expect(brief(listAssignments(effective(), s))).toEqual(['u1:a@c1', 'u1:a@c2', 'u1:a@p']);
    expect(listAssignments(effective({ domainId: 'D' }), s)).toEqual([]);
  });

  it('never lists system grants, and applies role.id after implication', () => {
    const s = snapshot(
      [
        grant({ actorId: 'u1', targetType: 'system', targetId: 'system', roleId: 'a' }),
        grant({ actorId: 'u1', targetId: 'p', roleId: 'a' }),
      ],
      { implies: [['a', 'b']] },
    );
    expect(brief(listAssignments(effective(), s))).toEqual(['u1:a@p', 'u1:b@p<a']);
    expect(brief(listAssignments(effective({ roleId: 'b' }), s))).toEqual(['u1:b@p<a']);
  });

  it('descendants walks the whole subtree', () => {
    expect([...descendants('p', snapshot([]))].sort()).toEqual(['c1', 'c2']);
    expect([...descendants('c2', snapshot([]))]).toEqual([]);
  });
});
