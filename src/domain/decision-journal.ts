/**
 * Gives every decision an id and keeps it: the decision log record (what was asked, the engine's
 * question, the role facts it was answered on, the answer), the log line (with the request id and
 * the decision id), and, when a shadow policy is loaded, the shadow's answer beside it.
 *
 * This runs once per decision, so it copies and looks up as little as it can: the store is handed
 * the record's parts, no record object (DecisionLogStore), by reference: the question, the
 * engine's Decision (whole: a store keeps only its core, coreOf) and the role graph's roles and
 * groups, none of which is ever changed after it is handed out (see role-graph.ts); the roles and
 * groups are the pair the engine read to answer (HeldRoles), when it did. Permission checks are
 * recorded the same way as resource decisions; their log line is at debug (families make several
 * per request).
 */
import type { Decision, Engine, PermissionQuestion, ResourceQuestion } from '../engine/engine.js';
import type { RoleGraph } from '../engine/role-graph.js';
import { decisionIdOfKey, newDecisionKey, newDecisionKeyAt } from '../store/decision-id.js';
import type { RegisteredResource } from '../store/resource-store.js';
import { permissionRecord, requestOf, resourceRecord, type DecisionLogStore, type DecisionRecord } from '../store/decision-log-store.js';
import { LogLevels, type Logger } from '../telemetry/logger.js';
import type { ShadowDecider } from './shadow-policy.js';
import type { Metrics } from '../telemetry/metrics.js';

export interface JournalDeps {
  readonly store: DecisionLogStore;
  readonly graph: RoleGraph;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** A second policy that decides everything too, without affecting any answer. */
  readonly shadow?: ShadowDecider;
}

/**
 * A new decision id's key: from the caller's performance.now() reading when it hands one (no
 * clock read of its own: Date.now() cost ~230 instructions a record, decision-id.ts), else now.
 */
const keyAt = (at: number | undefined): number => (at === undefined ? newDecisionKey() : newDecisionKeyAt(at));

/*
 * What the shadow is asked: module functions given the question, not a closure over it made per
 * record (one was made for every record, with no shadow policy too: ~190 bytes an evaluation
 * over HTTP, a permission check's record and a resource decision's).
 */
const decideResource = (engine: Engine, question: ResourceQuestion): Decision => engine.decideResource(question);
const checkPermission = (engine: Engine, question: PermissionQuestion): Decision => engine.checkPermission(question);

export class DecisionJournal {
  /** The journal's logger's levels; a request's logger (a child of it) has the same. */
  private readonly levels: LogLevels;

  constructor(private readonly deps: JournalDeps) {
    this.levels = new LogLevels(deps.log);
  }

  /** Records a resource decision; returns its id. */
  resource(
    question: ResourceQuestion,
    decision: Decision,
    meta: {
      readonly requestId: string | undefined;
      readonly registered: boolean;
      readonly sent?: Readonly<Record<string, unknown>>;
      /** The registry's record of the resource, when it is registered. */
      readonly stored?: RegisteredResource | undefined;
      /** The request's logger (it binds the request id); the journal's own otherwise. */
      readonly log?: Logger | undefined;
      /** When the engine answered, a performance.now() reading (the caller's, made to time the answer): the id's time. */
      readonly at?: number;
    },
  ): string {
    const key = keyAt(meta.at);
    const id = decisionIdOfKey(key);
    const shadow = this.shadowOf(decideResource, question);
    if (this.keeps(shadow)) {
      const held = decision.held ?? this.deps.graph.held(question.subjectId, question.resource.scope);
      // The question's resource is the record's alone only when the request sent no properties (mergeFacts).
      const stored = meta.sent === undefined ? meta.stored : undefined;
      this.deps.store.appendResource(id, key, meta.requestId, question, decision, held, meta.registered, meta.sent, stored, shadow);
      if (shadow !== undefined) this.compare(resourceRecord(id, key, meta.requestId, question, decision, held, meta.registered, meta.sent, stored, shadow), decision, shadow);
    }
    if (this.levels.info) {
      (meta.log ?? this.deps.log).info(
        {
          decisionId: id,
          requestId: meta.log ? undefined : meta.requestId, // a request's logger has it bound already
          decision: decision.allowed ? 'allow' : 'deny',
          subject: question.subjectId,
          action: question.action,
          resource: `${question.resource.type}/${question.resource.id}`,
          rule: decision.policy?.source,
          locks: decision.blockingLocks.map((l) => l.id),
        },
        'decision',
      );
    }
    return id;
  }

  /**
   * Records an API permission check. Its id is made as a string only where something reads it
   * (its debug line, a shadow disagreement, a store that writes strings, a read of the log): the
   * caller has no use for it, so the store is handed its key alone. `at`: as for resource.
   */
  permission(question: PermissionQuestion, decision: Decision, requestId: string | undefined, at?: number): void {
    const key = keyAt(at);
    const shadow = this.shadowOf(checkPermission, question);
    if (this.keeps(shadow)) {
      const held = decision.held ?? this.deps.graph.held(question.userId, question.scope);
      this.deps.store.appendPermission(undefined, key, requestId, question, decision, held, shadow);
      if (shadow !== undefined) this.compare(permissionRecord(undefined, key, requestId, question, decision, held, shadow), decision, shadow);
    }
    if (this.levels.debug) {
      this.deps.log.debug(
        {
          decisionId: decisionIdOfKey(key),
          requestId,
          decision: decision.allowed ? 'allow' : 'deny',
          subject: question.userId,
          permission: question.permission,
          rule: decision.policy?.source,
        },
        'permission check',
      );
    }
  }

  /** A log of size 0 keeps nothing, and no record is built unless a shadow answer needs comparing. */
  private keeps(shadow: Decision | undefined): boolean {
    return this.deps.store.capacity > 0 || shadow !== undefined;
  }

  /** The shadow's answer to the question; a shadow that fails is logged and never affects the decision. */
  private shadowOf<Q>(ask: (engine: Engine, question: Q) => Decision, question: Q): Decision | undefined {
    const engine = this.deps.shadow?.current();
    if (!engine) return undefined;
    try {
      return ask(engine, question);
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message }, 'shadow policy failed to decide');
      return undefined;
    }
  }

  /** Counts the shadow's answer and logs a disagreement with both explanations. */
  private compare(record: DecisionRecord, live: Decision, shadow: Decision): void {
    const agrees = shadow.allowed === live.allowed;
    this.deps.metrics.shadowDecisions.inc({ kind: record.kind, outcome: agrees ? 'agree' : 'disagree' });
    if (agrees) return;
    const request = requestOf(record);
    this.deps.log.info(
      {
        decisionId: record.id,
        requestId: record.requestId,
        subject: request.subject.id,
        action: request.action.name,
        resource: `${request.resource.type}/${request.resource.id}`,
        live: { decision: live.allowed ? 'allow' : 'deny', reason: live.reason, rule: live.policy?.source },
        shadow: { decision: shadow.allowed ? 'allow' : 'deny', reason: shadow.reason, rule: shadow.policy?.source },
      },
      'shadow policy disagrees',
    );
  }
}

