/**
 * Gives every decision an id and keeps it: the decision log record (what was asked, the engine's
 * question, the role facts it was answered on, the answer), the log line (with the request id and
 * the decision id), and, when a shadow policy is loaded, the shadow's answer beside it.
 *
 * This runs once per decision, so it copies nothing: the record holds references to the question,
 * the engine's Decision and the role graph's role and group sets, none of which is ever changed
 * after it is handed out (see role-graph.ts). Permission checks are recorded the same way as
 * resource decisions; their log line is at debug (families make several per request).
 */
import type { Decision, Engine, PermissionQuestion, ResourceQuestion } from '../engine/engine.js';
import type { RoleGraph } from '../engine/role-graph.js';
import { decisionIdTime, newDecisionId } from '../store/decision-id.js';
import type { DecisionLogStore, DecisionRecord } from '../store/decision-log-store.js';
import type { Logger } from '../telemetry/logger.js';
import type { ShadowDecider } from './shadow-policy.js';
import type { Metrics } from '../telemetry/metrics.js';

type Props = Readonly<Record<string, unknown>>;

/** The request as the caller put it (AuthZEN entities), kept by reference. */
export interface RequestView {
  readonly subject: { readonly type: string; readonly id: string; readonly properties?: Props };
  readonly action: { readonly name: string; readonly properties?: Props };
  readonly resource: { readonly type: string; readonly id: string; readonly properties?: Props };
  readonly context?: Props;
}

export interface JournalDeps {
  readonly store: DecisionLogStore;
  readonly graph: RoleGraph;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** A second policy that decides everything too, without affecting any answer. */
  readonly shadow?: ShadowDecider;
}

export class DecisionJournal {
  constructor(private readonly deps: JournalDeps) {}

  /** Records a resource decision; returns its id. */
  resource(
    question: ResourceQuestion,
    decision: Decision,
    meta: { readonly request: RequestView; readonly requestId: string | undefined; readonly registered: boolean },
  ): string {
    const id = newDecisionId();
    const shadow = this.shadowOf((e) => e.decideResource(question));
    const record: DecisionRecord = {
      kind: 'resource',
      id,
      at: decisionIdTime(id),
      requestId: meta.requestId,
      subject: meta.request.subject,
      action: meta.request.action,
      resource: meta.request.resource,
      ...(meta.request.context ? { context: meta.request.context } : {}),
      question,
      held: this.held(question.subjectId, question.resource.scope),
      decision,
      registered: meta.registered,
      ...(shadow ? { shadow } : {}),
    };
    this.deps.store.append(record);
    const { log } = this.deps;
    if (log.isLevelEnabled('info')) {
      log.info(
        {
          decisionId: id,
          requestId: meta.requestId,
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
    if (shadow) this.compare(record, shadow);
    return id;
  }

  /** Records an API permission check; returns its id. */
  permission(question: PermissionQuestion, decision: Decision, requestId: string | undefined): string {
    const id = newDecisionId();
    const shadow = this.shadowOf((e) => e.checkPermission(question));
    const record: DecisionRecord = {
      kind: 'permission',
      id,
      at: decisionIdTime(id),
      requestId,
      subject: { type: 'user', id: question.userId, ...(question.attrs ? { properties: question.attrs } : {}) },
      action: { name: question.permission },
      resource: { type: 'permission', id: question.permission, ...(question.target ? { properties: question.target } : {}) },
      question,
      held: this.held(question.userId, question.scope),
      decision,
      ...(shadow ? { shadow } : {}),
    };
    this.deps.store.append(record);
    const { log } = this.deps;
    if (log.isLevelEnabled('debug')) {
      log.debug(
        {
          decisionId: id,
          requestId,
          decision: decision.allowed ? 'allow' : 'deny',
          subject: question.userId,
          permission: question.permission,
          rule: decision.policy?.source,
        },
        'permission check',
      );
    }
    if (shadow) this.compare(record, shadow);
    return id;
  }

  private held(userId: string, scope: string) {
    const { graph } = this.deps;
    return { roles: graph.effectiveRoles(userId, scope), groups: graph.groupsOf(userId) };
  }

  /** The shadow's answer; a shadow that fails is logged and never affects the decision. */
  private shadowOf(decide: (engine: Engine) => Decision): Decision | undefined {
    const engine = this.deps.shadow?.current();
    if (!engine) return undefined;
    try {
      return decide(engine);
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message }, 'shadow policy failed to decide');
      return undefined;
    }
  }

  /** Counts the shadow's answer and logs a disagreement with both explanations. */
  private compare(record: DecisionRecord, shadow: Decision): void {
    const agrees = shadow.allowed === record.decision.allowed;
    this.deps.metrics.shadowDecisions.inc({ kind: record.kind, outcome: agrees ? 'agree' : 'disagree' });
    if (agrees) return;
    this.deps.log.info(
      {
        decisionId: record.id,
        requestId: record.requestId,
        subject: record.subject.id,
        action: record.action.name,
        resource: `${record.resource.type}/${record.resource.id}`,
        live: { decision: record.decision.allowed ? 'allow' : 'deny', reason: record.decision.reason, rule: record.decision.policy?.source },
        shadow: { decision: shadow.allowed ? 'allow' : 'deny', reason: shadow.reason, rule: shadow.policy?.source },
      },
      'shadow policy disagrees',
    );
  }
}
