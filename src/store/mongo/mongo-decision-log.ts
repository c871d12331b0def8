/**
 * The decision log on MongoDB: a capped collection (`max` = the configured size), shared by every
 * replica. The fields filters use are top-level; the rest of a record (question, facts, answers)
 * is one JSON string, because request properties may hold keys with `.`/`$` and nested arrays,
 * which FerretDB v1 refuses.
 *
 * Writes never hold a decision up: records wait in a buffer and go in batches (`insertMany`,
 * unordered) every 100 ms or 200 records; a read writes the buffer first, so a decision is
 * readable as soon as it is answered. While the database is unreachable the buffer keeps the
 * newest 10 batches for the next write and drops older records (counted in `dropped`).
 *
 * FerretDB v1 trims capped collections in the background (about once a minute), not on insert,
 * and has no TTL indexes; so a query never looks past the `capacity` newest ids, and both
 * databases answer the same. The `_id` (time-ordered, see decision-id.ts) serves paging, order
 * and `since`; the other filters scan at most `capacity` documents.
 */
import type { Collection, Db, Filter } from 'mongodb';
import { coreOf, type DecisionCore } from '../../engine/explanation.js';
import type { RoleProof } from '../../engine/role-graph.js';
import { decisionIdFloor } from '../decision-id.js';
import { decidedAt, permissionRecord, requestOf, resourceRecord, type DecisionLogStore, type DecisionQuery, type DecisionRecord } from '../decision-log-store.js';
import type { Page, PageRequest } from '../page.js';
import { StoreUnavailableError } from '../store-errors.js';
import { guard } from './mongo-errors.js';
import { COLLECTIONS } from './mongo-indexes.js';

const DECISION_LOG_COLLECTION = COLLECTIONS.decisionLog;

const BATCH = 200;
const FLUSH_MS = 100;
const MAX_BUFFERED = 10 * BATCH;
/** The capped collection's byte cap: room for records averaging 16 KiB (MongoDB needs a size). */
const BYTES_PER_RECORD = 16 * 1024;

interface DecisionDoc {
  _id: string;
  at: Date;
  kind: DecisionRecord['kind'];
  request_id: string | null;
  subject: string;
  action: string;
  resource_type: string;
  resource_id: string;
  decision: 'allow' | 'deny';
  shadow: 'agree' | 'disagree' | null;
  /** Everything else, as JSON (see the module comment). */
  record: string;
}

/** Creates the capped collection when missing (and resizes it where the server can), then opens the log. */
export async function openMongoDecisionLog(db: Db, capacity: number): Promise<MongoDecisionLog> {
  if (capacity > 0) {
    const size = Math.max(capacity * BYTES_PER_RECORD, 1 << 20);
    const [existing] = await db.listCollections({ name: DECISION_LOG_COLLECTION }).toArray();
    if (!existing) {
      await db.createCollection(DECISION_LOG_COLLECTION, { capped: true, size, max: capacity }).catch((err: { code?: number }) => {
        if (err.code !== 48) throw err; // NamespaceExists: another replica created it first
      });
    } else {
      const options = (existing as { options?: { capped?: boolean; max?: number } }).options ?? {};
      // MongoDB 6+ resizes in place; FerretDB v1 has no collMod, and queries stop at `capacity` anyway.
      if (options.capped && options.max !== capacity) {
        await db.command({ collMod: DECISION_LOG_COLLECTION, cappedMax: capacity, cappedSize: size }).catch(() => undefined);
      }
    }
  }
  return new MongoDecisionLog(db.collection<DecisionDoc>(DECISION_LOG_COLLECTION), capacity);
}

export class MongoDecisionLog implements DecisionLogStore {
  private buffer: DecisionRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Records dropped because the database could not take them. */
  dropped = 0;

  constructor(
    private readonly col: Collection<DecisionDoc>,
    readonly capacity: number,
  ) {}

  appendResource(...parts: Parameters<DecisionLogStore['appendResource']>): void {
    if (this.capacity > 0) this.buffered(resourceRecord(...parts));
  }

  appendPermission(...parts: Parameters<DecisionLogStore['appendPermission']>): void {
    if (this.capacity > 0) this.buffered(permissionRecord(...parts));
  }

  /** Adds the record to the buffer; a full batch is written now, a smaller one within FLUSH_MS. */
  private buffered(record: DecisionRecord): void {
    this.buffer.push(record);
    if (this.buffer.length > MAX_BUFFERED) {
      this.dropped += this.buffer.length - MAX_BUFFERED;
      this.buffer = this.buffer.slice(-MAX_BUFFERED);
    }
    if (this.buffer.length >= BATCH) void this.flush().catch(() => undefined);
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Writes the buffer; one write at a time. Records a failed write could not store are counted as dropped. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.writing.catch(() => undefined).then(() => this.write());
    this.writing = next;
    return next;
  }

