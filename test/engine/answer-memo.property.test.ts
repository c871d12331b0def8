/**
 * Property: remembering Casbin's answers (src/engine/answer-memo.ts) changes no answer. For random
 * policies (role, relation, user:, group:, `*` subjects, wildcard actions and types, allow and
 * deny, p2 conditions over caller and target, p3 lock rows), random role graphs and a random
 * stream of questions with grants, memberships and implications changing between them, an
 * engine that remembers gives exactly the decisions (allowed, reason, cited row, role path,
 * relations, blocking locks) of one that asks Casbin every time.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, type Decision } from '../../src/engine/engine.js';
import type { PolicyRule } from '../../src/engine/policy-rule.js';
import { RoleGraph, type GraphGrant } from '../../src/engine/role-graph.js';

const MODEL = readFileSync(new URL('../../model.conf', import.meta.url), 'utf8');
const ROLES = ['reader', 'member', 'admin', 'other'];
const USERS = ['u0', 'u1', 'u2', 'u3'];
const GROUPS = ['g0', 'g1'];
const PROJECTS = ['p0', 'p1', 'p2'];
const ACTIONS = ['read', 'update', 'delete', 'snapshot'];
const TYPES = ['vm', 'volume', 'vmx'];
const PERMISSIONS = ['thing:get', 'thing:put', 'other:get'];

const subject = fc.oneof(
  fc.constantFrom(...ROLES).map((r) => `role:${r}`),
  fc.constantFrom('owner', 'owner_group', '*', 'ctx:service'),
  fc.constantFrom(...USERS).map((u) => `user:${u}`),
  fc.constantFrom(...GROUPS).map((g) => `group:${g}`),
);
const effect = fc.constantFrom('allow', 'allow', 'deny');
const pRow = fc.tuple(subject, fc.constantFrom('*', 'vm', 'vm*', 'volume'), fc.constantFrom('*', ...ACTIONS), effect);
const condition = fc.constantFrom(
  'true',
  "r2.sub.project != '' && r2.sub.project == r2.obj.project_id",
  'r2.obj.subject_id == r2.sub.id',
  "r2.sub.system == 'all'",
  "keyMatch(r2.obj.name, 'a*')",
  'r2.obj.flag == true',
  "r2.obj.nested != ''",
);
const p2Row = fc.tuple(subject, fc.constantFrom('thing:*', '*', ...PERMISSIONS), condition, effect);
const p3Row = fc.tuple(fc.constantFrom('manila:delete', 'cdn:*', 'route'), fc.constantFrom('*', 'holder', 'other', 'shared'), fc.constantFrom('*', ...ACTIONS));

const grant = fc.record({
  actorType: fc.constantFrom('user' as const, 'group' as const),
  actor: fc.nat(3),
  target: fc.oneof(
    fc.constantFrom(...PROJECTS).map((id) => ({ targetType: 'project' as const, targetId: id })),
    fc.constant({ targetType: 'domain' as const, targetId: 'd0' }),
    fc.constant({ targetType: 'system' as const, targetId: 'system' }),
  ),
  role: fc.constantFrom(...ROLES),
  inherited: fc.boolean(),
});
const toGrant = (g: Parameters<Parameters<typeof grant.map>[0]>[0]): GraphGrant => ({
  actorType: g.actorType,
  actorId: g.actorType === 'user' ? USERS[g.actor % USERS.length]! : GROUPS[g.actor % GROUPS.length]!,
  ...g.target,
  roleId: g.role,
  inherited: g.target.targetType !== 'system' && g.inherited,
});

const resourceQuestion = fc.record({
  kind: fc.constant('resource' as const),
  user: fc.constantFrom(...USERS, 'stranger'),
  action: fc.constantFrom(...ACTIONS, 'unnamed'),
  type: fc.constantFrom(...TYPES),
  scope: fc.constantFrom(...PROJECTS.map((p) => `project:${p}`), 'domain:d0', 'system'),
  owner: fc.option(fc.constantFrom(...USERS), { nil: null }),
  group: fc.option(fc.constantFrom(...GROUPS), { nil: null }),
  locks: fc.array(fc.record({ kind: fc.constantFrom('manila:delete', 'cdn:soft', 'cdn:hard', 'route'), holder: fc.constantFrom(...USERS), shared: fc.constantFrom([], ['u1']) }), { maxLength: 2 }),
});
const permissionQuestion = fc.record({
  kind: fc.constant('permission' as const),
  user: fc.constantFrom(...USERS),
  permission: fc.constantFrom(...PERMISSIONS, 'unnamed:perm'),
  scope: fc.constantFrom(...PROJECTS.map((p) => `project:${p}`), 'system'),
  service: fc.boolean(),
  target: fc.record({
    project_id: fc.constantFrom('p0', 'p1', ''),
    subject_id: fc.constantFrom(...USERS),
    name: fc.constantFrom('abc', 'xyz'),
    flag: fc.constantFrom(true, false, 0, 1, 'yes', ''),
    nested: fc.constantFrom<unknown>('', 'x', { a: 1 }, ['x']),
  }),
});
const write = fc.oneof(
  grant.map((g) => ({ kind: 'grant' as const, grant: g })),
  grant.map((g) => ({ kind: 'revoke' as const, grant: g })),
  fc.tuple(fc.constantFrom(...GROUPS), fc.constantFrom(...USERS)).map(([g, u]) => ({ kind: 'join' as const, group: g, user: u })),
  fc.tuple(fc.constantFrom(...GROUPS), fc.constantFrom(...USERS)).map(([g, u]) => ({ kind: 'leave' as const, group: g, user: u })),
  fc.constantFrom(['admin', 'member'], ['member', 'reader'], ['other', 'admin']).map(([a, b]) => ({ kind: 'imply' as const, prior: a!, implied: b! })),
);
const step = fc.oneof({ weight: 5, arbitrary: resourceQuestion }, { weight: 3, arbitrary: permissionQuestion }, { weight: 1, arbitrary: write });

/** The answer without `held`: what the engine read to give it (a memo reads it, Casbin asked directly does not). */
const answer = ({ held: _held, ...d }: Decision) => d;

