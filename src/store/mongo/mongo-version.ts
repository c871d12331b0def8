/**
 * The shared version counter every replica polls: one document `{_id: "version", value}` bumped
 * with an atomic upserting `$inc`.
 */
import type { Collection, Db } from 'mongodb';
import type { VersionStore } from '../stores.js';
import { guard } from './mongo-errors.js';
import { COLLECTIONS } from './mongo-indexes.js';

interface VersionDoc {
  _id: string;
  value: number;
}

const ID = 'version';

export class MongoVersionStore implements VersionStore {
  private readonly col: Collection<VersionDoc>;

  constructor(db: Db) {
    this.col = db.collection<VersionDoc>(COLLECTIONS.version);
  }

  bump() {
    return guard(async () => {
      const d = await this.col.findOneAndUpdate({ _id: ID }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after' });
      return d?.value ?? 1;
    });
  }

  current() {
    return guard(async () => (await this.col.findOne({ _id: ID }))?.value ?? 0);
  }
}
