/**
 * The change feed: every store write goes through `write`, which runs it and hands what it
 * changed (after-images, see change-ops.ts) to this replica's read model.
 *
 * - The memory store is one process: `LocalChangeFeed` applies the changes synchronously, inside
 *   the write, so the next decision sees them.
 * - A shared store (MongoDB) is written by several replicas: its feed records each write in an
 *   ordered change log in the database (`ChangeLog`), which every replica follows; the writing
 *   replica applies the log up to its own write before the write returns (read-your-writes).
 */
import type { ChangeOp } from './change-ops.js';

/** A write's result and the after-images of what it changed. */
export interface Written<T> {
  readonly result: T;
  readonly ops: readonly ChangeOp[];
}

/** This replica's read model (the role graph and, on MongoDB, the mirrors of what decisions read). */
export interface ChangeConsumer {
  /** Local feed: the changes of one write, synchronously, inside the write. */
  apply(ops: readonly ChangeOp[]): void;
  /** Shared feed: called after a write recorded as `seq`; resolves once this replica has applied it. */
  caughtUp?(seq: number): Promise<void>;
}

export interface ChangeFeed {
  /** True when other processes write to the same store (its changes arrive through `log`). */
  readonly shared: boolean;
  /**
   * Runs one write. `keys` lists every record it may change (see change-ops.ts `keys`): writes
   * sharing a key take effect in the order the feed gave them. A feed that orders writes calls it
   * once, before `run`; the local feed never needs the list (one process: each write runs as it
   * comes), so it is not built there (~400k writes load dataset M).
   */
  write<T>(keys: () => readonly string[], run: () => Promise<Written<T>>): Promise<T>;
  /** The read model that applies changes (one per process). */
  attach(consumer: ChangeConsumer): void;
}

export class LocalChangeFeed implements ChangeFeed {
  readonly shared = false;
  private consumer: ChangeConsumer | undefined;

  attach(consumer: ChangeConsumer): void {
    this.consumer = consumer;
  }

  write<T>(_keys: () => readonly string[], run: () => Promise<Written<T>>): Promise<T> {
    // One promise step (not an async function's await): ~400k writes load dataset M. A write that
    // throws before its promise is made still rejects, as an async function's would.
    let written: Promise<Written<T>>;
    try {
      written = run();
    } catch (err) {
      return Promise.reject(err);
    }
    return written.then(this.settle) as Promise<T>;
  }

  /** Applies a write's changes to the read model; its result. */
  private readonly settle = (written: Written<unknown>): unknown => {
    this.consumer?.apply(written.ops);
    return written.result;
  };
}

/** One entry of a shared change log. `seq` is dense: every number from 1 up is (or was) an entry. */
export interface ChangeRecord {
  readonly seq: number;
  /** `pending` while its write runs; `done` once its ops are final. */
  readonly state: 'pending' | 'done';
  readonly keys: readonly string[];
  readonly ops: readonly ChangeOp[];
  /** Writer's clock (ms since epoch) when the write finished; for lag metrics only. */
  readonly doneAt: number | null;
}

/** The database side of a shared feed, read by every replica's follower (src/domain/replica-sync.ts). */
export interface ChangeLog {
  /** Highest sequence number taken, 0 when none. */
  latest(): Promise<number>;
  /** Entries with seq >= `from`, ascending, at most `limit`. */
  from(from: number, limit: number): Promise<ChangeRecord[]>;
  /** The entries with these sequence numbers (those still retained). */
  get(seqs: readonly number[]): Promise<ChangeRecord[]>;
  /** Entries still pending, ascending. */
  pending(): Promise<ChangeRecord[]>;
  /** Appends a finished entry (a bulk load announcing `reload`). Returns its seq. */
  append(ops: readonly ChangeOp[]): Promise<number>;
  /** Marks an entry whose writer never finished; false when it finished meanwhile. */
  abandon(seq: number): Promise<boolean>;
}
