/**
 * The decision log: the last N decisions, each with what was asked, the facts it was decided on
 * and the answer, so `GET /v1/decisions` can show them and an impact replay can decide them again
 * with a draft policy on the same facts. Memory: a ring of N records. MongoDB: a capped collection.
 *
 * Records are never changed after they are made; the memory ring keeps them by reference (the
 * engine's question and answer objects, the role graph's role set), so keeping one costs no copy.
 */
import type { Decision, HeldRoles, PermissionQuestion, ResourceQuestion } from '../engine/engine.js';
import { decisionIdFloor } from './decision-id.js';
import type { Page, PageRequest } from './page.js';

/** How many decisions the log keeps unless told otherwise (PORTCULLIS_DECISION_LOG_SIZE). */
export const DEFAULT_DECISION_LOG_SIZE = 10_000;

type Props = Readonly<Record<string, unknown>>;

interface RecordBase {
  /** A UUIDv7 (decision-id.ts): ids sort in the order decisions were made. */
  readonly id: string;
  /** When it was decided, ms since the epoch (the id's timestamp). */
  readonly at: number;
  readonly requestId: string | undefined;
  /** The request in AuthZEN terms (a permission check: the caller, the permission, its target). */
  readonly subject: { readonly type: string; readonly id: string; readonly properties?: Props };
  readonly action: { readonly name: string; readonly properties?: Props };
  readonly resource: { readonly type: string; readonly id: string; readonly properties?: Props };
  readonly context?: Props;
  /** The subject's standing the engine read from the role graph: all a replay needs besides the question. */
  readonly held: HeldRoles;
  readonly decision: Decision;
  /** What the shadow policy answered, when one is configured and loaded. */
  readonly shadow?: Decision;
}

export interface ResourceDecisionRecord extends RecordBase {
  readonly kind: 'resource';
  readonly question: ResourceQuestion;
  readonly registered: boolean;
}

export interface PermissionDecisionRecord extends RecordBase {
  readonly kind: 'permission';
  readonly question: PermissionQuestion;
}

export type DecisionRecord = ResourceDecisionRecord | PermissionDecisionRecord;

export interface DecisionQuery {
  readonly kind?: 'resource' | 'permission';
  readonly subject?: string;
  readonly action?: string;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly decision?: 'allow' | 'deny';
  /** Decided at or after (ms since the epoch). */
  readonly since?: number;
  readonly requestId?: string;
  /** Only decisions the shadow policy answered the same way / differently. */
  readonly shadow?: 'agree' | 'disagree';
}

export interface DecisionLogStore {
  /** How many records are kept (the newest); 0 keeps none. */
  readonly capacity: number;
  /** Keeps the record; never throws and never waits (MongoDB writes in batches behind it). */
  append(record: DecisionRecord): void;
  /** Records matching the query, newest first; `page.after` is the last id of the previous page. */
  query(q: DecisionQuery, page: PageRequest): Promise<Page<DecisionRecord>>;
  /** Writes anything still buffered (MongoDB); reads call it first, close too. */
  flush(): Promise<void>;
}

/**
 * A filter for records matching the query (the memory ring's, and the reference for MongoDB's).
 * `since` compares ids: the smallest id of that millisecond (ids carry their time).
 */
export function queryFilter(q: DecisionQuery): (r: DecisionRecord) => boolean {
  const floor = q.since === undefined ? undefined : decisionIdFloor(q.since);
  return (r) => (
    (q.kind === undefined || r.kind === q.kind) &&
    (q.subject === undefined || r.subject.id === q.subject) &&
    (q.action === undefined || r.action.name === q.action) &&
    (q.resourceType === undefined || r.resource.type === q.resourceType) &&
    (q.resourceId === undefined || r.resource.id === q.resourceId) &&
    (q.decision === undefined || (r.decision.allowed ? 'allow' : 'deny') === q.decision) &&
    (floor === undefined || r.id >= floor) &&
    (q.requestId === undefined || r.requestId === q.requestId) &&
    (q.shadow === undefined || (r.shadow !== undefined && (r.shadow.allowed === r.decision.allowed) === (q.shadow === 'agree')))
  );
}
