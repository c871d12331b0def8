/**
 * The decision log in memory: a ring of the newest `capacity` records. A query walks it newest
 * first; ids grow with insertion order in one process, so a page resumes after an id.
 *
 * Keeping a record allocates nothing (in the common case) and writes 64 bytes in one stream: the
 * journal hands over the record's parts (appendResource, appendPermission), so no record object
 * is made either. The ring is one preallocated array of SLOTS references a record, reused as it
 * wraps: a record's parts are written into its slots by reference, its id as a number (its key,
 * handed over with the id: decision-id.ts) and what can be said in bits (the answer, which shared
 * relation list it has, empty lists) into a Float64Array beside it. A record object is made again
 * only when it is read. Why one flat array: a record is one 64-byte run of one array, where a
 * Row object a record (before) was 96 bytes with its header, plus its pointer in the rows array:
 * ~1.2 cache lines written a record instead of ~1.7, and at M the misses are about half of what a
 * record costs (a ring of 64 records cost about half as much as one of 10,000, same process). A
 * slot store checks its index: ~33 instructions more a permission check than the row's field
 * stores, and still 1.5-3 points cheaper a decision and a check in the same process.
 * Why by reference: the record objects the ring once held (~460
 * bytes a decision) all outlived the young generation, so every scavenge copied and promoted
 * them. Why narrow, and long-lived parts where there is a choice: every slot written is a write
 * barrier, and a young value stored into the (old) ring is a remembered-set entry too, then a
 * copy and a promotion; so a record keeps the role graph's memoised HeldRoles (one slot for the
 * subject, the scope, the roles and the groups), the registry's record of a registered resource
 * instead of the scope, owner, group, properties and status made of it (scope is a string made
 * per decision), flags instead of the shared empty or relation lists, a request id the server
 * made as a number in the flags word (its string is made per request: request-id.ts), and an
 * AuthZEN subject (the subjects service's memoised one) in a slot of its own rather than in an
 * object made per decision (docs/performance-history.md, "Decision log cost").
 */
import { NO_FACTS, NO_LOCKS, OWNER, OWNER_AND_GROUP, OWNER_GROUP, type HeldRoles, type LockFact, type PermissionQuestion, type ResourceQuestion } from '../../engine/engine.js';
import { coreOf, type DecisionCore } from '../../engine/explanation.js';
import { resourceScope } from '../../engine/scope.js';
import { requestIdKey, requestIdOfKey } from '../../request-id.js';
import { decisionIdOfKey } from '../decision-id.js';
import { queryFilter, type DecisionLogStore, type DecisionQuery, type DecisionRecord, type ResourceDecisionRecord } from '../decision-log-store.js';
import type { Page, PageRequest } from '../page.js';
import type { RegisteredResource } from '../resource-store.js';

// Flags of a record.
const PERMISSION = 1;
const ALLOWED = 2;
/** record.registered (a resource decision). */
const REGISTERED = 4;
/** A resource decision's RESOURCE slot holds the registry's record (record.stored), not the question's resource. */
const FROM_REGISTRY = 8;
/** A permission check's target without entries (kept as this flag, read back as a new `{}`). */
const TARGET_EMPTY = 16;
/** A permission check's target of one entry, kept as its key (RESOURCE slot) and value (VALUE slot). */
const TARGET_ENTRY = 32;
/** The answer's relations (decision.facts) are engine.ts's OWNER, OWNER_GROUP or both (neither: an empty list). */
const FACTS_OWNER = 64;
const FACTS_GROUP = 128;
/** A permission check's answer has the question's own facts as its facts. */
const FACTS_ASKED = 256;
/** The question's list (a resource decision's locks, a permission check's facts) is empty. */
const ASKED_EMPTY = 512;
/**
 * The flags are below FLAG_SPAN. Above them a record's flags word holds 1 + its request id's key
 * when the request id is one the server made for a request in progress (request-id.ts
 * requestIdKey), kept so instead of the string (made per request, so young: see the module
 * comment); 0: the REQUEST slot holds the id, or there is none. Exact: keys below REQUEST_KEYS
 * keep the word below 2^53.
 */
const FLAG_SPAN = 1024;
const REQUEST_KEYS = 2 ** 42;

/*
 * A record's slots, SLOTS in a row of one flat array: a record is 64 bytes in one stream, the
 * ring's only per-record memory besides its key and flags. A permission check's parts go in the
 * resource decision's nearest slot.
 */
