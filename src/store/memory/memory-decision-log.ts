/**
 * The decision log in memory: a ring of the newest `capacity` records. A query walks it newest
 * first; ids grow with insertion order in one process, so a page resumes after an id.
 *
 * Keeping a record allocates nothing (in the common case) and writes one row. The ring is one
 * preallocated array of WIDTH slots a record, rows reused as the ring wraps: a record's parts (the
 * question's fields, the answer's row, relations and locks, the role graph's role map and group
 * set) are written into its row by reference, its id as a number (decision-id.ts) and its flags
 * into two typed arrays beside it. A record object is made again only when it is read. Why rows:
 * a record's 17 slots are three cache lines written one after another, the rows in sequence, one
 * stream the CPU prefetches; one array per part (before) was 23 streams a record, each a cache miss
 * more than the prefetcher follows, and cost a permission check a third of its time (README,
 * "decision log cost"). Why by reference: the record objects the ring once held (~460 bytes a
 * decision) all outlived the young generation, so every scavenge copied and promoted them.
 */
import type { LockFact, PermissionQuestion, ResourceQuestion } from '../../engine/engine.js';
import { coreOf, type DecisionCore } from '../../engine/explanation.js';
import { decisionIdKey, decisionIdOfKey, isLocalDecisionId } from '../decision-id.js';
import { queryFilter, type DecisionLogStore, type DecisionQuery, type DecisionRecord, type ResourceDecisionRecord } from '../decision-log-store.js';
import type { Page, PageRequest } from '../page.js';

// Flags of a record (one byte).
const PERMISSION = 1;
const ALLOWED = 2;
const REGISTERED = 4;
/** A permission check's target without entries (kept as this flag, read back as a new `{}`). */
const TARGET_EMPTY = 8;
/** A permission check's target of one entry, kept as its key (slot TYPE) and value (slot ID). */
const TARGET_ENTRY = 16;
/** question.resource.registered, when the question says (true / false). */
const Q_REGISTERED = 32;
const Q_UNREGISTERED = 64;

// Slots of a row; a permission check's parts go in the resource decision's nearest slot.
const REQUEST_ID = 0;
const SUBJECT_ID = 1; // permission: userId
const ACTION = 2; // permission: permission
const TYPE = 3; // permission: the target's key when it has one entry
const ID = 4; // permission: that entry's value
const SCOPE = 5;
const OWNER = 6;
const GROUP = 7; // permission: the target, when it has several entries
const PROPERTIES = 8; // permission: attrs
const STATUS = 9;
const LOCKS = 10; // permission: facts (the question's)
const ROLES = 11;
const GROUPS = 12;
const POLICY = 13;
const FACTS = 14;
const BLOCKING_LOCKS = 15;
/** The parts a record seldom has (Rare), in one object made only when one of them is present. */
const RARE = 16;
const WIDTH = 17;

/** Parts of a record most records lack: an AuthZEN subject, action properties, context, sent properties, a shadow answer, an id another process made. */
interface Rare {
  readonly subject: ResourceQuestion['subject'];
  readonly actionProperties: ResourceQuestion['actionProperties'];
  readonly context: ResourceQuestion['context'];
  readonly sent: ResourceDecisionRecord['sent'];
  readonly shadow: DecisionCore | undefined;
  readonly foreignId: string | undefined;
}

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

/** An object of the entries whose value is not undefined (a record read back has the keys it was given). */
function present<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

