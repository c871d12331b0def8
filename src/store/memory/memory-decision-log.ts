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
const enum Slot {
  RequestId,
  SubjectId, // permission: userId
  Action, // permission: permission
  Type, // permission: the target's key when it has one entry
  Id, // permission: that entry's value
  Scope,
  Owner,
  Group, // permission: the target, when it has several entries
  Properties, // permission: attrs
  Status,
  Locks, // permission: facts (the question's)
  Roles,
  Groups,
  Policy,
  Facts,
  BlockingLocks,
  /** The parts a record seldom has (Rare), in one object made only when one of them is present. */
  Rare,
}
const WIDTH = Slot.Rare + 1;

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
    slots[row + Slot.RequestId] = r.requestId;
    slots[row + Slot.Roles] = r.roles;
    slots[row + Slot.Groups] = r.groups;
    slots[row + Slot.Policy] = d.policy;
    slots[row + Slot.Facts] = d.facts;
    slots[row + Slot.BlockingLocks] = d.blockingLocks;
    let rare: Rare | undefined;
    if (r.kind === 'resource') {
      const q = r.question;
      const res = q.resource;
      if (r.registered) flags |= REGISTERED;
      if (res.registered !== undefined) flags |= res.registered ? Q_REGISTERED : Q_UNREGISTERED;
      slots[row + Slot.SubjectId] = q.subjectId;
      slots[row + Slot.Action] = q.action;
      slots[row + Slot.Type] = res.type;
      slots[row + Slot.Id] = res.id;
      slots[row + Slot.Scope] = res.scope;
      slots[row + Slot.Owner] = res.owner;
      slots[row + Slot.Group] = res.group;
      slots[row + Slot.Properties] = res.properties;
      slots[row + Slot.Status] = res.status;
      slots[row + Slot.Locks] = q.locks;
      if (q.subject !== undefined || q.actionProperties !== undefined || q.context !== undefined || r.sent !== undefined || r.shadow !== undefined || foreignId !== undefined) {
        rare = { subject: q.subject, actionProperties: q.actionProperties, context: q.context, sent: r.sent, shadow: r.shadow && coreOf(r.shadow), foreignId };
      }
    } else {
      const q = r.question;
      flags |= PERMISSION;
      slots[row + Slot.SubjectId] = q.userId;
      slots[row + Slot.Action] = q.permission;
      slots[row + Slot.Scope] = q.scope;
      slots[row + Slot.Owner] = undefined;
      slots[row + Slot.Properties] = q.attrs;
      slots[row + Slot.Status] = undefined;
      slots[row + Slot.Locks] = q.facts;
      // The target is the one object a check makes for its question (the caller attributes and
      // absent parts are shared, authorizer.ts); its entries are kept instead when there are none
      // or one (most checks), so the object dies young. Read back, it is made again.
      const t = q.target;
      const key = t === undefined ? undefined : soleKey(t);
      if (key === undefined) {
        slots[row + Slot.Type] = undefined;
        slots[row + Slot.Id] = undefined;
        slots[row + Slot.Group] = t;
      } else {
        if (key === NO_KEY) {
          flags |= TARGET_EMPTY;
          slots[row + Slot.Type] = undefined;
          slots[row + Slot.Id] = undefined;
        } else {
          flags |= TARGET_ENTRY;
          slots[row + Slot.Type] = key;
          slots[row + Slot.Id] = t![key];
        }
        slots[row + Slot.Group] = undefined;
      }
      if (r.shadow !== undefined || foreignId !== undefined) {
        rare = { subject: undefined, actionProperties: undefined, context: undefined, sent: undefined, shadow: r.shadow && coreOf(r.shadow), foreignId };
      }
    }
    slots[row + Slot.Rare] = rare;
    this.flags[i] = flags;
    this.head = i + 1 === this.capacity ? 0 : i + 1;
    if (this.size < this.capacity) this.size++;
  }

  async query(q: DecisionQuery, page: PageRequest): Promise<Page<DecisionRecord>> {
    const items: DecisionRecord[] = [];
    const matches = queryFilter(q);
    for (let n = 1; n <= this.size; n++) {
      const i = (this.head - n + this.capacity) % this.capacity;
      const id = (this.rows[i * WIDTH + Slot.Rare] as Rare | undefined)?.foreignId ?? decisionIdOfKey(this.keys[i]!);
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
    const rare = at(Slot.Rare) as Rare | undefined;
    const base = {
      id,
      requestId: at(Slot.RequestId) as string | undefined,
      roles: at(Slot.Roles) as DecisionRecord['roles'],
      groups: at(Slot.Groups) as DecisionRecord['groups'],
      decision: present({ allowed: (flags & ALLOWED) !== 0, policy: at(Slot.Policy), facts: at(Slot.Facts), blockingLocks: at(Slot.BlockingLocks) }) as DecisionCore,
      ...(rare?.shadow ? { shadow: present(rare.shadow) } : {}),
    };
    if (flags & PERMISSION) {
      const question = present({
        userId: at(Slot.SubjectId),
        scope: at(Slot.Scope),
        facts: at(Slot.Locks),
        attrs: at(Slot.Properties),
        permission: at(Slot.Action),
        target: flags & TARGET_ENTRY ? { [at(Slot.Type) as string]: at(Slot.Id) } : flags & TARGET_EMPTY ? {} : at(Slot.Group),
      }) as unknown as PermissionQuestion;
      return { ...base, kind: 'permission', question };
    }
    const registered = flags & Q_REGISTERED ? true : flags & Q_UNREGISTERED ? false : undefined;
    const question = present({
      subjectId: at(Slot.SubjectId),
      subject: rare?.subject,
      action: at(Slot.Action),
      actionProperties: rare?.actionProperties,
      resource: present({
        type: at(Slot.Type),
        id: at(Slot.Id),
        scope: at(Slot.Scope),
        owner: at(Slot.Owner),
        group: at(Slot.Group),
        properties: at(Slot.Properties),
        status: at(Slot.Status),
        registered,
      }),
      context: rare?.context,
      locks: at(Slot.Locks) as readonly LockFact[] | undefined,
    }) as unknown as ResourceQuestion;
    const sent = rare?.sent;
    return { ...base, kind: 'resource', question, registered: (flags & REGISTERED) !== 0, ...(sent ? { sent } : {}) };
  }
}
