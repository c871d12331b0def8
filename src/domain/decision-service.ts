/**
 * Answers "may this subject do this action on this resource?" for the decision API: resolves the
 * resource from the registry (request properties fill in what the registry lacks), gathers the
 * locks on it, asks the engine, counts the decision and records it in the decision journal (id,
 * log line, decision log).
 */
import type { Decision, Engine, LockFact, ResourceQuestion, SubjectFacts } from '../engine/engine.js';
import { resourceScope } from '../engine/scope.js';
import type { MaybePromise } from '../maybe-promise.js';
import type { RegisteredResource } from '../store/resource-store.js';
import type { Stores } from '../store/stores.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { CounterSeries, HistogramSeries } from '../telemetry/tally.js';
import type { DecisionJournal } from './decision-journal.js';
import { locksOn, locksOnSync, syncLockReads, type SyncLockReads } from './lock-facts.js';
import { performance } from 'node:perf_hooks'; // not the global: on Node 20 that is a getter, run at each use

export interface ResourceRef {
  readonly type: string;
  readonly id: string;
  /** project_id, domain_id, owner, group: used only where the registry has no value. */
  readonly properties?: Readonly<Record<string, unknown>>;
}

export interface Evaluation {
  /** The directory user id whose roles count (see subjects.ts for how an app's id resolves). */
  readonly subjectId: string;
  /** The subject as the app named it, for `p` row conditions (r.sub). */
  readonly subject?: SubjectFacts;
  readonly action: string;
  /** `action.properties` (r.act.properties). */
  readonly actionProperties?: Readonly<Record<string, unknown>>;
  readonly resource: ResourceRef;
  /** The request `context` (r.ctx). */
  readonly context?: Readonly<Record<string, unknown>>;
  /** The HTTP request it came in (X-Request-Id), for the decision log and its log line. */
  readonly requestId?: string;
}

export interface EvaluationResult extends Decision {
  readonly registered: boolean;
  readonly scope: string;
  /** The decision's id in the decision log (undefined for the unrecorded checks of a search). */
  readonly decisionId?: string;
}

export class DecisionService {
  private readonly allowed: CounterSeries;
  private readonly denied: CounterSeries;
  private readonly seconds: HistogramSeries;
  /**
   * The registry's and the lock stores' synchronous reads where they hold their records in memory
   * (the memory store, a replica's mirrors): no async turn, and looked up once rather than through
   * the store wrappers' proxies on every decision. Undefined: the store is asked asynchronously.
   */
  private readonly resourceSync: ((type: string, id: string) => RegisteredResource | undefined) | undefined;
  private readonly lockSync: SyncLockReads | undefined;

  constructor(
    private readonly stores: Stores,
    private readonly engine: Engine,
    metrics: Metrics,
    private readonly journal: DecisionJournal,
  ) {
    this.allowed = metrics.decisions.series({ result: 'allow', kind: 'resource' });
    this.denied = metrics.decisions.series({ result: 'deny', kind: 'resource' });
    this.seconds = metrics.decisionSeconds.series({ kind: 'resource' });
    this.resourceSync = stores.resources.getSync?.bind(stores.resources);
    this.lockSync = syncLockReads(stores);
  }

  /**
   * `log`: the request's logger, so the decision line carries its request id. Answered at once
   * (no promise) where the registry and the locks are read from memory.
   */
  evaluate(e: Evaluation, log?: Logger): MaybePromise<EvaluationResult> {
    const { type, id } = e.resource;
    const options = log ? { log } : NO_OPTIONS;
    if (this.resourceSync) return this.evaluateWith(e, this.resourceSync(type, id), options);
    return this.stores.resources.get(type, id).then((stored) => this.evaluateWith(e, stored, options));
  }

  /**
   * Same as evaluate, with the registry lookup already done (search loops reuse it). A search's
   * candidate checks pass `record: false`: they are not answers anyone asked for one by one, so
   * they get no id, no log line and no decision log record.
   */
  evaluateWith(e: Evaluation, stored: RegisteredResource | undefined, options: DecideOptions = NO_OPTIONS): MaybePromise<EvaluationResult> {
    const facts = mergeFacts(e.resource, stored);
    if (this.lockSync) return this.decide(e, facts, stored, locksOnSync(this.lockSync, facts), options);
    return locksOn(this.stores, facts).then((locks) => this.decide(e, facts, stored, locks, options));
  }

