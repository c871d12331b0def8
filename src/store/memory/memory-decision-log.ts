/**
 * The decision log in memory: a ring of the newest `capacity` records. A query walks it newest
 * first; ids grow with insertion order in one process, so a page resumes after an id.
 *
 * Keeping a record allocates nothing. The ring is a set of preallocated columns, one slot per
 * record, reused when the ring wraps: a record's parts (the question's fields, the answer's row,
 * relations and locks, the role graph's role map and group set) are written into them by
 * reference, and its id as a number (decision-id.ts). A record object is made again only when
 * it is read. Before, the ring held each record object with its question, answer and id string:
 * some 400 bytes made per decision that all outlived the young generation, so every scavenge
 * copied and promoted 10,000 records' worth and the log cost half a decision (README, "decision
 * log cost"). Now what a decision allocates dies young whether the log is on or off.
 */
import type { LockFact, PermissionQuestion, ResourceQuestion } from '../../engine/engine.js';
import type { DecisionCore } from '../../engine/explanation.js';
import { decisionIdKey, decisionIdOfKey, isLocalDecisionId } from '../decision-id.js';
import { queryFilter, type DecisionLogStore, type DecisionQuery, type DecisionRecord, type ResourceDecisionRecord } from '../decision-log-store.js';
import type { Page, PageRequest } from '../page.js';

// Flags of a slot (one byte).
const PERMISSION = 1;
const ALLOWED = 2;
const REGISTERED = 4;
const SHADOW = 8;
const SHADOW_ALLOWED = 16;
/** question.resource.registered, when the question says (true / false). */
const Q_REGISTERED = 32;
const Q_UNREGISTERED = 64;
/** A permission check's target of one entry, kept as its key (column `type`) and value (`id`). */
const TARGET_ENTRY = 128;

/** Stands for a target without entries (a target is read back as a new object). */
const EMPTY_TARGET = Object.freeze({});
const NO_KEY = Symbol('no key');

/** The only own key of an object, NO_KEY when it has none, undefined when it has more. */
function soleKey(o: Readonly<Record<string, unknown>>): string | typeof NO_KEY | undefined {
  let key: string | typeof NO_KEY = NO_KEY;
  for (const k in o) {
    if (key !== NO_KEY || !Object.hasOwn(o, k)) return undefined;
    key = k;
  }
  return key;
}

type Column = unknown[];

/**
 * One column per part of a record (class fields, so each is a plain property load); a permission
 * check's fields go in the resource decision's nearest column.
 */
class Columns {
  readonly requestId: Column;
  readonly subjectId: Column; // permission: userId
  readonly subject: Column;
  readonly action: Column; // permission: permission
  readonly actionProperties: Column;
  readonly type: Column; // permission: the target's key when it has one entry
  readonly id: Column; // permission: that entry's value
  readonly scope: Column;
  readonly owner: Column;
  readonly group: Column;
  readonly properties: Column; // permission: attrs
  readonly status: Column;
  readonly context: Column;
  readonly locks: Column; // permission: facts (the question's)
  readonly sent: Column; // permission: target
  readonly roles: Column;
  readonly groups: Column;
  readonly policy: Column;
  readonly facts: Column;
  readonly blockingLocks: Column;
  readonly shadowPolicy: Column;
  readonly shadowFacts: Column;
  readonly shadowBlockingLocks: Column;

  constructor(capacity: number) {
    // Filled (not holey) arrays: a slot write is a plain store.
    const column = (): Column => new Array<unknown>(capacity).fill(undefined);
    this.requestId = column();
    this.subjectId = column();
    this.subject = column();
    this.action = column();
    this.actionProperties = column();
    this.type = column();
    this.id = column();
    this.scope = column();
    this.owner = column();
    this.group = column();
    this.properties = column();
    this.status = column();
    this.context = column();
    this.locks = column();
    this.sent = column();
    this.roles = column();
    this.groups = column();
    this.policy = column();
    this.facts = column();
    this.blockingLocks = column();
    this.shadowPolicy = column();
    this.shadowFacts = column();
    this.shadowBlockingLocks = column();
  }
}

/** An object of the entries whose value is not undefined (a record read back has the keys it was given). */
function present<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

