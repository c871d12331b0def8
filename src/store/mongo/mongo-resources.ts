/**
 * The resource registry on MongoDB: one document per (type, id) under a unique index, ordered
 * keyset pages on (type, id), ownership changes as one atomic `findOneAndUpdate`. Free attributes
 * are kept as a JSON string (client keys may hold `.`/`$` or nested arrays, which FerretDB v1
 * refuses); nothing queries inside them.
 */
import type { Collection, Db, Filter } from 'mongodb';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Page, PageRequest } from '../page.js';
import type { RegisteredResource, ResourceFilter, ResourceStore } from '../resource-store.js';
import { guard, isDuplicateKey, storeError } from './mongo-errors.js';
import { COLLECTIONS } from './mongo-indexes.js';

type ResourceDoc = Omit<RegisteredResource, 'attributes'> & { _id: string; attributes: string };

/**
 * `_id` is the (type, id) pair: point reads and writes go by `_id`, which every MongoDB indexes
 * and FerretDB v1 pushes down to SQLite (a filter on other fields is evaluated document by
 * document in FerretDB itself, ~15x slower on a large collection).
 */
const docId = (type: string, id: string) => JSON.stringify([type, id]);

const toDoc = (r: RegisteredResource): ResourceDoc => ({ ...r, _id: docId(r.type, r.id), attributes: JSON.stringify(r.attributes ?? {}) });

function fromDoc(d: ResourceDoc): RegisteredResource {
  return {
    type: d.type,
    id: d.id,
    projectId: d.projectId ?? null,
    domainId: d.domainId ?? null,
    owner: d.owner ?? null,
    group: d.group ?? null,
    status: d.status ?? null,
    attributes: JSON.parse(d.attributes) as Record<string, unknown>,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

export class MongoResourceStore implements ResourceStore {
  private readonly col: Collection<ResourceDoc>;

  constructor(db: Db) {
    this.col = db.collection<ResourceDoc>(COLLECTIONS.resources);
  }

  put(resource: RegisteredResource) {
    return guard(async () => {
      const { createdAt, _id, ...rest } = toDoc(resource);
      const write = () =>
        this.col.findOneAndUpdate(
          { _id },
          { $set: rest, $setOnInsert: { createdAt } },
          { upsert: true, returnDocument: 'before' }, // FerretDB v1: no projection on findAndModify
        );
      let before;
      try {
        before = await write();
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        before = await write(); // a concurrent put inserted first: now this one is an update
      }
      const stored = { ...resource, createdAt: before?.createdAt ?? createdAt };
      return { resource: fromDoc(toDoc(stored)), created: before === null };
    });
  }

  get(type: string, id: string) {
    return guard(async () => {
      const d = await this.col.findOne({ _id: docId(type, id) });
      return d ? fromDoc(d) : undefined;
    });
  }

  delete(type: string, id: string) {
    return guard(async () => (await this.col.deleteOne({ _id: docId(type, id) })).deletedCount === 1);
  }

  list(filter: ResourceFilter, page: PageRequest): Promise<Page<RegisteredResource>> {
    return guard(async () => {
      const q: Record<string, unknown> = {};
      if (filter.type !== undefined) q.type = filter.type;
      if (filter.projectId !== undefined) q.projectId = filter.projectId;
      if (filter.domainId !== undefined) q.domainId = filter.domainId;
      if (filter.owner !== undefined) q.owner = filter.owner;
      if (filter.group !== undefined) q.group = filter.group;
      if (page.after) {
        const [type, id] = decodeCursor(page.after);
        q.$or = [{ type: { $gt: type } }, { type, id: { $gt: id } }];
      }
      const docs = await this.col.find(q as Filter<ResourceDoc>).sort({ type: 1, id: 1 }).limit(page.limit + 1).toArray();
      const items = docs.slice(0, page.limit).map(fromDoc);
      const last = items[items.length - 1];
      return docs.length > page.limit && last ? { items, next: encodeCursor([last.type, last.id]) } : { items };
    });
  }

  setOwnership(type: string, id: string, change: { owner?: string; group?: string }) {
    return guard(async () => {
      const set: Record<string, unknown> = { updatedAt: new Date().toISOString() };
      if (change.owner !== undefined) set.owner = change.owner;
      if (change.group !== undefined) set.group = change.group;
      const d = await this.col.findOneAndUpdate({ _id: docId(type, id) }, { $set: set }, { returnDocument: 'after' });
      return d ? fromDoc(d) : undefined;
    });
  }

  clearOwner(userId: string) {
    return guard(async () => void (await this.col.updateMany({ owner: userId }, { $set: { owner: null } })));
  }

  async *scan(batchSize: number): AsyncIterable<RegisteredResource[]> {
    const cursor = this.col.find({}).batchSize(batchSize);
    let batch: RegisteredResource[] = [];
    try {
      for await (const d of cursor) {
        batch.push(fromDoc(d));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    } catch (err) {
      throw storeError(err);
    } finally {
      await cursor.close();
    }
    if (batch.length) yield batch;
  }
}

/** The stored document of a resource (bulk loads write the same shape). */
export { toDoc as resourceDoc };