/** The request id when it is not kept as a number in the flags word (FLAG_SPAN). */
const REQUEST = 0;
/** permission: the permission */
const ACTION = 1;
/** The role graph's HeldRoles: the roles and groups, with the user and scope they are for (the subject; permission: userId and scope). */
const HELD = 2;
const POLICY = 3;
/** The registry's record (FROM_REGISTRY) or the question's resource; permission: the target, or its one key (TARGET_ENTRY). */
const RESOURCE = 4;
/** A resource decision's locks when not empty; permission: the target's one value (TARGET_ENTRY). */
const VALUE = 5;
/** permission: the caller attributes; resource: the AuthZEN subject (the subjects service's memoised one, as a rule). */
const ATTRS = 6;
/** The parts a record seldom has (Rare), in one object made only when one of them is present. */
const RARE = 7;
/**
 * Record i's slots start at b = (i * SLOTS) | 0, and slot k is b | k: int32 arithmetic, so the
 * optimized code checks no overflow before each store's bounds check (b + k checked it, 8 times).
 */
const SLOTS = 8;

/** Parts of a record most records lack: action properties, context, sent properties, a shadow answer, an id another process made, other relations, blocking locks, a permission check's facts. */
interface Rare {
  readonly actionProperties: ResourceQuestion['actionProperties'];
  readonly context: ResourceQuestion['context'];
  readonly sent: ResourceDecisionRecord['sent'];
  readonly shadow: DecisionCore | undefined;
  readonly foreignId: string | undefined;
  /** decision.facts when the flags cannot say it. */
  readonly facts: readonly string[] | undefined;
  /** decision.blockingLocks when not empty. */
  readonly blockingLocks: DecisionCore['blockingLocks'] | undefined;
  /** A permission check's facts when not empty. */
  readonly asked: PermissionQuestion['facts'] | undefined;
}

/** The Rare object of a record (a permission check has no question parts here but its facts). */
function rareOf(
  q: Pick<ResourceQuestion, 'actionProperties' | 'context'> | undefined,
  sent: Rare['sent'],
  shadow: DecisionCore | undefined,
  foreignId: string | undefined,
  facts: readonly string[] | undefined,
  blockingLocks: Rare['blockingLocks'],
  asked: Rare['asked'],
): Rare {
  return { actionProperties: q?.actionProperties, context: q?.context, sent, shadow: shadow && coreOf(shadow), foreignId, facts, blockingLocks, asked };
}

/** The flag bits for an answer's relations, or undefined when they must be kept as they are. */
function factsFlags(facts: readonly string[]): number | undefined {
  return facts.length === 0 ? 0 : facts === OWNER ? FACTS_OWNER : facts === OWNER_GROUP ? FACTS_GROUP : facts === OWNER_AND_GROUP ? FACTS_OWNER | FACTS_GROUP : undefined;
}

/** A registered resource as the question had it: the registry's record alone (decision-service.ts mergeFacts, no properties sent). */
function resourceOf(s: RegisteredResource): ResourceQuestion['resource'] {
  return { type: s.type, id: s.id, scope: resourceScope(s), owner: s.owner, group: s.group, properties: s.attributes, status: s.status, registered: true };
}

/** An object of the entries whose value is not undefined (a record read back has the keys it was given). */
function present<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

