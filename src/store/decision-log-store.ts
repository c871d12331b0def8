/**
 * The decision log: the last N decisions, each with what was asked, the facts it was decided on
 * and the answer, so `GET /v1/decisions` can show them and an impact replay can decide them again
 * with a draft policy on the same facts. Memory: a ring of N records. MongoDB: a capped collection.
 *
 * Records are never changed after they are made; the memory ring keeps them by reference (the
 * engine's question and answer objects, the role graph's role set), so keeping one costs no copy.
 */
import type { HeldRoles, PermissionQuestion, ResourceQuestion, RoleFacts } from '../engine/engine.js';
import { permissionReason, resourceReason, rolePathOf, type DecisionCore } from '../engine/explanation.js';
import { decisionIdFloor, decisionIdOfKey, decisionIdTime, localDecisionIdKey } from './decision-id.js';
import type { Page, PageRequest } from './page.js';
import type { RegisteredResource } from './resource-store.js';

/** How many decisions the log keeps unless told otherwise (PORTCULLIS_DECISION_LOG_SIZE). */
export const DEFAULT_DECISION_LOG_SIZE = 10_000;

type Props = Readonly<Record<string, unknown>>;

/** The request in AuthZEN terms (a permission check: the caller, the permission, its target). */
export interface RequestView {
  readonly subject: { readonly type: string; readonly id: string; readonly properties?: Props };
  readonly action: { readonly name: string; readonly properties?: Props };
  readonly resource: { readonly type: string; readonly id: string; readonly properties?: Props };
  readonly context?: Props;
}

/**
 * A record retains as few objects as it can (every object a ring holds for 10,000 decisions is
 * copied and promoted by the garbage collector): its time is read from its id, its request from
 * the question (which holds the subject, action and context as the app sent them), its explanation from
 * the answer's parts when it is read, and the subject's standing is the role graph's own (never
 * changed) role map and group set.
 */
interface RecordBase extends Pick<HeldRoles, 'roles' | 'groups'> {
  /** A UUIDv7 (decision-id.ts): ids sort in the order decisions were made, and carry the time. */
  readonly id: string;
  readonly requestId: string | undefined;
  /** The answer (a store keeps its core, coreOf; explainRecord rebuilds the explanation, as the engine built it). */
  readonly decision: DecisionCore;
  /** What the shadow policy answered, when one is configured and loaded. */
  readonly shadow?: DecisionCore;
  /**
   * The role graph's pair `roles` and `groups` were read from (memoised and never changed), for
   * the question's subject and scope (held.userId, held.scope): a store may keep this one
   * reference for the four. Read back as the roles and groups only.
   */
  readonly held?: HeldRoles;
}

export interface ResourceDecisionRecord extends RecordBase {
  readonly kind: 'resource';
  readonly question: ResourceQuestion;
  readonly registered: boolean;
  /** The resource properties the request sent (the question holds them merged with the registry's). */
  readonly sent?: Props;
  /**
   * The registry's record the question's resource was made of alone (registered, and the request
   * sent no properties: scope, owner, group, properties and status are all the record's), so a
   * store may keep this one long-lived reference for them. Read back as the question's resource only.
   */
  readonly stored?: RegisteredResource;
}

export interface PermissionDecisionRecord extends RecordBase {
  readonly kind: 'permission';
  readonly question: PermissionQuestion;
}

export type DecisionRecord = ResourceDecisionRecord | PermissionDecisionRecord;

/** When it was decided (ms since the epoch). */
export const decidedAt = (r: DecisionRecord): number => decisionIdTime(r.id);

/** What was asked, in AuthZEN terms. */
export function requestOf(r: DecisionRecord): RequestView {
  if (r.kind === 'permission') {
    const q = r.question;
    return {
      subject: { type: 'user', id: q.userId, ...(q.attrs ? { properties: q.attrs } : {}) },
      action: { name: q.permission },
      resource: { type: 'permission', id: q.permission, ...(q.target ? { properties: q.target } : {}) },
    };
  }
  const q = r.question;
  const s = q.subject;
  return {
    subject: s ? { type: s.type, id: s.id, ...(s.properties ? { properties: s.properties } : {}) } : { type: 'user', id: q.subjectId },
    action: { name: q.action, ...(q.actionProperties ? { properties: q.actionProperties } : {}) },
    resource: { type: q.resource.type, id: q.resource.id, ...(r.sent ? { properties: r.sent } : {}) },
    ...(q.context ? { context: q.context } : {}),
  };
}

/**
 * The reason and role path of a recorded answer (the live one, or the shadow's), exactly as the
 * engine worded them, from the roles the subject held then; `describe` names roles and groups.
 */
export function explainRecord(
  r: DecisionRecord,
  describe: RoleFacts['describeProof'],
  core: DecisionCore = r.decision,
): { reason: string; rolePath: string | undefined } {
  const userId = r.kind === 'resource' ? r.question.subjectId : r.question.userId;
  const rolePath = rolePathOf(core, userId, r.roles, describe);
  const reason = r.kind === 'resource' ? resourceReason(r.question, core, rolePath) : permissionReason(r.question, core);
  return { reason, rolePath };
}

