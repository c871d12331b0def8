/**
 * The decision log in memory: a ring of the newest `capacity` records. A query walks it newest
 * first; ids grow with insertion order in one process, so a page resumes after an id.
 *
 * Keeping a record allocates nothing (in the common case) and writes one row: the journal hands
 * over the record's parts (appendResource, appendPermission), so no record object is made either.
 * The ring is one preallocated Row object a record, reused as the ring wraps: a record's parts are
 * written into its row's fields by reference, its id as a number (its key, handed over with the
 * id: decision-id.ts) and what can be said in bits
 * (the answer, which shared relation list it has, empty lists) into typed arrays beside it. A
 * record object is made again only when it is read. Why rows: a row's fields are written one
 * after another, one stream the CPU prefetches; one array per part (before) was 23 streams a
 * record, each a cache miss more than the prefetcher follows. Why objects with named fields
 * rather than slots of one big array: a field store is checked once for the row's shape, where a
 * slot store had its index checked for overflow and bounds each time (~320 instructions to write
 * a permission check then, was ~410). Why by reference: the record objects the ring once held (~460
 * bytes a decision) all outlived the young generation, so every scavenge copied and promoted
 * them. Why narrow, and long-lived parts where there is a choice: every field written is a write
 * barrier, and a young value stored into the (old) ring is a remembered-set entry too, then a copy
 * and a promotion; so a record keeps the role graph's memoised HeldRoles (one field for the
 * subject, the scope, the roles and the groups), the registry's record of a registered resource instead of the scope, owner, group,
 * properties and status made of it (scope is a string made per decision), and flags instead of
 * the shared empty or relation lists (README, "Decision log cost").
 */
import { NO_FACTS, NO_LOCKS, OWNER, OWNER_AND_GROUP, OWNER_GROUP, type HeldRoles, type LockFact, type PermissionQuestion, type ResourceQuestion } from '../../engine/engine.js';
import { coreOf, type DecisionCore } from '../../engine/explanation.js';
import { resourceScope } from '../../engine/scope.js';
import { decisionIdOfKey } from '../decision-id.js';
import { queryFilter, type DecisionLogStore, type DecisionQuery, type DecisionRecord, type ResourceDecisionRecord } from '../decision-log-store.js';
import type { Page, PageRequest } from '../page.js';
import type { RegisteredResource } from '../resource-store.js';

// Flags of a record.
const PERMISSION = 1;
const ALLOWED = 2;
/** record.registered (a resource decision). */
const REGISTERED = 4;
/** A resource decision's row.resource holds the registry's record (record.stored), not the question's resource. */
const FROM_REGISTRY = 8;
/** A permission check's target without entries (kept as this flag, read back as a new `{}`). */
const TARGET_EMPTY = 16;
/** A permission check's target of one entry, kept as its key (row.resource) and value (row.value). */
const TARGET_ENTRY = 32;
/** The answer's relations (decision.facts) are engine.ts's OWNER, OWNER_GROUP or both (neither: an empty list). */
const FACTS_OWNER = 64;
const FACTS_GROUP = 128;
/** A permission check's answer has the question's own facts as its facts. */
const FACTS_ASKED = 256;
/** The question's list (a resource decision's locks, a permission check's facts) is empty (row.asked is unused). */
const ASKED_EMPTY = 512;

/**
 * One record's row: made once, with the ring, and reused as it wraps (so it is old, and a field
 * store is a plain store and a write barrier's fast path). A permission check's parts go in the
 * resource decision's nearest field.
 */
class Row {
  requestId: string | undefined = undefined;
  /** permission: the permission */
  action: string | undefined = undefined;
  /** The roles and groups, with the user and scope they are for: the subject (permission: userId and scope). */
  held: HeldRoles | undefined = undefined;
  policy: DecisionCore['policy'] = undefined;
  /** The registry's record (FROM_REGISTRY) or the question's resource; permission: the target, or its one key (TARGET_ENTRY). */
  resource: unknown = undefined;
  /** permission: the target's one value (TARGET_ENTRY). */
  value: unknown = undefined;
  /** permission: the caller attributes. */
  attrs: PermissionQuestion['attrs'] = undefined;
  /** The question's list when not empty: a resource decision's locks, a permission check's facts. */
  asked: readonly unknown[] | undefined = undefined;
  /** The parts a record seldom has, in one object made only when one of them is present. */
  rare: Rare | undefined = undefined;
}

