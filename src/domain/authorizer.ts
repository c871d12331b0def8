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
import { performance } from 'node:perf_hooks'; // not the global: on Node 20 that is a getter, run at each use

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

  /**
   * `targetKey`: the target's one key, when the target is an object literal of that one entry
   * (PermissionQuestion.targetKey: the decision log keeps it without walking the object).
   */
  check(
    principal: Principal,
    permission: string,
    target: Readonly<Record<string, unknown>> = NO_TARGET,
    facts: readonly string[] = NO_FACTS,
    targetKey?: string,
  ): Decision {
    const started = performance.now();
    const question = permissionQuestion(principal, permission, target, facts, targetKey);
    const decision = this.engine.checkPermission(question);
    const answered = performance.now();
    this.seconds.observe((answered - started) / 1e3);
    (decision.allowed ? this.allowed : this.denied).inc();
    this.journal.permission(question, decision, principal.requestId, answered); // the reading gives the record's id its time
    return decision;
  }

  /** Throws 403 with the family's message when the engine says no. */
  require(
    principal: Principal,
    permission: string,
    message: string,
    target: Readonly<Record<string, unknown>> = NO_TARGET,
    facts: readonly string[] = NO_FACTS,
    targetKey?: string,
  ): Decision {
    const decision = this.check(principal, permission, target, facts, targetKey);
    if (!decision.allowed) throw forbidden(message, { reason: decision.reason });
    return decision;
  }
}

/*
 * The decision log keeps each permission check's question by reference (decision-journal.ts), so
 * whatever a check makes for its question outlives the young generation: the garbage collector
 * copies it and promotes it, work that cost a check (about 2 µs) a third to most of its time again
 * with the log on (docs/performance-history.md, "Decision log cost"). So the parts a check does not choose are shared,
 * long-lived objects: the absent target and facts, and the caller attributes, one frozen object per
 * (scope, service) pair.
 */
const NO_TARGET: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_FACTS: readonly string[] = Object.freeze([]);

/** What the engine is asked for a permission check. */
export function permissionQuestion(
  principal: Principal,
  permission: string,
  target: Readonly<Record<string, unknown>>,
  facts: readonly string[],
  targetKey?: string,
): PermissionQuestion {
  return { userId: principal.userId, scope: principal.scopeKey, facts, attrs: callerAttributes(principal), permission, target, targetKey };
}

type CallerAttributes = Readonly<Record<string, unknown>>;

function attributesOf(type: 'project' | 'domain' | 'system' | 'unscoped', id: string, service: boolean): CallerAttributes {
  return Object.freeze({
    project: type === 'project' ? id : '',
    domain: type === 'domain' ? id : '',
    system: type === 'system' ? 'all' : '',
    service,
  });
}

/** The attributes of system-scoped and unscoped callers, without and with a service token. */
const SYSTEM = attributesOf('system', '', false);
const SYSTEM_SERVICE = attributesOf('system', '', true);
const UNSCOPED = attributesOf('unscoped', '', false);
const UNSCOPED_SERVICE = attributesOf('unscoped', '', true);
/**
 * Project- and domain-scoped callers' attributes by scope id, without and with a service token:
 * one map each, so a check makes one lookup (a [without, with] pair per id, filled one side at a
 * time, kept the function from being optimised: callgrind showed it in baseline code).
 */
const BY_PROJECT = new Map<string, CallerAttributes>();
const BY_PROJECT_SERVICE = new Map<string, CallerAttributes>();
const BY_DOMAIN = new Map<string, CallerAttributes>();
const BY_DOMAIN_SERVICE = new Map<string, CallerAttributes>();
/** Scope ids come from verified tokens; still, each cache is emptied past this many. */
const MAX_CACHED_SCOPES = 10_000;

/** The caller as conditions see it (r2.sub), a shared frozen object per scope and service flag. */
export function callerAttributes(p: Principal): CallerAttributes {
  const service = p.service !== undefined;
  const type = p.scope.type;
  // Branches, not tables indexed by the scope type: a keyed load by a string, on every
  // permission check, cost ~150 instructions (callgrind).
  if (type === 'system') return service ? SYSTEM_SERVICE : SYSTEM;
  if (type === 'unscoped') return service ? UNSCOPED_SERVICE : UNSCOPED;
  const id = p.scope.id ?? '';
  const cache = type === 'project' ? (service ? BY_PROJECT_SERVICE : BY_PROJECT) : service ? BY_DOMAIN_SERVICE : BY_DOMAIN;
  let attributes = cache.get(id);
  if (attributes === undefined) {
    if (cache.size >= MAX_CACHED_SCOPES) cache.clear();
    cache.set(id, (attributes = attributesOf(type, id, service)));
  }
  return attributes;
}