/** The filterable fields of a record, without building its request. */
function keysOf(r: DecisionRecord): [subject: string, action: string, type: string, id: string] {
  return r.kind === 'resource'
    ? [r.question.subject?.id ?? r.question.subjectId, r.question.action, r.question.resource.type, r.question.resource.id]
    : [r.question.userId, r.question.permission, 'permission', r.question.permission];
}

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

/**
 * A store keeps a decision given as its record's parts (resourceRecord, permissionRecord), so
 * the memory ring writes them without a record object made per decision; `idKey` is the id's
 * key when this process made it (decisionIdKey; the ring keeps it instead of the string), else
 * undefined; `id` is the id as a string, or undefined when it has a key and no string was made
 * for it (a store that needs it makes it, decisionIdOfKey: recordId); `held` is the role graph's
 * pair for the question's subject and scope. Both never throw and never wait (MongoDB writes in
 * batches behind them). appendRecord keeps a whole record.
 */
export interface DecisionLogStore {
  /** How many records are kept (the newest); 0 keeps none. */
  readonly capacity: number;
  appendResource(
    id: string | undefined,
    idKey: number | undefined,
    requestId: string | undefined,
    question: ResourceQuestion,
    decision: DecisionCore,
    held: HeldRoles,
    registered: boolean,
    sent: Props | undefined,
    stored: RegisteredResource | undefined,
    shadow: DecisionCore | undefined,
  ): void;
  appendPermission(
    id: string | undefined,
    idKey: number | undefined,
    requestId: string | undefined,
    question: PermissionQuestion,
    decision: DecisionCore,
    held: HeldRoles,
    shadow: DecisionCore | undefined,
  ): void;
  /** Records matching the query, newest first; `page.after` is the last id of the previous page. */
  query(q: DecisionQuery, page: PageRequest): Promise<Page<DecisionRecord>>;
  /** Writes anything still buffered (MongoDB); reads call it first, close too. */
  flush(): Promise<void>;
}

/** A record's id from its parts: the string when one was made, else made from the key. */
function recordId(id: string | undefined, idKey: number | undefined): string {
  return id ?? decisionIdOfKey(idKey!);
}

/** The record of a resource decision's parts (DecisionLogStore.appendResource). */
export function resourceRecord(...[id, idKey, requestId, question, decision, held, registered, sent, stored, shadow]: Parameters<DecisionLogStore['appendResource']>): ResourceDecisionRecord {
  return { kind: 'resource', id: recordId(id, idKey), requestId, question, roles: held.roles, groups: held.groups, held, decision, registered, sent, stored, shadow };
}

/** The record of a permission check's parts (DecisionLogStore.appendPermission). */
export function permissionRecord(...[id, idKey, requestId, question, decision, held, shadow]: Parameters<DecisionLogStore['appendPermission']>): PermissionDecisionRecord {
  return { kind: 'permission', id: recordId(id, idKey), requestId, question, roles: held.roles, groups: held.groups, held, decision, shadow };
}

/** Keeps a whole record (tests, tools): its parts, with its role pair when it has the one for its question. */
export function appendRecord(store: DecisionLogStore, r: DecisionRecord): void {
  const [userId, scope] = r.kind === 'resource' ? [r.question.subjectId, r.question.resource.scope] : [r.question.userId, r.question.scope];
  const h = r.held;
  const held = h && h.userId === userId && h.scope === scope && h.roles === r.roles && h.groups === r.groups ? h : { userId, scope, roles: r.roles, groups: r.groups };
  const idKey = localDecisionIdKey(r.id);
  if (r.kind === 'resource') store.appendResource(r.id, idKey, r.requestId, r.question, r.decision, held, r.registered, r.sent, r.stored, r.shadow);
  else store.appendPermission(r.id, idKey, r.requestId, r.question, r.decision, held, r.shadow);
}

/**
 * A filter for records matching the query (the memory ring's, and the reference for MongoDB's).
 * `since` compares ids: the smallest id of that millisecond (ids carry their time).
 */
export function queryFilter(q: DecisionQuery): (r: DecisionRecord) => boolean {
  const floor = q.since === undefined ? undefined : decisionIdFloor(q.since);
  return (r) => {
    const [subject, action, type, id] = keysOf(r);
    return (
    (q.kind === undefined || r.kind === q.kind) &&
    (q.subject === undefined || subject === q.subject) &&
    (q.action === undefined || action === q.action) &&
    (q.resourceType === undefined || type === q.resourceType) &&
    (q.resourceId === undefined || id === q.resourceId) &&
    (q.decision === undefined || (r.decision.allowed ? 'allow' : 'deny') === q.decision) &&
    (floor === undefined || r.id >= floor) &&
    (q.requestId === undefined || r.requestId === q.requestId) &&
    (q.shadow === undefined || (r.shadow !== undefined && (r.shadow.allowed === r.decision.allowed) === (q.shadow === 'agree')))
    );
  };
}