  /** Asks the engine, counts the decision and (unless told not to) records it. */
  private decide(e: Evaluation, facts: ResourceFacts, stored: RegisteredResource | undefined, locks: readonly LockFact[], options: DecideOptions): EvaluationResult {
    const started = performance.now();
    const question = resourceQuestion(e, facts, locks);
    const decision = this.engine.decideResource(question);
    const answered = performance.now();
    const seconds = (answered - started) / 1e3;
    (decision.allowed ? this.allowed : this.denied).inc();
    this.seconds.observe(seconds);
    const registered = facts.registered;
    const decisionId =
      options.record === false ? undefined : this.journal.resource(question, decision, { requestId: e.requestId, registered, sent: e.resource.properties, stored, log: options.log, at: answered });
    return evaluationResult(decision, facts, decisionId);
  }
}

interface DecideOptions {
  readonly record?: boolean;
  readonly log?: Logger;
}
const NO_OPTIONS: DecideOptions = Object.freeze({});

/*
 * The objects made per decision below are built with every field present (undefined when absent)
 * rather than spread together: one shape per kind of object keeps V8's property accesses on them
 * monomorphic, and a spread into a new literal took V8's slow path (~8 µs a decision at M, perf).
 */

/** The answer with what the registry said and the decision's id. */
function evaluationResult(d: Decision, facts: ResourceFacts, decisionId: string | undefined): EvaluationResult {
  return {
    allowed: d.allowed,
    reason: d.reason,
    policy: d.policy,
    rolePath: d.rolePath,
    facts: d.facts,
    blockingLocks: d.blockingLocks,
    registered: facts.registered,
    scope: facts.scope,
    decisionId,
  };
}

/** What the engine is asked, from the request and the facts gathered for it. */
export function resourceQuestion(e: Evaluation, facts: ResourceFacts, locks: readonly LockFact[]): ResourceQuestion {
  return {
    subjectId: e.subjectId,
    subject: e.subject,
    action: e.action,
    actionProperties: e.actionProperties,
    resource: facts,
    context: e.context,
    locks,
  };
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** The resource as the engine is asked about it (ResourceQuestion's `resource`): made once a decision. */
export interface ResourceFacts {
  readonly type: string;
  readonly id: string;
  readonly scope: string;
  readonly owner: string | null;
  readonly group: string | null;
  /** Request properties with the registry's attributes over them (r.obj.properties). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** The registry's status (conditions see it as r.obj.properties.status). */
  readonly status: string | null;
  readonly registered: boolean;
}

const NO_ATTRIBUTES: Readonly<Record<string, unknown>> = Object.freeze({});

/** The registry's facts about the resource, the request's properties filling in what it lacks. */
export function mergeFacts(ref: ResourceRef, stored: RegisteredResource | undefined): ResourceFacts {
  // The usual question: a registered resource, no properties sent. No merging, nothing made but the facts.
  if (stored !== undefined && ref.properties === undefined) {
    return {
      type: ref.type,
      id: ref.id,
      scope: resourceScope(stored),
      owner: stored.owner ?? null,
      group: stored.group ?? null,
      properties: stored.attributes ?? NO_ATTRIBUTES,
      status: stored.status ?? null,
      registered: true,
    };
  }
  const p = ref.properties ?? NO_ATTRIBUTES;
  const projectId = stored?.projectId ?? str(p.project_id);
  const domainId = stored?.domainId ?? str(p.domain_id);
  return {
    type: ref.type,
    id: ref.id,
    scope: resourceScope({ projectId, domainId }),
    owner: stored?.owner ?? str(p.owner),
    group: stored?.group ?? str(p.group),
    // The registry's attributes win over the request's.
    properties: ref.properties ? { ...p, ...stored?.attributes } : NO_ATTRIBUTES,
    status: stored?.status ?? null,
    registered: stored !== undefined,
  };
}
