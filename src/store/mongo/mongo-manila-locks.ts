/**
 * Manila resource locks on MongoDB (`_id` = lock id). Lists filter, sort (ties broken by id in
 * the same direction) and page on the server; `lock_reason~` is a case-insensitive substring with
 * regex metacharacters escaped (docs/compatibility.md §7 M-10).
 */
import type { Collection, Db, Filter, Sort } from 'mongodb';
import { MANILA_SORT_FIELDS, manilaExactFilters, type ManilaLock, type ManilaLockQuery, type ManilaLockStore } from '../lock-stores.js';
import { guard } from './mongo-errors.js';
import { COLLECTIONS } from './mongo-indexes.js';

type LockDoc = Omit<ManilaLock, 'id'> & { _id: string };


const toDoc = ({ id, ...rest }: ManilaLock): LockDoc => ({ _id: id, ...rest });
const fromDoc = ({ _id, ...rest }: LockDoc): ManilaLock => ({ id: _id, ...rest });
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function toQuery(q: ManilaLockQuery): Filter<LockDoc> {
  const f: Record<string, unknown> = {};
  for (const [field, value] of manilaExactFilters(q)) f[field === 'id' ? '_id' : field] = value;
  if (q.lockReasonContains !== undefined) {
    if (q.lockReason !== undefined) f.$and = [{ lockReason: { $regex: escapeRegex(q.lockReasonContains), $options: 'i' } }];
    else f.lockReason = { $regex: escapeRegex(q.lockReasonContains), $options: 'i' };
  }
  if (q.createdSince !== undefined || q.createdBefore !== undefined) {
    const range: Record<string, string> = {};
    if (q.createdSince !== undefined) range.$gte = q.createdSince;
    if (q.createdBefore !== undefined) range.$lte = q.createdBefore;
    f.createdAt = range;
  }
  return f as Filter<LockDoc>;
}

export class MongoManilaLockStore implements ManilaLockStore {
  private readonly col: Collection<LockDoc>;

  constructor(db: Db) {
    this.col = db.collection<LockDoc>(COLLECTIONS.manilaLocks);
  }

  create(lock: ManilaLock) {
    return guard(async () => {
      await this.col.insertOne(toDoc(lock));
      return { ...lock };
    });
  }
  get(id: string) {
    return guard(async () => {
      const d = await this.col.findOne({ _id: id });
      return d ? fromDoc(d) : undefined;
    });
  }
  list(q: ManilaLockQuery) {
    return guard(async () => {
      const filter = toQuery(q);
      const dir = q.sortDir === 'desc' ? -1 : 1;
      const field = q.sortKey === 'id' ? '_id' : MANILA_SORT_FIELDS[q.sortKey];
      const sort: Sort = field === '_id' ? { _id: dir } : { [field]: dir, _id: dir };
      let cursor = this.col.find(filter).sort(sort);
      if (q.offset) cursor = cursor.skip(q.offset);
      if (q.limit !== undefined) cursor = cursor.limit(q.limit);
      // MongoDB reads limit(0) as "no limit"; the contract says an empty page.
      const docs = q.limit === 0 ? Promise.resolve([]) : cursor.toArray();
      const [items, total] = await Promise.all([docs, this.col.countDocuments(filter)]);
      return { items: items.map(fromDoc), total };
    });
  }
  update(id: string, change: { resourceAction?: string; lockReason?: string | null; updatedAt: string }) {
    return guard(async () => {
      const set: Record<string, unknown> = { updatedAt: change.updatedAt };
      if (change.resourceAction !== undefined) set.resourceAction = change.resourceAction;
      if (change.lockReason !== undefined) set.lockReason = change.lockReason;
      const d = await this.col.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' });
      return d ? fromDoc(d) : undefined;
    });
  }
  delete(id: string) {
    return guard(async () => (await this.col.deleteOne({ _id: id })).deletedCount === 1);
  }
  forResource(resourceId: string) {
    return guard(async () => (await this.col.find({ resourceId }).sort({ _id: 1 }).toArray()).map(fromDoc));
  }
  deleteForResource(resourceType: string, resourceId: string) {
    return guard(async () => (await this.col.deleteMany({ resourceType, resourceId })).deletedCount);
  }
}

/** The stored document of a Manila lock (bulk loads write the same shape). */
export { toDoc as manilaLockDoc };
