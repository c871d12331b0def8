/**
 * Runs policy test suites with no server and no database: each suite's world goes into a role
 * graph of its own, the policy rows into an Engine (the server's), and every expectation is
 * asked the way the server asks it (the decision service's and the authorizer's question
 * builders), so a suite passes exactly when the server would answer the same.
 */
import type { Principal, TokenScope } from '../../auth/principal.js';
import { Engine, type Decision, type LockFact } from '../../engine/engine.js';
import type { PolicyRule } from '../../engine/policy-rule.js';
import { RoleGraph, type GraphGrant } from '../../engine/role-graph.js';
import { scopeKeyOf } from '../../engine/scope.js';
import type { RegisteredResource } from '../../store/resource-store.js';
import { permissionQuestion } from '../authorizer.js';
import { BOOTSTRAP_IMPLICATIONS, BOOTSTRAP_ROLES } from '../bootstrap.js';
import { mergeFacts, resourceQuestion, type Evaluation } from '../decision-service.js';
import type { LoadedSuite, MatrixTest, PermissionTest, Suite, SuiteResource, SuiteRoleGrant } from './suite.js';

export type Effect = 'allow' | 'deny';

export interface CheckFailure {
  /** e.g. `alice update document/42 (doc)` or `alice identity:list_roles`. */
  readonly check: string;
  readonly expected: Effect;
  readonly got: Effect;
  /** The decision's explanation: reason, deciding row, role path. */
  readonly explanation: string;
}

export interface TestResult {
  readonly name: string;
  readonly checks: number;
  readonly failures: readonly CheckFailure[];
}

export interface SuiteResult {
  readonly file: string;
  readonly name: string;
  readonly tests: readonly TestResult[];
}

export interface RunResult {
  readonly suites: readonly SuiteResult[];
  /** Sources (`policies/x.csv:12`) of every row that decided at least one check. */
  readonly decidedBy: ReadonlySet<string>;
}

export async function runSuites(modelText: string, rules: readonly PolicyRule[], suites: readonly LoadedSuite[]): Promise<RunResult> {
  const decidedBy = new Set<string>();
  const results: SuiteResult[] = [];
  for (const { file, suite } of suites) {
    const engine = new Engine(worldGraph(suite), modelText, { load: async () => ({ rules: [...rules], files: [] }) });
    await engine.reload();
    const noteRows = (d: Decision) => {
      if (d.policy) decidedBy.add(d.policy.source);
      for (const l of d.blockingLocks) decidedBy.add(l.policy.source);
    };
    const tests: TestResult[] = [];
    for (const t of suite.tests) {
      const failures: CheckFailure[] = [];
      let checks = 0;
      for (const p of t.input.principals) {
        for (const r of t.input.resources) {
          const expected = t.expected.find((e) => e.principal === p && e.resource === r)?.actions ?? {};
          const res = suite.resources[r]!;
          for (const action of t.input.actions) {
            const d = decideResource(engine, p, suite.principals[p]!, action, res, t);
            noteRows(d);
            checks++;
            const want = expected[action] ?? 'deny';
            if (effect(d) !== want) {
              failures.push({ check: `${p} ${action} ${res.type}/${res.id} (${r})`, expected: want, got: effect(d), explanation: explain(d) });
            }
          }
        }
      }
      tests.push({ name: t.name, checks, failures });
    }
    for (const t of suite.permissions) {
      const failures: CheckFailure[] = [];
      for (const [permission, want] of Object.entries(t.expected)) {
        const d = engine.checkPermission(permissionQuestion(principalOf(t), permission, t.target, t.facts));
        noteRows(d);
        if (effect(d) !== want) failures.push({ check: `${t.principal} ${permission}`, expected: want, got: effect(d), explanation: explain(d) });
      }
      tests.push({ name: t.name, checks: Object.keys(t.expected).length, failures });
    }
    results.push({ file, name: suite.name, tests });
  }
  return { suites: results, decidedBy };
}

