/**
 * Property: a search finds exactly what evaluating every candidate finds. Subject and resource
 * searches narrow their candidates from the role graph and the registry's indexes
 * (src/domain/search-candidates.ts); for random policies (role, owner, owner_group, user:,
 * group:, `*` and other subjects, wildcard types and actions, deny rows, conditions), random
 * role graphs (implications, a domain-specific role, inherited grants on project trees and
 * domains, system grants, groups) and random registries (resources in projects, in a domain
 * only, in unknown projects, with owners and groups, some locked), every page of a search
 * (pages of 2) joined equals the allowed ones among all directory users (and a user outside it
 * that a row names or that owns the resource) or all resources of the type, each decided by the same decision service.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecisionJournal } from '../../src/domain/decision-journal.js';
import { DecisionService } from '../../src/domain/decision-service.js';
import { SearchService } from '../../src/domain/search-service.js';
import { directoryLookup, Subjects } from '../../src/domain/subjects.js';
import { Engine } from '../../src/engine/engine.js';
import type { PolicyRule } from '../../src/engine/policy-rule.js';
import { RoleGraph } from '../../src/engine/role-graph.js';
import { createMemoryStores } from '../../src/store/memory/memory-stores.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { createMetrics } from '../../src/telemetry/metrics.js';

const MODEL = readFileSync(new URL('../../model.conf', import.meta.url), 'utf8');
const ROLES = ['reader', 'member', 'admin', 'other', 'ds'];
const USERS = ['u0', 'u1', 'u2', 'u3', 'u4'];
const GROUPS = ['g0', 'g1'];
const PROJECTS = ['p0', 'p1', 'p2', 'p3', 'p4'];
const ACTIONS = ['read', 'update', 'delete'];
const TYPES = ['vm', 'volume'];

const pRow = fc.tuple(
  fc.oneof(
    fc.constantFrom(...ROLES.filter((r) => r !== 'ds')).map((r) => `role:${r}`),
    fc.constantFrom('owner', 'owner_group', '*', 'ctx:service'),
    fc.constantFrom(...USERS, 'ghost').map((u) => `user:${u}`),
    fc.constantFrom(...GROUPS).map((g) => `group:${g}`),
  ),
  fc.constantFrom('*', 'vm', 'vm*', 'volume'),
  fc.constantFrom('*', ...ACTIONS),
  fc.constantFrom('allow', 'allow', 'allow', 'deny'),
  fc.constantFrom(undefined, undefined, "r.obj.properties.tier == 'gold'", "r.sub.id != 'u1'"),
);
const grant = fc.record({
  actor: fc.oneof(
    fc.constantFrom(...USERS).map((id) => ({ actorType: 'user' as const, actorId: id })),
    fc.constantFrom(...GROUPS).map((id) => ({ actorType: 'group' as const, actorId: id })),
  ),
  target: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PROJECTS, 'px').map((id) => ({ targetType: 'project' as const, targetId: id })) },
    { weight: 2, arbitrary: fc.constantFrom('d0', 'd1').map((id) => ({ targetType: 'domain' as const, targetId: id })) },
    { weight: 1, arbitrary: fc.constant({ targetType: 'system' as const, targetId: 'system' }) },
  ),
  role: fc.constantFrom(...ROLES),
  inherited: fc.boolean(),
});
const resource = fc.record({
  type: fc.constantFrom(...TYPES),
  projectId: fc.constantFrom<string | null>(...PROJECTS, 'px', null),
  domainId: fc.constantFrom<string | null>('d0', 'd1', null),
  owner: fc.constantFrom<string | null>(...USERS, 'ghost', null),
  group: fc.constantFrom<string | null>(...GROUPS, null),
  gold: fc.boolean(),
  locked: fc.boolean(),
});
const world = fc.record({
  rows: fc.array(pRow, { minLength: 1, maxLength: 6 }),
  implies: fc.uniqueArray(fc.tuple(fc.nat(4), fc.nat(4)).filter(([a, b]) => a < b), { maxLength: 5 }),
  parents: fc.tuple(...PROJECTS.map((_, i) => (i === 0 ? fc.constant(-1) : fc.integer({ min: -1, max: i - 1 })))),
  members: fc.uniqueArray(fc.tuple(fc.constantFrom(...GROUPS), fc.constantFrom(...USERS)), { maxLength: 6 }),
  grants: fc.array(grant, { maxLength: 10 }),
  resources: fc.array(resource, { minLength: 1, maxLength: 14 }),
  asks: fc.array(fc.record({ action: fc.constantFrom(...ACTIONS), type: fc.constantFrom(...TYPES), user: fc.constantFrom(...USERS), pick: fc.nat() }), {
    minLength: 1,
    maxLength: 4,
  }),
});

/** Casbin's keyMatch: a `*` in the pattern matches any rest. */
const keyMatch = (value: string, pattern: string) => (pattern.includes('*') ? value.startsWith(pattern.slice(0, pattern.indexOf('*'))) : value === pattern);

async function pages(search: (token?: string) => Promise<{ results: string[]; nextToken?: string }>): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await search(token);
    out.push(...page.results);
    token = page.nextToken;
  } while (token);
  return out;
}

