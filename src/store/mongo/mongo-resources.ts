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
import { guard, isDuplicateKey } from './mongo-errors.js';
import { COLLECTIONS } from './mongo-indexes.js';

type ResourceDoc = Omit<RegisteredResource, 'attributes'> & { attributes: string };

const toDoc = (r: RegisteredResource): ResourceDoc => ({ ...r, attributes: JSON.stringify(r.attributes ?? {}) });

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
      const { createdAt, ...rest } = toDoc(resource);
      const write = () =>
        this.col.findOneAndUpdate(
          { type: resource.type, id: resource.id },
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
      const d = await this.col.findOne({ type, id });
      return d ? fromDoc(d) : undefined;
    });
  }

  delete(type: string, id: string) {
    return guard(async () => (await this.col.deleteOne({ type, id })).deletedCount === 1);
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
      const d = await this.col.findOneAndUpdate({ type, id }, { $set: set }, { returnDocument: 'after' });
      return d ? fromDoc(d) : undefined;
    });
  }

  clearOwner(userId: string) {
    return guard(async () => void (await this.col.updateMany({ owner: userId }, { $set: { owner: null } })));
  }
}