export class MemoryDecisionLog implements DecisionLogStore {
  private readonly keys: Float64Array;
  private readonly flags: Uint8Array;
  /** Ids this process did not make (the ring rebuilds the others from `keys`); rare. */
  private readonly foreignIds: (string | undefined)[];
  private readonly c: Columns;
  /** Where the next record goes. */
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.keys = new Float64Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.foreignIds = new Array<string | undefined>(capacity).fill(undefined);
    this.c = new Columns(capacity);
  }

  append(r: DecisionRecord): void {
    if (this.capacity === 0) return;
    const i = this.head;
    const c = this.c;
    this.keys[i] = decisionIdKey(r.id);
    this.foreignIds[i] = isLocalDecisionId(r.id) ? undefined : r.id;
    let flags = r.decision.allowed ? ALLOWED : 0;
    const s = r.shadow;
    if (s) flags |= s.allowed ? SHADOW | SHADOW_ALLOWED : SHADOW;
    c.requestId[i] = r.requestId;
    c.roles[i] = r.roles;
    c.groups[i] = r.groups;
    c.policy[i] = r.decision.policy;
    c.facts[i] = r.decision.facts;
    c.blockingLocks[i] = r.decision.blockingLocks;
    c.shadowPolicy[i] = s?.policy;
    c.shadowFacts[i] = s?.facts;
    c.shadowBlockingLocks[i] = s?.blockingLocks;
    if (r.kind === 'resource') {
      const q = r.question;
      const res = q.resource;
      if (r.registered) flags |= REGISTERED;
      if (res.registered !== undefined) flags |= res.registered ? Q_REGISTERED : Q_UNREGISTERED;
      c.subjectId[i] = q.subjectId;
      c.subject[i] = q.subject;
      c.action[i] = q.action;
      c.actionProperties[i] = q.actionProperties;
      c.type[i] = res.type;
      c.id[i] = res.id;
      c.scope[i] = res.scope;
      c.owner[i] = res.owner;
      c.group[i] = res.group;
      c.properties[i] = res.properties;
      c.status[i] = res.status;
      c.context[i] = q.context;
      c.locks[i] = q.locks;
      c.sent[i] = r.sent;
    } else {
      const q = r.question;
      flags |= PERMISSION;
      c.subjectId[i] = q.userId;
      c.subject[i] = undefined;
      c.action[i] = q.permission;
      c.actionProperties[i] = undefined;
      c.scope[i] = q.scope;
      c.owner[i] = undefined;
      c.group[i] = undefined;
      c.properties[i] = q.attrs;
      c.status[i] = undefined;
      c.context[i] = undefined;
      c.locks[i] = q.facts;
      // The target is the one object a check makes for its question (the caller attributes and
      // absent parts are shared, authorizer.ts); its entries are kept instead when there are none
      // or one (most checks), so the object dies young. Read back, it is made again.
      const t = q.target;
      const key = t === undefined ? undefined : soleKey(t);
      if (key === undefined) {
        c.type[i] = undefined;
        c.id[i] = undefined;
        c.sent[i] = t;
      } else if (key === NO_KEY) {
        c.type[i] = undefined;
        c.id[i] = undefined;
        c.sent[i] = EMPTY_TARGET;
      } else {
        flags |= TARGET_ENTRY;
        c.type[i] = key;
        c.id[i] = t![key];
        c.sent[i] = undefined;
      }
    }
    this.flags[i] = flags;
    this.head = i + 1 === this.capacity ? 0 : i + 1;
    if (this.size < this.capacity) this.size++;
  }

  async query(q: DecisionQuery, page: PageRequest): Promise<Page<DecisionRecord>> {
    const items: DecisionRecord[] = [];
    const matches = queryFilter(q);
    for (let n = 1; n <= this.size; n++) {
      const i = (this.head - n + this.capacity) % this.capacity;
      const id = this.foreignIds[i] ?? decisionIdOfKey(this.keys[i]!);
      if (page.after !== undefined && id >= page.after) continue;
      const r = this.recordAt(i, id);
      if (!matches(r)) continue;
      if (items.length === page.limit) return { items, next: items[items.length - 1]!.id };
      items.push(r);
    }
    return { items };
  }

  async flush(): Promise<void> {}

  /** The record in slot i, made again from its parts. */
  private recordAt(i: number, id: string): DecisionRecord {
    const c = this.c;
    const flags = this.flags[i]!;
    const core = (allowed: boolean, policy: unknown, facts: unknown, blockingLocks: unknown) =>
      present({ allowed, policy, facts, blockingLocks }) as DecisionCore;
    const base = {
      id,
      requestId: c.requestId[i] as string | undefined,
      roles: c.roles[i] as DecisionRecord['roles'],
      groups: c.groups[i] as DecisionRecord['groups'],
      decision: core((flags & ALLOWED) !== 0, c.policy[i], c.facts[i], c.blockingLocks[i]),
      ...(flags & SHADOW ? { shadow: core((flags & SHADOW_ALLOWED) !== 0, c.shadowPolicy[i], c.shadowFacts[i], c.shadowBlockingLocks[i]) } : {}),
    };
    if (flags & PERMISSION) {
      const question = present({
        userId: c.subjectId[i],
        scope: c.scope[i],
        facts: c.locks[i],
        attrs: c.properties[i],
        permission: c.action[i],
        target: flags & TARGET_ENTRY ? { [c.type[i] as string]: c.id[i] } : c.sent[i] === EMPTY_TARGET ? {} : c.sent[i],
      }) as unknown as PermissionQuestion;
      return { ...base, kind: 'permission', question };
    }
    const registered = flags & Q_REGISTERED ? true : flags & Q_UNREGISTERED ? false : undefined;
    const question = present({
      subjectId: c.subjectId[i],
      subject: c.subject[i],
      action: c.action[i],
      actionProperties: c.actionProperties[i],
      resource: present({
        type: c.type[i],
        id: c.id[i],
        scope: c.scope[i],
        owner: c.owner[i],
        group: c.group[i],
        properties: c.properties[i],
        status: c.status[i],
        registered,
      }),
      context: c.context[i],
      locks: c.locks[i] as readonly LockFact[] | undefined,
    }) as unknown as ResourceQuestion;
    const sent = c.sent[i] as ResourceDecisionRecord['sent'];
    return { ...base, kind: 'resource', question, registered: (flags & REGISTERED) !== 0, ...(sent ? { sent } : {}) };
  }
}
