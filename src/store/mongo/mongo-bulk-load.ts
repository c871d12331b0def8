/**
 * Loads many records into a MongoDB database at once (`insertMany` in batches, unordered), in the
 * documents' stored shapes, without going through the change feed record by record; then appends
 * one `reload` entry so every replica already running reloads once. For first loads and imports
 * (the benchmark's dataset), not for live edits: it does not check references or uniqueness
 * beyond what the unique indexes refuse.
 */
import { MongoBulkWriteError, type Db, type Document } from 'mongodb';
import type { Domain, Group, Project, User } from '../directory-store.js';
import type { CdnLock, ManilaLock, RouteLock } from '../lock-stores.js';
import type { RegisteredResource } from '../resource-store.js';
import type { Grant, Inference, Role } from '../role-store.js';
import { MongoChangeFeed } from './mongo-change-feed.js';
import { entityDoc, memberId } from './mongo-directory.js';
import { grantDoc } from './mongo-grants.js';
import { COLLECTIONS, ensureIndexes } from './mongo-indexes.js';
import { manilaLockDoc } from './mongo-manila-locks.js';
import { resourceDoc } from './mongo-resources.js';
import { roleDoc } from './mongo-roles.js';
import { routeLockDoc } from './mongo-route-locks.js';

export interface BulkRecords {
  readonly domains: readonly Domain[];
  readonly projects: readonly Project[];
  readonly users: readonly User[];
  readonly groups: readonly Group[];
  readonly memberships: readonly { readonly groupId: string; readonly userId: string }[];
  readonly roles: readonly Role[];
  readonly inferences: readonly Inference[];
  readonly grants: readonly Grant[];
  readonly resources: Iterable<RegisteredResource>;
  readonly manilaLocks: readonly ManilaLock[];
  readonly cdnLocks: readonly CdnLock[];
  readonly routeLocks: readonly RouteLock[];
}

const BATCH = 5000;

/** Inserts every document; one already there (same unique key) is skipped, as the stores' adds do. */
async function insertAll(db: Db, collection: string, docs: Iterable<Document>): Promise<void> {
  const col = db.collection(collection);
  const flush = async (batch: Document[]) => {
    try {
      await col.insertMany(batch, { ordered: false });
    } catch (err) {
      const e = err as { writeErrors?: { code?: number }[] | { code?: number } };
      const errors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
      if (!(err instanceof MongoBulkWriteError) || errors.length === 0 || errors.some((w) => w.code !== 11000)) throw err;
    }
  };
  let batch: Document[] = [];
  for (const d of docs) {
    batch.push(d);
    if (batch.length === BATCH) {
      await flush(batch);
      batch = [];
    }
  }
  if (batch.length) await flush(batch);
}

function* mapped<T, U>(items: Iterable<T>, f: (item: T) => U): Iterable<U> {
  for (const item of items) yield f(item);
}

/** Returns milliseconds per collection. */
export async function bulkLoad(db: Db, records: BulkRecords): Promise<Record<string, number>> {
  await ensureIndexes(db);
  const ms: Record<string, number> = {};
  const step = async (name: string, run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    ms[name] = Math.round(performance.now() - started);
  };
  await step('directory', async () => {
    await insertAll(db, COLLECTIONS.domains, mapped(records.domains, entityDoc));
    await insertAll(db, COLLECTIONS.projects, mapped(records.projects, entityDoc));
    await insertAll(db, COLLECTIONS.users, mapped(records.users, entityDoc));
    await insertAll(db, COLLECTIONS.groups, mapped(records.groups, entityDoc));
    await insertAll(db, COLLECTIONS.memberships, mapped(records.memberships, (m) => ({ _id: memberId(m.groupId, m.userId), ...m })));
  });
  await step('roles', async () => {
    await insertAll(db, COLLECTIONS.roles, mapped(records.roles, roleDoc));
    const rules = records.inferences.map((r) => ({ prior_role_id: r.priorRoleId, implied_role_id: r.impliedRoleId }));
    await db.collection(COLLECTIONS.inferences).insertOne({ _id: 1 as never, rules, at: new Date().toISOString() });
  });
  await step('grants', () => insertAll(db, COLLECTIONS.grants, mapped(records.grants, grantDoc)));
  await step('resources', () => insertAll(db, COLLECTIONS.resources, mapped(records.resources, resourceDoc)));
  await step('locks', async () => {
    await insertAll(db, COLLECTIONS.manilaLocks, mapped(records.manilaLocks, manilaLockDoc));
    await insertAll(db, COLLECTIONS.cdnLocks, mapped(records.cdnLocks, (l) => ({ ...l, rev: 0 })));
    await insertAll(db, COLLECTIONS.routeLocks, mapped(records.routeLocks, routeLockDoc));
  });
  // Replicas already following the log reload once; new ones load the snapshot anyway.
  await new MongoChangeFeed(db, { retention: 5000, pendingTimeoutMs: 30000 }).append([{ kind: 'reload' }]);
  return ms;
}