export class MemoryDecisionLog implements DecisionLogStore {
  /** Per record, its id's key (decision-id.ts), then its flags: one stream beside the slots. */
  private readonly keyFlags: Float64Array;
  /** SLOTS a record, reused as the ring wraps (so old: a store is a write barrier's fast path). */
  private readonly slots: unknown[];
  /** Where the next record goes. */
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.keyFlags = new Float64Array(capacity * 2);
    this.slots = new Array<unknown>(capacity * SLOTS).fill(undefined);
  }

  appendResource(
    id: string | undefined,
    key: number | undefined,
    requestId: string | undefined,
    q: ResourceQuestion,
    d: DecisionCore,
    held: HeldRoles,
    registered: boolean,
    sent: ResourceDecisionRecord['sent'],
    stored: RegisteredResource | undefined,
    shadow: DecisionCore | undefined,
  ): void {
    if (this.capacity === 0) return;
    const i = this.head;
    const s = this.slots;
    const b = (i * SLOTS) | 0;
    const relations = factsFlags(d.facts);
    const blockingLocks = d.blockingLocks.length === 0 ? undefined : d.blockingLocks;
    // `=== true`, not a truth test: optimized code tests a value's truth for every type it could
    // be (~20 instructions), a comparison is one.
    let flags = (d.allowed === true ? ALLOWED : 0) | (registered === true ? REGISTERED : 0) | (relations ?? 0);
    const requestKey = this.request(b, requestId);
    s[b | ACTION] = q.action;
    s[b | HELD] = held;
    s[b | POLICY] = d.policy;
    if (stored !== undefined) {
      flags |= FROM_REGISTRY;
      s[b | RESOURCE] = stored;
    } else {
      s[b | RESOURCE] = q.resource;
    }
    const locks = q.locks;
    if (locks !== undefined && locks.length === 0) {
      flags |= ASKED_EMPTY;
      s[b | VALUE] = undefined;
    } else {
      s[b | VALUE] = locks;
    }
    s[b | ATTRS] = q.subject;
    const foreignId = key === undefined ? id : undefined;
    s[b | RARE] =
      q.actionProperties !== undefined || q.context !== undefined || sent !== undefined || shadow !== undefined || foreignId !== undefined || relations === undefined || blockingLocks !== undefined
        ? rareOf(q, sent, shadow, foreignId, relations === undefined ? d.facts : undefined, blockingLocks, undefined)
        : undefined;
    this.advance(i, key, flags, requestKey);
  }

  appendPermission(id: string | undefined, key: number | undefined, requestId: string | undefined, q: PermissionQuestion, d: DecisionCore, held: HeldRoles, shadow: DecisionCore | undefined): void {
    if (this.capacity === 0) return;
    const i = this.head;
    const s = this.slots;
    const b = (i * SLOTS) | 0;
    const facts = q.facts;
    // Its answer's facts are the question's (engine.ts checkPermission), or the shared empty list.
    const relations = d.facts === facts ? FACTS_ASKED : factsFlags(d.facts);
    let flags = PERMISSION | (d.allowed === true ? ALLOWED : 0) | (relations ?? 0);
    const requestKey = this.request(b, requestId);
    s[b | ACTION] = q.permission;
    s[b | HELD] = held;
    s[b | POLICY] = d.policy;
    s[b | ATTRS] = q.attrs;
    flags |= this.target(b, q.target, q.targetKey);
    // The facts are the shared empty list (a flag) but in rare checks (kept in rare).
    const asked = facts === undefined || facts.length > 0 ? facts : undefined;
    if (asked === undefined && facts !== undefined) flags |= ASKED_EMPTY;
    if (shadow !== undefined || key === undefined || relations === undefined || d.blockingLocks.length !== 0 || asked !== undefined) {
      s[b | RARE] = rareOf(undefined, undefined, shadow, key === undefined ? id : undefined, relations === undefined ? d.facts : undefined, d.blockingLocks.length === 0 ? undefined : d.blockingLocks, asked);
    } else {
      s[b | RARE] = undefined;
    }
    this.advance(i, key, flags, requestKey);
  }

  /**
   * Keeps a permission check's target in the RESOURCE and VALUE slots of the record at b; returns
   * its flag. The target is the one object a check makes for its question (the caller attributes
   * and absent parts are shared, authorizer.ts); its entries are kept instead when there are none
   * or one (most checks), so the object dies young. Read back, it is made again. The value is
   * read in the for-in by the enumeration's own index, no lookup by key. A target whose one key
   * the asker named (`key`, PermissionQuestion.targetKey) is not walked: the for-in and its
   * own-property test cost ~85 instructions a check (appendPermission 488 -> 404, callgrind at M).
   */
  private target(b: number, t: PermissionQuestion['target'], key: string | undefined): number {
    const s = this.slots;
    if (t === undefined) {
      s[b | RESOURCE] = undefined;
      s[b | VALUE] = undefined;
      return 0;
    }
    if (key !== undefined) {
      s[b | RESOURCE] = key;
      s[b | VALUE] = t[key];
      return TARGET_ENTRY;
    }
    let entry: string | undefined;
    let value: unknown;
    for (const k in t) {
      // hasOwnProperty on a for-in's own receiver and key: V8 answers it from the enum cache, no call.
      if (entry !== undefined || !Object.prototype.hasOwnProperty.call(t, k)) {
        s[b | RESOURCE] = t;
        s[b | VALUE] = undefined;
        return 0;
      }
      entry = k;
      value = t[k];
    }
    if (entry === undefined) {
      s[b | RESOURCE] = undefined;
      s[b | VALUE] = undefined;
      return TARGET_EMPTY;
    }
    s[b | RESOURCE] = entry;
    s[b | VALUE] = value;
    return TARGET_ENTRY;
  }

  /** Keeps the request id of the record at b: its key (returned; -1: none) or, when it has none, the string in the REQUEST slot. */
  private request(b: number, requestId: string | undefined): number {
    const key = requestId === undefined ? -1 : requestIdKey(requestId);
    if (key >= 0 && key < REQUEST_KEYS) {
      this.slots[b | REQUEST] = undefined;
      return key;
    }
    this.slots[b | REQUEST] = requestId;
    return -1;
  }

  /** Ends an append to record i: its id key (0 for another process's id, kept in rare), flags and request key, and the ring moves on. */
  private advance(i: number, key: number | undefined, flags: number, requestKey: number): void {
    const w = (i * 2) | 0;
    this.keyFlags[w] = key ?? 0;
    this.keyFlags[w | 1] = flags + (requestKey + 1) * FLAG_SPAN;
    this.head = i + 1 === this.capacity ? 0 : i + 1;
    if (this.size < this.capacity) this.size++;
  }

  async query(q: DecisionQuery, page: PageRequest): Promise<Page<DecisionRecord>> {
    const items: DecisionRecord[] = [];
    const matches = queryFilter(q);
    for (let n = 1; n <= this.size; n++) {
      const i = (this.head - n + this.capacity) % this.capacity;
      const id = (this.slots[i * SLOTS + RARE] as Rare | undefined)?.foreignId ?? decisionIdOfKey(this.keyFlags[i * 2]!);
      if (page.after !== undefined && id >= page.after) continue;
      const r = this.recordAt(i, id);
      if (!matches(r)) continue;
      if (items.length === page.limit) return { items, next: items[items.length - 1]!.id };
      items.push(r);
    }
    return { items };
  }

  async flush(): Promise<void> {}

  /** The record i, made again from its parts. */
  private recordAt(i: number, id: string): DecisionRecord {
    const b = i * SLOTS;
    const s = this.slots;
    const word = this.keyFlags[i * 2 + 1]!;
    const flags = word % FLAG_SPAN;
    const requestKey = (word - flags) / FLAG_SPAN - 1;
    const rare = s[b + RARE] as Rare | undefined;
    const held = s[b + HELD] as HeldRoles;
    const permission = (flags & PERMISSION) !== 0;
    const asked = flags & ASKED_EMPTY ? NO_FACTS : permission ? rare?.asked : (s[b + VALUE] as readonly LockFact[] | undefined);
    const facts =
      rare?.facts ??
      (flags & FACTS_ASKED
        ? (asked as readonly string[])
        : flags & FACTS_OWNER
          ? flags & FACTS_GROUP
            ? OWNER_AND_GROUP
            : OWNER
          : flags & FACTS_GROUP
            ? OWNER_GROUP
            : NO_FACTS);
    const base = {
      id,
      requestId: requestKey >= 0 ? requestIdOfKey(requestKey) : (s[b + REQUEST] as string | undefined),
      roles: held.roles,
      groups: held.groups,
      decision: present({ allowed: (flags & ALLOWED) !== 0, policy: s[b + POLICY], facts, blockingLocks: rare?.blockingLocks ?? NO_LOCKS }) as DecisionCore,
      ...(rare?.shadow ? { shadow: present(rare.shadow) } : {}),
    };
    const resource = s[b + RESOURCE];
    if (permission) {
      const question = present({
        userId: held.userId,
        scope: held.scope,
        facts: asked,
        attrs: s[b + ATTRS],
        permission: s[b + ACTION],
        target: flags & TARGET_ENTRY ? { [resource as string]: s[b + VALUE] } : flags & TARGET_EMPTY ? {} : resource,
      }) as unknown as PermissionQuestion;
      return { ...base, kind: 'permission', question };
    }
    const question = present({
      subjectId: held.userId,
      subject: s[b + ATTRS],
      action: s[b + ACTION],
      actionProperties: rare?.actionProperties,
      resource: flags & FROM_REGISTRY ? resourceOf(resource as RegisteredResource) : resource,
      context: rare?.context,
      locks: (flags & ASKED_EMPTY ? NO_LOCKS : asked) as readonly LockFact[] | undefined,
    }) as unknown as ResourceQuestion;
    const sent = rare?.sent;
    return { ...base, kind: 'resource', question, registered: (flags & REGISTERED) !== 0, ...(sent ? { sent } : {}) };
  }
}