describe('remembered answers (property)', () => {
  it('equal the answers of an engine that asks Casbin every time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(pRow, { maxLength: 10 }),
        fc.array(p2Row, { maxLength: 8 }),
        fc.array(p3Row, { maxLength: 4 }),
        fc.array(grant, { maxLength: 10 }),
        fc.array(step, { minLength: 1, maxLength: 60 }),
        async (p, p2, p3, grants, steps) => {
          const rules: PolicyRule[] = [
            ...p.map((values, i) => ({ ptype: 'p' as const, values, source: `t.csv:${i + 1}` })),
            ...p2.map((values, i) => ({ ptype: 'p2' as const, values, source: `t.csv:${100 + i}` })),
            ...p3.map(([kind, rel, act], i) => ({ ptype: 'p3' as const, values: [kind, rel, act, 'deny'], source: `t.csv:${200 + i}` })),
          ];
          const graph = new RoleGraph();
          for (const r of ROLES) graph.putRole({ id: r, name: r, domainId: null });
          graph.addImplication('admin', 'member');
          graph.addImplication('member', 'reader');
          PROJECTS.forEach((id, i) => graph.putProject({ id, domainId: 'd0', parentId: i === 0 ? null : 'p0' }));
          graph.addMember('g0', 'u0');
          graph.addMember('g1', 'u1');
          for (const g of grants) graph.addGrant(toGrant(g));
          const source = { load: async () => ({ rules, files: ['t.csv'] }) };
          const remembering = new Engine(graph, MODEL, source);
          const asking = new Engine(graph, MODEL, source, { rememberAnswers: false });
          await remembering.reload();
          await asking.reload();
          for (const s of steps) {
            if (s.kind === 'resource') {
              const q = {
                subjectId: s.user,
                action: s.action,
                resource: { type: s.type, id: 'r1', scope: s.scope, owner: s.owner, group: s.group },
                locks: s.locks.map((l, i) => ({ id: `L${i}`, ...l })),
              };
              expect(answer(remembering.decideResource(q))).toEqual(answer(asking.decideResource(q)));
            } else if (s.kind === 'permission') {
              const project = s.scope.startsWith('project:') ? s.scope.slice(8) : '';
              const q = {
                userId: s.user,
                scope: s.scope,
                facts: s.service ? ['ctx:service'] : [],
                attrs: { project, domain: '', system: s.scope === 'system' ? 'all' : '', service: s.service },
                permission: s.permission,
                target: s.target,
              };
              expect(answer(remembering.checkPermission(q))).toEqual(answer(asking.checkPermission(q)));
            } else if (s.kind === 'grant') graph.addGrant(toGrant(s.grant));
            else if (s.kind === 'revoke') graph.removeGrant(toGrant(s.grant));
            else if (s.kind === 'join') graph.addMember(s.group, s.user);
            else if (s.kind === 'leave') graph.removeMember(s.group, s.user);
            else if (!graph.wouldCycle(s.prior, s.implied)) graph.addImplication(s.prior, s.implied);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
