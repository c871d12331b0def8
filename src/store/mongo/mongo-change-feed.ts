/**
 * The change feed on MongoDB: one collection of change entries, `_id` = a dense sequence number.
 *
 * A write:
 *  1. claims the next number by inserting its entry as `pending`, with the keys it will touch.
 *     The number is read as latest + 1 and taken by the insert itself: the unique `_id` index lets
 *     exactly one writer have each number, and a number exists only once its entry does, so the
 *     sequence has no holes (no `$inc` counter whose number could be taken by a writer that dies
 *     before inserting the entry; FerretDB v1's findAndModify `$inc` is not atomic anyway);
 *  2. waits until no earlier entry sharing a key is still pending, so writes to one record take
 *     effect in sequence order (writes of one process to one record queue in the process first);
 *  3. runs, then marks its entry `done` with the after-images of what it changed;
 *  4. waits until this replica has applied its entry (read-your-writes).
 *
 * Followers (src/domain/replica-sync.ts) read entries in order and apply those that are done;
 * a pending entry is watched until it is done. An entry still pending after `pendingTimeoutMs` is
 * presumed dead (its writer crashed mid-write): a follower marks it `abandoned` and reloads,
 * because its write may or may not have happened. A writer that finds itself slower than half
 * that timeout appends a `reload` entry after finishing, in case a follower gave up on it.
 * A write that fails in a way that may have changed something is closed with a `reload`, too.
 *
 * Retention: entries more than `retention` numbers behind the latest are deleted; a follower that
 * fell further behind reloads once.
 */
import { randomBytes } from 'node:crypto';
import { MongoBulkWriteError, type Collection, type Db } from 'mongodb';
import type { ChangeOp } from '../change-ops.js';
import { keys as changeKeys } from '../change-ops.js';
import type { ChangeConsumer, ChangeFeed, ChangeLog, ChangeRecord, Written } from '../change-feed.js';
import { DuplicateError, InferenceCycleError } from '../store-errors.js';
import { guard, isDuplicateKey } from './mongo-errors.js';
import { COLLECTIONS } from './mongo-indexes.js';

interface ChangeDoc {
  _id: number;
  state: 'pending' | 'done' | 'abandoned';
  keys: string[];
  /** JSON of ChangeOp[]: after-images carry client JSON FerretDB v1 would refuse as fields. */
  ops?: string;
  at: number;
  doneAt?: number;
  /** Which process wrote it (logs and debugging). */
  by: string;
}

export interface ChangeFeedOptions {
  /** Entries kept behind the latest. */
  readonly retention: number;
  /** How long a pending entry may stay pending before it is presumed dead. */
  readonly pendingTimeoutMs: number;
}

const CLAIM_ATTEMPTS = 200;
const PRUNE_EVERY = 50;