describe('search candidates (property)', () => {
  it('find exactly what evaluating every candidate finds', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const stores = createMemoryStores();
        const graph = new RoleGraph();
        for (const r of ROLES) graph.putRole({ id: r, name: r, domainId: r === 'ds' ? 'd0' : null });
        for (const [a, b] of w.implies) graph.addImplication(ROLES[a]!, ROLES[b]!);
        const rootOf = (i: number): number => (w.parents[i]! >= 0 ? rootOf(w.parents[i]!) : i);
        PROJECTS.forEach((id, i) =>
          graph.putProject({ id, domainId: `d${rootOf(i) % 2}`, parentId: w.parents[i]! >= 0 ? PROJECTS[w.parents[i]!]! : null }),
        );
        for (const [g, u] of w.members) graph.addMember(g, u);
        for (const x of w.grants) {
          graph.addGrant({ ...x.actor, ...x.target, roleId: x.role, inherited: x.target.targetType !== 'system' && x.inherited });
        }
        for (const id of USERS) await stores.directory.users.create({ id, name: id, domainId: 'd0', enabled: true });
        const now = new Date().toISOString();
        const ids: string[] = [];
        for (const [i, r] of w.resources.entries()) {
          const id = `${r.type}-${String.fromCharCode(97 + ((i * 7) % 26))}${i}`;
          ids.push(id);
          await stores.resources.put({
            type: r.type, id, projectId: r.projectId, domainId: r.domainId, owner: r.owner, group: r.group, status: null,
            attributes: r.gold ? { tier: 'gold' } : {}, createdAt: now, updatedAt: now,
          });
          if (r.locked) await stores.routeLocks.acquire(r.type, id, 'u0', now);
        }
        const rules: PolicyRule[] = [
          ...w.rows.map(([sub, obj, act, eft, cond], i) => ({ ptype: 'p' as const, values: cond ? [sub, obj, act, eft, cond] : [sub, obj, act, eft], source: `t.csv:${i + 1}` })),
          { ptype: 'p3', values: ['route', 'other', 'update', 'deny'], source: 't.csv:99' },
        ];
        const engine = new Engine(graph, MODEL, { load: async () => ({ rules, files: ['t.csv'] }) });
        await engine.reload();
        const log = createLogger('silent');
        const metrics = createMetrics({ defaultMetrics: false });
        const journal = new DecisionJournal({ store: stores.decisionLog, graph, metrics, log });
        const decisions = new DecisionService(stores, engine, metrics, journal);
        const subjects = new Subjects(directoryLookup(stores.directory), { types: ['user'], domain: '*' });
        const search = new SearchService(stores, graph, engine, decisions, subjects);

        for (const ask of w.asks) {
          // Who may act on one resource: all directory users, and the owners outside it, each evaluated.
          const id = ids[ask.pick % ids.length]!;
          const target = { type: w.resources[ask.pick % ids.length]!.type, id };
          const type = ask.type;
          const everyone = [...new Set([...USERS, 'ghost'])].sort();
          const conditional = engine.hasConditions(ask.action);
          const expectedUsers: string[] = [];
          for (const u of everyone) {
            const subject = conditional ? await subjects.resolve({ type: 'user', id: u }) : undefined;
            const d = await decisions.evaluate({ subjectId: u, ...(subject ? { subject } : {}), action: ask.action, resource: target });
            if (d.allowed) expectedUsers.push(u);
          }
          const subjectBody = { subject: { type: 'user' }, action: { name: ask.action }, resource: target };
          const foundUsers = await pages((token) =>
            search.subjects(subjectBody, { limit: 2, ...(token ? { token } : {}) }, subjectBody, log),
          );
          // A user outside the directory is found when a row names it, or owns the resource and an owner row counts.
          const targetOwner = w.resources[ask.pick % ids.length]!.owner;
          const ghostNamed = w.rows.some(
            ([sub, obj, act, eft]) =>
              eft === 'allow' && keyMatch(ask.action, act) && keyMatch(target.type, obj) && (sub === 'user:ghost' || (sub === 'owner' && targetOwner === 'ghost')),
          );
          expect(foundUsers, `who may ${ask.action} ${target.type}/${id}`).toEqual(expectedUsers.filter((u) => u !== 'ghost' || ghostNamed));

          // Which resources of a type the user may act on: every resource of the type, each evaluated.
          const subject = await subjects.resolve({ type: 'user', id: ask.user });
          const expectedResources: string[] = [];
          for (const rid of ids.filter((x) => x.startsWith(`${type}-`)).sort()) {
            const d = await decisions.evaluate({ subjectId: ask.user, subject, action: ask.action, resource: { type, id: rid } });
            if (d.allowed) expectedResources.push(rid);
          }
          const resourceBody = { subject, action: { name: ask.action }, resource: { type } };
          const foundResources = await pages((token) =>
            search.resources(resourceBody, { limit: 2, ...(token ? { token } : {}) }, resourceBody, log),
          );
          expect(foundResources, `${type}s ${ask.user} may ${ask.action}`).toEqual(expectedResources);
        }
      }),
      { numRuns: 200 },
    );
  });
});