/** Parts of a record most records lack: an AuthZEN subject, action properties, context, sent properties, a shadow answer, an id another process made, other relations, blocking locks. */
interface Rare {
  readonly subject: ResourceQuestion['subject'];
  readonly actionProperties: ResourceQuestion['actionProperties'];
  readonly context: ResourceQuestion['context'];
  readonly sent: ResourceDecisionRecord['sent'];
  readonly shadow: DecisionCore | undefined;
  readonly foreignId: string | undefined;
  /** decision.facts when the flags cannot say it. */
  readonly facts: readonly string[] | undefined;
  /** decision.blockingLocks when not empty. */
  readonly blockingLocks: DecisionCore['blockingLocks'] | undefined;
}

/** The Rare object of a record (a permission check has no question parts here). */
function rareOf(
  q: Pick<ResourceQuestion, 'subject' | 'actionProperties' | 'context'> | undefined,
  sent: Rare['sent'],
  shadow: DecisionCore | undefined,
  foreignId: string | undefined,
  facts: readonly string[] | undefined,
  blockingLocks: Rare['blockingLocks'],
): Rare {
  return { subject: q?.subject, actionProperties: q?.actionProperties, context: q?.context, sent, shadow: shadow && coreOf(shadow), foreignId, facts, blockingLocks };
}

/** The flag bits for an answer's relations, or undefined when they must be kept as they are. */
function factsFlags(facts: readonly string[]): number | undefined {
  return facts.length === 0 ? 0 : facts === OWNER ? FACTS_OWNER : facts === OWNER_GROUP ? FACTS_GROUP : facts === OWNER_AND_GROUP ? FACTS_OWNER | FACTS_GROUP : undefined;
}

/** A registered resource as the question had it: the registry's record alone (decision-service.ts mergeFacts, no properties sent). */
function resourceOf(s: RegisteredResource): ResourceQuestion['resource'] {
  return { type: s.type, id: s.id, scope: resourceScope(s), owner: s.owner, group: s.group, properties: s.attributes, status: s.status, registered: true };
}

/**
 * Writes a permission check's target into the row and returns its flag: its one entry (TARGET_ENTRY:
 * row.resource its key, row.value its value), none (TARGET_EMPTY), or else the object itself. The
 * value is read in the for-in by the enumeration's own index, no lookup by key.
 */
function targetInto(row: Row, t: Readonly<Record<string, unknown>> | undefined): number {
  let key: string | undefined;
  if (t !== undefined) {
    for (const k in t) {
      // hasOwnProperty on a for-in's own receiver and key: V8 answers it from the enum cache, no call.
      if (key !== undefined || !Object.prototype.hasOwnProperty.call(t, k)) {
        row.resource = t;
        row.value = undefined;
        return 0;
      }
      key = k;
      row.value = t[k];
    }
    if (key === undefined) {
      row.resource = undefined;
      row.value = undefined;
      return TARGET_EMPTY;
    }
    row.resource = key;
    return TARGET_ENTRY;
  }
  row.resource = undefined;
  row.value = undefined;
  return 0;
}

/** An object of the entries whose value is not undefined (a record read back has the keys it was given). */
function present<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

