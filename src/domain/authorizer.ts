/**
 * API permission checks for every family: "may this caller use <permission> on <target>?", asked
 * of the engine (p2 rows). Conditions see the caller as r2.sub:
 *   id       user id
 *   project  token project id, or ''
 *   domain   token domain id, or ''
 *   system   'all' for a system-scoped token, else ''
 *   service  true when a valid X-Service-Token came with the request
 * and the target attributes the family passes as r2.obj.
 */
import type { Principal } from '../auth/principal.js';
import type { Decision, Engine, PermissionQuestion } from '../engine/engine.js';
import { forbidden } from '../errors.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { CounterSeries, HistogramSeries } from '../telemetry/tally.js';
import type { DecisionJournal } from './decision-journal.js';

export class Authorizer {
  private readonly allowed: CounterSeries;
  private readonly denied: CounterSeries;
  private readonly seconds: HistogramSeries;

  constructor(
    private readonly engine: Engine,
    metrics: Metrics,
    private readonly journal: DecisionJournal,
  ) {
    this.allowed = metrics.decisions.series({ result: 'allow', kind: 'permission' });
    this.denied = metrics.decisions.series({ result: 'deny', kind: 'permission' });
    this.seconds = metrics.decisionSeconds.series({ kind: 'permission' });
  }

  check(
    principal: Principal,
    permission: string,
    target: Record<string, unknown> = {},
    facts: readonly string[] = [],
  ): Decision {
    const started = process.hrtime.bigint();
    const question = permissionQuestion(principal, permission, target, facts);
    const decision = this.engine.checkPermission(question);
    this.seconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    (decision.allowed ? this.allowed : this.denied).inc();
    this.journal.permission(question, decision, principal.requestId);
    return decision;
  }

  /** Throws 403 with the family's message when the engine says no. */
  require(
    principal: Principal,
    permission: string,
    message: string,
    target: Record<string, unknown> = {},
    facts: readonly string[] = [],
  ): Decision {
    const decision = this.check(principal, permission, target, facts);
    if (!decision.allowed) throw forbidden(message, { reason: decision.reason });
    return decision;
  }
}

/** What the engine is asked for a permission check. */
export function permissionQuestion(
  principal: Principal,
  permission: string,
  target: Record<string, unknown>,
  facts: readonly string[],
): PermissionQuestion {
  return { userId: principal.userId, scope: principal.scopeKey, facts, attrs: callerAttributes(principal), permission, target };
}

export function callerAttributes(p: Principal): Record<string, unknown> {
  return {
    project: p.scope.type === 'project' ? (p.scope.id ?? '') : '',
    domain: p.scope.type === 'domain' ? (p.scope.id ?? '') : '',
    system: p.scope.type === 'system' ? 'all' : '',
    service: p.service !== undefined,
  };
}