export class MemoryDecisionLog implements DecisionLogStore {
  private readonly keys: Float64Array;
  private readonly flags: Uint8Array;
  private readonly rows: unknown[];
  /** Where the next record goes. */
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.keys = new Float64Array(capacity);
    this.flags = new Uint8Array(capacity);
    // Filled (not holey): a slot write is a plain store.
    this.rows = new Array<unknown>(capacity * WIDTH).fill(undefined);
  }

  append(r: DecisionRecord): void {
    if (this.capacity === 0) return;
    const i = this.head;
    const row = i * WIDTH;
    const slots = this.rows;
    const d = r.decision;
    this.keys[i] = decisionIdKey(r.id);
    const foreignId = isLocalDecisionId(r.id) ? undefined : r.id;
    let flags = d.allowed ? ALLOWED : 0;
    slots[row + REQUEST_ID] = r.requestId;
    slots[row + ROLES] = r.roles;
    slots[row + GROUPS] = r.groups;
    slots[row + POLICY] = d.policy;
    slots[row + FACTS] = d.facts;
    slots[row + BLOCKING_LOCKS] = d.blockingLocks;
    let rare: Rare | undefined;
    if (r.kind === 'resource') {
      const q = r.question;
      const res = q.resource;
      if (r.registered) flags |= REGISTERED;
      if (res.registered !== undefined) flags |= res.registered ? Q_REGISTERED : Q_UNREGISTERED;
      slots[row + SUBJECT_ID] = q.subjectId;
      slots[row + ACTION] = q.action;
      slots[row + TYPE] = res.type;
      slots[row + ID] = res.id;
      slots[row + SCOPE] = res.scope;
      slots[row + OWNER] = res.owner;
      slots[row + GROUP] = res.group;
      slots[row + PROPERTIES] = res.properties;
      slots[row + STATUS] = res.status;
      slots[row + LOCKS] = q.locks;
      if (q.subject !== undefined || q.actionProperties !== undefined || q.context !== undefined || r.sent !== undefined || r.shadow !== undefined || foreignId !== undefined) {
        rare = { subject: q.subject, actionProperties: q.actionProperties, context: q.context, sent: r.sent, shadow: r.shadow && coreOf(r.shadow), foreignId };
      }
    } else {
      const q = r.question;
      flags |= PERMISSION;
      slots[row + SUBJECT_ID] = q.userId;
      slots[row + ACTION] = q.permission;
      slots[row + SCOPE] = q.scope;
      slots[row + OWNER] = undefined;
      slots[row + PROPERTIES] = q.attrs;
      slots[row + STATUS] = undefined;
      slots[row + LOCKS] = q.facts;
      // The target is the one object a check makes for its question (the caller attributes and
      // absent parts are shared, authorizer.ts); its entries are kept instead when there are none
      // or one (most checks), so the object dies young. Read back, it is made again.
      const t = q.target;
      const key = t === undefined ? undefined : soleKey(t);
      if (key === undefined) {
        slots[row + TYPE] = undefined;
        slots[row + ID] = undefined;
        slots[row + GROUP] = t;
      } else {
        if (key === NO_KEY) {
          flags |= TARGET_EMPTY;
          slots[row + TYPE] = undefined;
          slots[row + ID] = undefined;
        } else {
          flags |= TARGET_ENTRY;
          slots[row + TYPE] = key;
          slots[row + ID] = t![key];
        }
        slots[row + GROUP] = undefined;
      }
      if (r.shadow !== undefined || foreignId !== undefined) {
        rare = { subject: undefined, actionProperties: undefined, context: undefined, sent: undefined, shadow: r.shadow && coreOf(r.shadow), foreignId };
      }
    }
    slots[row + RARE] = rare;
    this.flags[i] = flags;
    this.head = i + 1 === this.capacity ? 0 : i + 1;
    if (this.size < this.capacity) this.size++;
  }

  async query(q: DecisionQuery, page: PageRequest): Promise<Page<DecisionRecord>> {
    const items: DecisionRecord[] = [];
    const matches = queryFilter(q);
    for (let n = 1; n <= this.size; n++) {
      const i = (this.head - n + this.capacity) % this.capacity;
      const id = (this.rows[i * WIDTH + RARE] as Rare | undefined)?.foreignId ?? decisionIdOfKey(this.keys[i]!);
      if (page.after !== undefined && id >= page.after) continue;
      const r = this.recordAt(i, id);
      if (!matches(r)) continue;
      if (items.length === page.limit) return { items, next: items[items.length - 1]!.id };
      items.push(r);
    }
    return { items };
  }

  async flush(): Promise<void> {}

  /** The record in row i, made again from its parts. */
  private recordAt(i: number, id: string): DecisionRecord {
    const row = i * WIDTH;
    const at = (slot: number): unknown => this.rows[row + slot];
    const flags = this.flags[i]!;
    const rare = at(RARE) as Rare | undefined;
    const base = {
      id,
      requestId: at(REQUEST_ID) as string | undefined,
      roles: at(ROLES) as DecisionRecord['roles'],
      groups: at(GROUPS) as DecisionRecord['groups'],
      decision: present({ allowed: (flags & ALLOWED) !== 0, policy: at(POLICY), facts: at(FACTS), blockingLocks: at(BLOCKING_LOCKS) }) as DecisionCore,
      ...(rare?.shadow ? { shadow: present(rare.shadow) } : {}),
    };
    if (flags & PERMISSION) {
      const question = present({
        userId: at(SUBJECT_ID),
        scope: at(SCOPE),
        facts: at(LOCKS),
        attrs: at(PROPERTIES),
        permission: at(ACTION),
        target: flags & TARGET_ENTRY ? { [at(TYPE) as string]: at(ID) } : flags & TARGET_EMPTY ? {} : at(GROUP),
      }) as unknown as PermissionQuestion;
      return { ...base, kind: 'permission', question };
    }
    const registered = flags & Q_REGISTERED ? true : flags & Q_UNREGISTERED ? false : undefined;
    const question = present({
      subjectId: at(SUBJECT_ID),
      subject: rare?.subject,
      action: at(ACTION),
      actionProperties: rare?.actionProperties,
      resource: present({
        type: at(TYPE),
        id: at(ID),
        scope: at(SCOPE),
        owner: at(OWNER),
        group: at(GROUP),
        properties: at(PROPERTIES),
        status: at(STATUS),
        registered,
      }),
      context: rare?.context,
      locks: at(LOCKS) as readonly LockFact[] | undefined,
    }) as unknown as ResourceQuestion;
    const sent = rare?.sent;
    return { ...base, kind: 'resource', question, registered: (flags & REGISTERED) !== 0, ...(sent ? { sent } : {}) };
  }
}