/** Failures that are known to have written nothing (a unique index or a rule refused the write). */
const wroteNothing = (err: unknown) => err instanceof DuplicateError || err instanceof InferenceCycleError || isDuplicateKey(err);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class MongoChangeFeed implements ChangeFeed, ChangeLog {
  readonly shared = true;
  readonly replicaId = randomBytes(4).toString('hex');
  private readonly col: Collection<ChangeDoc>;
  private consumer: ChangeConsumer | undefined;
  /** This process's claims waiting for numbers: taken together, one read and one insert per batch. */
  private claims: { keys: readonly string[]; resolve: (seq: number) => void; reject: (err: unknown) => void }[] = [];
  private claiming = false;
  /** key → this process's latest write to it: same-key writes of one process queue here, not in the database. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    db: Db,
    private readonly options: ChangeFeedOptions,
  ) {
    this.col = db.collection<ChangeDoc>(COLLECTIONS.changes);
  }

  attach(consumer: ChangeConsumer): void {
    this.consumer = consumer;
  }

  async write<T>(keysOf: () => readonly string[], run: () => Promise<Written<T>>): Promise<T> {
    const keys = keysOf();
    // This process's earlier writes to the same records: this one runs once they are done (their
    // entries are claimed first, since claims are numbered in call order).
    const before = keys.map((k) => this.tails.get(k)).filter((p) => p !== undefined);
    let release!: () => void;
    const finished = new Promise<void>((resolve) => (release = resolve));
    for (const k of keys) this.tails.set(k, finished);
    void finished.then(() => {
      for (const k of keys) if (this.tails.get(k) === finished) this.tails.delete(k);
    });
    let seq: number;
    let written: Written<T>;
    let claimed: number;
    try {
      seq = await this.claim(keys);
      claimed = Date.now(); // followers time a pending entry from when they first see it, after this
      try {
        await Promise.all(before);
        await this.waitForEarlier(seq, keys);
        written = await run();
      } catch (err) {
        // Best effort: if the database is gone this fails too and followers time the entry out.
        await this.finish(seq, wroteNothing(err) ? [] : [{ kind: 'reload' }]).catch(() => undefined);
        throw err;
      }
      await this.finish(seq, written.ops);
    } finally {
      release();
    }
    if (Date.now() - claimed > this.options.pendingTimeoutMs / 2) await this.append([{ kind: 'reload' }]);
    await this.consumer?.caughtUp?.(seq);
    return written.result;
  }

  latest(): Promise<number> {
    return guard(async () => {
      const top = await this.col.find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).limit(1).toArray();
      return top[0]?._id ?? 0;
    });
  }

  from(from: number, limit: number): Promise<ChangeRecord[]> {
    return guard(async () => (await this.col.find({ _id: { $gte: from } }).sort({ _id: 1 }).limit(limit).toArray()).map(toRecord));
  }

  get(seqs: readonly number[]): Promise<ChangeRecord[]> {
    return guard(async () => (await this.col.find({ _id: { $in: [...seqs] } }).sort({ _id: 1 }).toArray()).map(toRecord));
  }

  pending(): Promise<ChangeRecord[]> {
    return guard(async () => (await this.col.find({ state: 'pending' }).sort({ _id: 1 }).toArray()).map(toRecord));
  }

  async append(ops: readonly ChangeOp[]): Promise<number> {
    const seq = await this.claim([changeKeys.everything()]);
    await this.finish(seq, ops);
    return seq;
  }

  /** Marks an entry its writer never finished; followers then reload. Returns false if it finished meanwhile. */
  abandon(seq: number): Promise<boolean> {
    return guard(async () => (await this.col.updateOne({ _id: seq, state: 'pending' }, { $set: { state: 'abandoned' } })).modifiedCount === 1);
  }

  private claim(keys: readonly string[]): Promise<number> {
    const claimed = new Promise<number>((resolve, reject) => this.claims.push({ keys, resolve, reject }));
    if (!this.claiming) void this.claimQueued();
    return claimed;
  }

  /**
   * Takes numbers for every queued claim of this process: reads the latest number once and inserts
   * the entries latest + 1, latest + 2, ... in order; an ordered insert stops at the first number
   * another replica took meanwhile, and the claims left over read again.
   */
  private async claimQueued(): Promise<void> {
    this.claiming = true;
    try {
      while (this.claims.length) {
        let batch = this.claims.splice(0, 200);
        try {
          for (let attempt = 0; batch.length; attempt++) {
            if (attempt >= CLAIM_ATTEMPTS) throw new Error(`could not claim a change number after ${CLAIM_ATTEMPTS} attempts (too many concurrent writers)`);
            if (attempt > 2) await sleep(Math.random() * 5 * attempt); // other replicas keep taking numbers
            const first = (await this.latest()) + 1;
            const at = Date.now();
            const docs = batch.map((c, i): ChangeDoc => ({ _id: first + i, state: 'pending', keys: [...c.keys], at, by: this.replicaId }));
            let inserted = docs.length;
            try {
              await guard(() => this.col.insertMany(docs, { ordered: true }));
            } catch (err) {
              if (!(err instanceof MongoBulkWriteError) || !isDuplicateKey(err)) throw err;
              inserted = err.insertedCount;
            }
            batch.slice(0, inserted).forEach((c, i) => c.resolve(first + i));
            const last = first + inserted - 1;
            if (inserted > 0 && Math.floor(last / PRUNE_EVERY) > Math.floor((first - 1) / PRUNE_EVERY)) {
              void this.col.deleteMany({ _id: { $lte: last - this.options.retention } }).catch(() => undefined);
            }
            batch = batch.slice(inserted);
          }
        } catch (err) {
          for (const c of batch) c.reject(err);
        }
      }
    } finally {
      this.claiming = false;
    }
  }

  /** Waits for earlier pending entries that share a key; gives up on them after the pending timeout. */
  private async waitForEarlier(seq: number, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const mine = new Set(keys);
    const deadline = Date.now() + this.options.pendingTimeoutMs;
    for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
      const earlier = await guard(() => this.col.find({ _id: { $lt: seq }, state: 'pending' }, { projection: { keys: 1 } }).toArray());
      if (!earlier.some((d) => d.keys.some((k) => mine.has(k) || k === changeKeys.everything()))) return;
      if (Date.now() > deadline) return; // presumed dead: followers abandon it and reload
      await sleep(pause);
    }
  }

  private finish(seq: number, ops: readonly ChangeOp[]): Promise<void> {
    return guard(async () => {
      await this.col.updateOne({ _id: seq }, { $set: { state: 'done', ops: JSON.stringify(ops), doneAt: Date.now() } });
    });
  }
}

function toRecord(d: ChangeDoc): ChangeRecord {
  const abandoned = d.state === 'abandoned';
  return {
    seq: d._id,
    state: d.state === 'pending' ? 'pending' : 'done',
    keys: d.keys,
    // An abandoned entry's write may or may not have happened: followers reload.
    ops: abandoned ? [{ kind: 'reload' }] : d.ops ? (JSON.parse(d.ops) as ChangeOp[]) : [],
    doneAt: d.doneAt ?? null,
  };
}