const effect = (d: Decision): Effect => (d.allowed ? 'allow' : 'deny');

/** The reason (which cites the deciding row and role path), the row itself, and what held. */
function explain(d: Decision): string {
  const parts = [d.reason];
  if (d.policy) parts.push(`row: ${d.policy.rule.join(', ')}`);
  for (const l of d.blockingLocks) parts.push(`${l.id} blocks by ${l.policy.source}: ${l.policy.rule.join(', ')}`);
  if (d.facts.length) parts.push(`relations: ${d.facts.join(', ')}`);
  return parts.join('; ');
}

/** The suite's world as the role graph: role ids are the role names, so role paths read plainly. */
function worldGraph(s: Suite): RoleGraph {
  const graph = new RoleGraph();
  for (const name of s.roles ?? BOOTSTRAP_ROLES) graph.putRole({ id: name, name, domainId: null });
  for (const [prior, implied] of Object.entries(s.implied_roles ?? BOOTSTRAP_IMPLICATIONS)) {
    for (const i of implied) graph.addImplication(prior, i);
  }
  const domainOf = (id: string, seen = new Set<string>()): string => {
    const p = s.projects[id];
    if (p?.domain) return p.domain;
    if (p?.parent && !seen.has(p.parent)) return domainOf(p.parent, seen.add(id));
    return 'default';
  };
  for (const [id, p] of Object.entries(s.projects)) graph.putProject({ id, domainId: domainOf(id), parentId: p.parent ?? null });
  const grant = (actorType: 'user' | 'group', actorId: string, g: SuiteRoleGrant): GraphGrant => ({
    actorType,
    actorId,
    targetType: g.project !== undefined ? 'project' : g.domain !== undefined ? 'domain' : 'system',
    targetId: g.project ?? g.domain ?? 'system',
    roleId: g.role,
    inherited: g.inherited,
  });
  for (const [user, p] of Object.entries(s.principals)) {
    for (const g of p.groups) graph.addMember(g, user);
    for (const g of p.roles) graph.addGrant(grant('user', user, g));
  }
  for (const [group, g] of Object.entries(s.groups)) for (const r of g.roles) graph.addGrant(grant('group', group, r));
  return graph;
}

function decideResource(engine: Engine, subjectId: string, principal: Suite['principals'][string], action: string, r: SuiteResource, t: MatrixTest): Decision {
  const stored: RegisteredResource = {
    type: r.type,
    id: r.id,
    projectId: r.project ?? null,
    domainId: r.domain ?? null,
    owner: r.owner ?? null,
    group: r.group ?? null,
    status: null,
    attributes: r.attributes ?? {},
    createdAt: '',
    updatedAt: '',
  };
  const evaluation: Evaluation = {
    subjectId,
    subject: {
      type: principal.type,
      id: subjectId,
      ...(principal.properties ? { properties: principal.properties } : {}),
      user: { id: subjectId, name: subjectId, domainId: 'default' },
    },
    action,
    ...(t.action_properties ? { actionProperties: t.action_properties } : {}),
    resource: { type: r.type, id: r.id },
    ...(t.context ? { context: t.context } : {}),
  };
  const locks: LockFact[] = r.locks.map((l, i) => ({
    id: l.id ?? `${l.kind}#${i + 1}`,
    kind: l.kind,
    holder: l.holder,
    ...(l.shared ? { shared: l.shared } : {}),
  }));
  return engine.decideResource(resourceQuestion(evaluation, mergeFacts(evaluation.resource, stored), locks));
}

function principalOf(t: PermissionTest): Principal {
  const scope: TokenScope =
    t.scope === 'system' ? { type: 'system' } : 'project' in t.scope ? { type: 'project', id: t.scope.project } : { type: 'domain', id: t.scope.domain };
  return {
    userId: t.principal,
    scope,
    scopeKey: scopeKeyOf(scope.type, scope.id),
    via: 'jwt',
    ...(t.service ? { service: { userId: 'service', scopeKey: 'system' } } : {}),
  };
}
