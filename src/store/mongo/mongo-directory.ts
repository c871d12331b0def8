/**
 * Directory on MongoDB: one collection per entity (`_id` = id), (name, domain) uniqueness from
 * unique indexes, and group membership as one document per (group, user) pair.
 */
import { plainCopy } from '../plain-copy.js';
import type { Collection, Db, Document, Filter } from 'mongodb';
import type {
  DirectoryStore,
  Domain,
  DomainFilter,
  EntityStore,
  Group,
  GroupFilter,
  MembershipStore,
  Project,
  ProjectFilter,
  User,
  UserFilter,
} from '../directory-store.js';
import { DuplicateError } from '../store-errors.js';
import { COLLECTIONS } from './mongo-indexes.js';
import { guard, isDuplicateKey } from './mongo-errors.js';

type Doc = Document & { _id: string };

/** Drops undefined filter fields so `{ name: undefined }` means "any name". */
function defined(filter: object | undefined): Filter<Doc> {
  return Object.fromEntries(Object.entries(filter ?? {}).filter(([, v]) => v !== undefined)) as Filter<Doc>;
}

/** A project filter: the plain fields as they are, Keystone's tag filters as array operators. */
function projectQuery(filter: ProjectFilter | undefined): Filter<Doc> {
  const { tags, ...plain } = filter ?? {};
  const query = defined(plain);
  const and: Filter<Doc>[] = [];
  if (tags?.all?.length) and.push({ tags: { $all: [...tags.all] } });
  if (tags?.any) and.push({ tags: { $in: [...tags.any] } });
  if (tags?.notAll?.length) and.push({ $nor: [{ tags: { $all: [...tags.notAll] } }] });
  if (tags?.notAny?.length) and.push({ tags: { $nin: [...tags.notAny] } });
  return and.length ? { ...query, $and: and } : query;
}

function fromDoc<T>(doc: Doc): T {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest } as T;
}

function toDoc<T extends { id: string }>(entity: T): Doc {
  const { id, ...rest } = entity;
  return { _id: id, ...rest };
}

export class MongoEntityStore<T extends { id: string }, F extends object> implements EntityStore<T, F> {
  private readonly col: Collection<Doc>;

  constructor(
    db: Db,
    collection: string,
    private readonly what: string,
    private readonly query: (filter: F | undefined) => Filter<Doc> = defined,
  ) {
    this.col = db.collection<Doc>(collection);
  }

  create(entity: T): Promise<T> {
    return guard(async () => {
      try {
        await this.col.insertOne(toDoc(entity));
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const sameId = await this.col.findOne({ _id: entity.id }, { projection: { _id: 1 } });
        throw new DuplicateError(`${this.what} ${sameId ? 'id' : 'name'}`);
      }
      return plainCopy(entity);
    });
  }

  get(id: string): Promise<T | undefined> {
    return guard(async () => {
      const doc = await this.col.findOne({ _id: id });
      return doc ? fromDoc<T>(doc) : undefined;
    });
  }

  list(filter?: F): Promise<T[]> {
    return guard(async () => (await this.col.find(this.query(filter)).sort({ _id: 1 }).toArray()).map((d) => fromDoc<T>(d)));
  }

  update(entity: T): Promise<T | undefined> {
    return guard(async () => {
      try {
        const res = await this.col.replaceOne({ _id: entity.id }, toDoc(entity));
        return res.matchedCount === 0 ? undefined : plainCopy(entity);
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateError(`${this.what} name`);
        throw err;
      }
    });
  }

  delete(id: string): Promise<boolean> {
    return guard(async () => (await this.col.deleteOne({ _id: id })).deletedCount === 1);
  }
}

interface MemberDoc {
  /** The pair as one key (point writes by `_id`; see mongo-resources.ts). */
  _id: string;
  groupId: string;
  userId: string;
}

const memberId = (groupId: string, userId: string) => JSON.stringify([groupId, userId]);

class MongoMemberships implements MembershipStore {
  private readonly col: Collection<MemberDoc>;

  constructor(db: Db) {
    this.col = db.collection<MemberDoc>(COLLECTIONS.memberships);
  }

  add(groupId: string, userId: string): Promise<void> {
    return guard(async () => {
      try {
        await this.col.insertOne({ _id: memberId(groupId, userId), groupId, userId });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // already a member (or a concurrent add won): same outcome
      }
    });
  }
  remove(groupId: string, userId: string) {
    return guard(async () => (await this.col.deleteOne({ _id: memberId(groupId, userId) })).deletedCount === 1);
  }
  has(groupId: string, userId: string) {
    return guard(async () => (await this.col.countDocuments({ _id: memberId(groupId, userId) }, { limit: 1 })) > 0);
  }
  groupsOf(userId: string) {
    return guard(async () => (await this.col.find({ userId }).sort({ groupId: 1 }).toArray()).map((m) => m.groupId));
  }
  usersOf(groupId: string) {
    return guard(async () => (await this.col.find({ groupId }).sort({ userId: 1 }).toArray()).map((m) => m.userId));
  }
  all() {
    return guard(async () =>
      (await this.col.find({}).toArray()).map((m) => ({ groupId: m.groupId, userId: m.userId })),
    );
  }
  removeUser(userId: string) {
    return guard(async () => void (await this.col.deleteMany({ userId })));
  }
  removeGroup(groupId: string) {
    return guard(async () => void (await this.col.deleteMany({ groupId })));
  }
}

export function createMongoDirectory(db: Db): DirectoryStore {
  return {
    domains: new MongoEntityStore<Domain, DomainFilter>(db, COLLECTIONS.domains, 'domain'),
    projects: new MongoEntityStore<Project, ProjectFilter>(db, COLLECTIONS.projects, 'project', projectQuery),
    users: new MongoEntityStore<User, UserFilter>(db, COLLECTIONS.users, 'user'),
    groups: new MongoEntityStore<Group, GroupFilter>(db, COLLECTIONS.groups, 'group'),
    memberships: new MongoMemberships(db),
  };
}

/** Stored documents of directory entities and memberships (bulk loads write the same shapes). */
export { toDoc as entityDoc, memberId };
