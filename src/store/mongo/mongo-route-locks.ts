/**
 * Route + id locks (`/admin/lock`) on MongoDB, one document per `_id = route:id` (docs/compatibility.md §4.2).
 * Acquire is an insert (the `_id` index lets exactly one concurrent caller win) followed, for the
 * holder, by a conditional touch; release is a conditional delete on (key, holder).
 */
import type { Collection, Db } from 'mongodb';
import type { RouteLock, RouteLockStore } from '../lock-stores.js';
import { guard, isDuplicateKey } from './mongo-errors.js';
import { COLLECTIONS } from './mongo-indexes.js';

type RouteLockDoc = RouteLock & { _id: string };

const key = (route: string, resourceId: string) => `${route}:${resourceId}`;
const fromDoc = ({ _id, ...rest }: RouteLockDoc): RouteLock => ({ ...rest });

export class MongoRouteLockStore implements RouteLockStore {
  private readonly col: Collection<RouteLockDoc>;

  constructor(db: Db) {
    this.col = db.collection<RouteLockDoc>(COLLECTIONS.routeLocks);
  }

  acquire(route: string, resourceId: string, userId: string, now: string) {
    const _id = key(route, resourceId);
    return guard(async () => {
      // Bounded retries: the lock may be released between our failed insert and the touch.
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await this.col.insertOne({ _id, route, resourceId, userId, createdAt: now, updatedAt: now });
          return 'acquired' as const;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
        const touched = await this.col.updateOne({ _id, userId }, { $set: { updatedAt: now } });
        if (touched.matchedCount === 1) return 'reacquired' as const;
        if (await this.col.findOne({ _id }, { projection: { _id: 1 } })) return 'conflict' as const;
      }
      return 'conflict' as const;
    });
  }

  release(route: string, resourceId: string, userId: string) {
    const _id = key(route, resourceId);
    return guard(async () => {
      if ((await this.col.deleteOne({ _id, userId })).deletedCount === 1) return 'released' as const;
      return (await this.col.findOne({ _id }, { projection: { _id: 1 } })) ? ('forbidden' as const) : ('not_found' as const);
    });
  }

  get(route: string, resourceId: string) {
    return guard(async () => {
      const d = await this.col.findOne({ _id: key(route, resourceId), route, resourceId });
      return d ? fromDoc(d) : undefined;
    });
  }

  list() {
    return guard(async () => (await this.col.find({}).sort({ route: 1, resourceId: 1 }).toArray()).map(fromDoc));
  }

  listForUser(userId: string) {
    return guard(async () => (await this.col.find({ userId }).sort({ route: 1, resourceId: 1 }).toArray()).map(fromDoc));
  }

  reinstate(lock: RouteLock) {
    return guard(async () => {
      try {
        await this.col.insertOne({ _id: key(lock.route, lock.resourceId), ...lock });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    });
  }

  deleteForUser(userId: string) {
    return guard(async () => void (await this.col.deleteMany({ userId })));
  }

  deleteForResource(route: string, resourceId: string) {
    return guard(async () => void (await this.col.deleteOne({ _id: key(route, resourceId) })));
  }
}

/** The stored document of a route lock (bulk loads write the same shape). */
export const routeLockDoc = (l: RouteLock): RouteLockDoc => ({ _id: key(l.route, l.resourceId), ...l });
