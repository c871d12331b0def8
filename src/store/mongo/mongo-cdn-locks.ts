/**
 * Traffic Ops CDN locks on MongoDB: a unique index on `cdn` makes "one lock per CDN" hold under
 * concurrent creates (docs/compatibility.md §6.3). Shared users are kept as parallel id/name arrays; removing a
 * user from them is a compare-and-set on a revision counter, because FerretDB v1 cannot `$pull`
 * by a sub-document condition.
 */
import type { Collection, Db, Filter, ObjectId } from 'mongodb';
import type { CdnLock, CdnLockStore } from '../lock-stores.js';
import { DuplicateError } from '../store-errors.js';
import { guard, isDuplicateKey } from './mongo-errors.js';
import { COLLECTIONS } from './mongo-indexes.js';

type CdnLockDoc = CdnLock & { _id?: ObjectId; rev: number };

const fromDoc = (d: CdnLockDoc): CdnLock => ({
  cdn: d.cdn,
  userId: d.userId,
  userName: d.userName,
  message: d.message ?? null,
  soft: d.soft,
  sharedUserIds: [...d.sharedUserIds],
  sharedUserNames: [...d.sharedUserNames],
  lastUpdated: d.lastUpdated,
});

export class MongoCdnLockStore implements CdnLockStore {
  private readonly col: Collection<CdnLockDoc>;

  constructor(db: Db) {
    this.col = db.collection<CdnLockDoc>(COLLECTIONS.cdnLocks);
  }

  create(lock: CdnLock) {
    return guard(async () => {
      try {
        await this.col.insertOne({ ...fromDoc({ ...lock, rev: 0 }), rev: 0 });
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateError('cdn lock');
        throw err;
      }
      return fromDoc({ ...lock, rev: 0 });
    });
  }
  get(cdn: string) {
    return guard(async () => {
      const d = await this.col.findOne({ cdn });
      return d ? fromDoc(d) : undefined;
    });
  }
  list(filter: { cdn?: string; userName?: string } = {}) {
    const q: Record<string, unknown> = {};
    if (filter.cdn !== undefined) q.cdn = filter.cdn;
    if (filter.userName !== undefined) q.userName = filter.userName;
    return guard(async () => (await this.col.find(q as Filter<CdnLockDoc>).sort({ cdn: 1 }).toArray()).map(fromDoc));
  }
  deleteIf(cdn: string, ownerId?: string) {
    const q: Filter<CdnLockDoc> = ownerId === undefined ? { cdn } : { cdn, userId: ownerId };
    return guard(async () => {
      const d = await this.col.findOneAndDelete(q);
      return d ? fromDoc(d) : undefined;
    });
  }
  deleteForUser(userId: string) {
    return guard(async () => {
      await this.col.deleteMany({ userId });
      for (let attempt = 0; attempt < 10; attempt++) {
        const sharing = await this.col.find({ sharedUserIds: userId }).toArray();
        if (sharing.length === 0) return;
        for (const d of sharing) {
          const keep = d.sharedUserIds.map((id, i) => [id, d.sharedUserNames[i]!] as const).filter(([id]) => id !== userId);
          await this.col.updateOne(
            { _id: d._id!, rev: d.rev },
            { $set: { sharedUserIds: keep.map(([id]) => id), sharedUserNames: keep.map(([, n]) => n), rev: d.rev + 1 } },
          );
        }
      }
      throw new Error(`could not remove user ${userId} from shared CDN locks: too many concurrent changes`);
    });
  }
}
