/**
 * The shared version counter every replica polls. Each bump inserts the next number as a
 * document `_id`: the unique `_id` index lets exactly one concurrent writer take each number, so
 * bumps are distinct and monotonic. (An upserting `$inc` through findAndModify is not atomic on
 * FerretDB v1: ten concurrent bumps returned only three distinct values in the contract suite.)
 * Only the latest KEEP numbers are kept.
 */
import type { Collection, Db } from 'mongodb';
import type { VersionStore } from '../stores.js';
import { guard, isDuplicateKey } from './mongo-errors.js';
import { COLLECTIONS } from './mongo-indexes.js';

interface VersionDoc {
  _id: number;
  at: string;
}

const KEEP = 100;
const MAX_ATTEMPTS = 200;

export class MongoVersionStore implements VersionStore {
  private readonly col: Collection<VersionDoc>;

  constructor(db: Db) {
    this.col = db.collection<VersionDoc>(COLLECTIONS.version);
  }

  bump() {
    return guard(async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const next = (await this.latest()) + 1;
        try {
          await this.col.insertOne({ _id: next, at: new Date().toISOString() });
        } catch (err) {
          if (isDuplicateKey(err)) continue; // another writer took this number: read again
          throw err;
        }
        if (next % KEEP === 0) await this.col.deleteMany({ _id: { $lt: next - KEEP } });
        return next;
      }
      throw new Error(`could not bump the version after ${MAX_ATTEMPTS} attempts (too many concurrent writers)`);
    });
  }

  current() {
    return guard(() => this.latest());
  }

  private async latest(): Promise<number> {
    const top = await this.col.find({}).sort({ _id: -1 }).limit(1).toArray();
    return top[0]?._id ?? 0;
  }
}