  private async write(): Promise<void> {
    const batch = this.buffer;
    if (!batch.length) return;
    this.buffer = [];
    try {
      await guard(() => this.col.insertMany(batch.map(toDoc), { ordered: false }));
    } catch (err) {
      if (err instanceof StoreUnavailableError) {
        // Nothing was written: keep the batch for the next flush (the newest MAX_BUFFERED records).
        const kept = [...batch, ...this.buffer];
        this.dropped += Math.max(0, kept.length - MAX_BUFFERED);
        this.buffer = kept.slice(-MAX_BUFFERED);
      } else {
        this.dropped += batch.length - ((err as { insertedCount?: number }).insertedCount ?? 0);
      }
      throw err;
    }
  }

  query(q: DecisionQuery, page: PageRequest): Promise<Page<DecisionRecord>> {
    return guard(async () => {
      await this.flush().catch(() => undefined); // a failed write is counted in `dropped`; the read goes on
      if (this.capacity === 0) return { items: [] };
      const id: Record<string, string> = {};
      const oldestKept = await this.col.find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).skip(this.capacity - 1).limit(1).next();
      const floors = [oldestKept?._id, q.since === undefined ? undefined : decisionIdFloor(q.since)].filter((f): f is string => !!f);
      if (floors.length) id.$gte = floors.sort()[floors.length - 1]!;
      if (page.after !== undefined) id.$lt = page.after;
      const filter: Filter<DecisionDoc> = {};
      if (Object.keys(id).length) filter._id = id;
      if (q.kind !== undefined) filter.kind = q.kind;
      if (q.subject !== undefined) filter.subject = q.subject;
      if (q.action !== undefined) filter.action = q.action;
      if (q.resourceType !== undefined) filter.resource_type = q.resourceType;
      if (q.resourceId !== undefined) filter.resource_id = q.resourceId;
      if (q.decision !== undefined) filter.decision = q.decision;
      if (q.requestId !== undefined) filter.request_id = q.requestId;
      if (q.shadow !== undefined) filter.shadow = q.shadow;
      const docs = await this.col.find(filter).sort({ _id: -1 }).limit(page.limit + 1).toArray();
      const items = docs.slice(0, page.limit).map(fromDoc);
      return docs.length > page.limit ? { items, next: items[items.length - 1]!.id } : { items };
    });
  }
}

/** The part of a record kept as JSON: Maps and Sets as arrays. */
interface RecordJson {
  question: DecisionRecord['question'];
  sent?: Readonly<Record<string, unknown>>;
  roles: [string, RoleProof][];
  groups: string[];
  decision: DecisionCore;
  shadow?: DecisionCore;
  registered?: boolean;
}

function toDoc(r: DecisionRecord): DecisionDoc {
  const json: RecordJson = {
    question: r.question,
    roles: [...r.roles],
    groups: [...r.groups],
    decision: coreOf(r.decision),
    ...(r.shadow ? { shadow: coreOf(r.shadow) } : {}),
    ...(r.kind === 'resource' ? { registered: r.registered, ...(r.sent ? { sent: r.sent } : {}) } : {}),
  };
  const request = requestOf(r);
  return {
    _id: r.id,
    at: new Date(decidedAt(r)),
    kind: r.kind,
    request_id: r.requestId ?? null,
    subject: request.subject.id,
    action: request.action.name,
    resource_type: request.resource.type,
    resource_id: request.resource.id,
    decision: r.decision.allowed ? 'allow' : 'deny',
    shadow: r.shadow ? (r.shadow.allowed === r.decision.allowed ? 'agree' : 'disagree') : null,
    record: JSON.stringify(json),
  };
}

function fromDoc(d: DecisionDoc): DecisionRecord {
  const j = JSON.parse(d.record) as RecordJson;
  const base = {
    id: d._id,
    requestId: d.request_id ?? undefined,
    roles: new Map(j.roles),
    groups: new Set(j.groups),
    decision: j.decision,
    ...(j.shadow ? { shadow: j.shadow } : {}),
  };
  return d.kind === 'resource'
    ? {
        ...base,
        kind: 'resource',
        question: j.question as Extract<DecisionRecord, { kind: 'resource' }>['question'],
        registered: j.registered ?? false,
        ...(j.sent ? { sent: j.sent } : {}),
      }
    : { ...base, kind: 'permission', question: j.question as Extract<DecisionRecord, { kind: 'permission' }>['question'] };
}