export class MemoryDecisionLog implements DecisionLogStore {
  private readonly keys: Float64Array;
  private readonly flags: Uint16Array;
  private readonly rows: Row[];
  /** Where the next record goes. */
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.keys = new Float64Array(capacity);
    this.flags = new Uint16Array(capacity);
    this.rows = Array.from({ length: capacity }, () => new Row());
  }

  appendResource(
    id: string,
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
    const row = this.rows[i]!;
    const relations = factsFlags(d.facts);
    const blockingLocks = d.blockingLocks.length === 0 ? undefined : d.blockingLocks;
    let flags = (d.allowed ? ALLOWED : 0) | (registered ? REGISTERED : 0) | (relations ?? 0);
    row.requestId = requestId;
    row.action = q.action;
    row.held = held;
    row.policy = d.policy;
    if (stored !== undefined) {
      flags |= FROM_REGISTRY;
      row.resource = stored;
    } else {
      row.resource = q.resource;
    }
    if (this.flags[i]! & PERMISSION) {
      // A permission check's own slots, cleared so the ring keeps nothing of it.
      row.value = undefined;
      row.attrs = undefined;
    }
    const locks = q.locks;
    if (locks !== undefined && locks.length === 0) flags |= ASKED_EMPTY;
    row.asked = flags & ASKED_EMPTY ? undefined : locks;
    const foreignId = key === undefined ? id : undefined;
    row.rare =
      q.subject !== undefined || q.actionProperties !== undefined || q.context !== undefined || sent !== undefined || shadow !== undefined || foreignId !== undefined || relations === undefined || blockingLocks !== undefined
        ? rareOf(q, sent, shadow, foreignId, relations === undefined ? d.facts : undefined, blockingLocks)
        : undefined;
    this.advance(i, key, flags);
  }

  appendPermission(id: string, key: number | undefined, requestId: string | undefined, q: PermissionQuestion, d: DecisionCore, held: HeldRoles, shadow: DecisionCore | undefined): void {
    if (this.capacity === 0) return;
    const i = this.head;
    const row = this.rows[i]!;
    const facts = q.facts;
    // Its answer's facts are the question's (engine.ts checkPermission), or the shared empty list.
    const relations = d.facts === facts ? FACTS_ASKED : factsFlags(d.facts);
    let flags = PERMISSION | (d.allowed ? ALLOWED : 0) | (relations ?? 0);
    row.requestId = requestId;
    row.action = q.permission;
    row.held = held;
    row.policy = d.policy;
    row.attrs = q.attrs;
    // The target is the one object a check makes for its question (the caller attributes and
    // absent parts are shared, authorizer.ts); its entries are kept instead when there are none
    // or one (most checks), so the object dies young. Read back, it is made again.
    flags |= targetInto(row, q.target);
    // Stores of a constant undefined have no write barrier: the common case's branches store one.
    if (facts === undefined || facts.length > 0) row.asked = facts;
    else {
      flags |= ASKED_EMPTY;
      row.asked = undefined;
    }
    if (shadow !== undefined || key === undefined || relations === undefined || d.blockingLocks.length !== 0) {
      row.rare = rareOf(undefined, undefined, shadow, key === undefined ? id : undefined, relations === undefined ? d.facts : undefined, d.blockingLocks.length === 0 ? undefined : d.blockingLocks);
    } else {
      row.rare = undefined;
    }
    this.advance(i, key, flags);
  }

  /** Ends an append to row i: its flags and id key (0 for another process's id, kept in rare), and the ring moves on. */
  private advance(i: number, key: number | undefined, flags: number): void {
    this.flags[i] = flags;
    this.keys[i] = key ?? 0;
    this.head = i + 1 === this.capacity ? 0 : i + 1;
    if (this.size < this.capacity) this.size++;
  }

  async query(q: DecisionQuery, page: PageRequest): Promise<Page<DecisionRecord>> {
    const items: DecisionRecord[] = [];
    const matches = queryFilter(q);
    for (let n = 1; n <= this.size; n++) {
      const i = (this.head - n + this.capacity) % this.capacity;
      const id = this.rows[i]!.rare?.foreignId ?? decisionIdOfKey(this.keys[i]!);
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
    const row = this.rows[i]!;
    const flags = this.flags[i]!;
    const rare = row.rare;
    const held = row.held!;
    const asked = flags & ASKED_EMPTY ? NO_FACTS : row.asked;
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
      requestId: row.requestId,
      roles: held.roles,
      groups: held.groups,
      decision: present({ allowed: (flags & ALLOWED) !== 0, policy: row.policy, facts, blockingLocks: rare?.blockingLocks ?? NO_LOCKS }) as DecisionCore,
      ...(rare?.shadow ? { shadow: present(rare.shadow) } : {}),
    };
    if (flags & PERMISSION) {
      const question = present({
        userId: held.userId,
        scope: held.scope,
        facts: asked,
        attrs: row.attrs,
        permission: row.action,
        target: flags & TARGET_ENTRY ? { [row.resource as string]: row.value } : flags & TARGET_EMPTY ? {} : row.resource,
      }) as unknown as PermissionQuestion;
      return { ...base, kind: 'permission', question };
    }
    const question = present({
      subjectId: held.userId,
      subject: rare?.subject,
      action: row.action,
      actionProperties: rare?.actionProperties,
      resource: flags & FROM_REGISTRY ? resourceOf(row.resource as RegisteredResource) : row.resource,
      context: rare?.context,
      locks: (flags & ASKED_EMPTY ? NO_LOCKS : asked) as readonly LockFact[] | undefined,
    }) as unknown as ResourceQuestion;
    const sent = rare?.sent;
    return { ...base, kind: 'resource', question, registered: (flags & REGISTERED) !== 0, ...(sent ? { sent } : {}) };
  }
}
