/**
 * The dataset as store records, and two ways to write them: one record at a time through the
 * store API into a fresh bundle (`loadDataset`, before createPortcullis, so bootstrap sees roles
 * and stays out of the way), or in bulk into a fresh MongoDB database (`bulkLoadDataset`).
 * Timestamps are fixed so that two loads are identical.
 */
import type { Db } from 'mongodb';
import type { BulkRecords } from '../store/mongo/mongo-bulk-load.js';
import type { RegisteredResource } from '../store/resource-store.js';
import type { Stores } from '../store/stores.js';
import type { Dataset } from './dataset-types.js';

const T0 = '2026-01-01T00:00:00.000Z';
const IMMUTABLE = ['admin', 'manager', 'member', 'reader', 'service'];
/** One empty attribute set for every resource that has none (the stores copy what they keep). */
const NO_ATTRIBUTES: RegisteredResource['attributes'] = Object.freeze({});

/** A dataset resource as the registry holds it. */
function resourceRecord(r: Dataset['resources'][number]): RegisteredResource {
  return {
    type: r.type,
    id: r.id,
    projectId: r.projectId,
    domainId: r.domainId,
    owner: r.owner,
    group: r.group,
    status: null,
    attributes: r.cdn ? { cdn: r.cdn } : NO_ATTRIBUTES,
    createdAt: T0,
    updatedAt: T0,
  };
}

function* resources(ds: Dataset): Iterable<RegisteredResource> {
  for (const r of ds.resources) yield resourceRecord(r);
}

export function datasetRecords(ds: Dataset): BulkRecords {
  return {
    domains: [
      { id: 'default', name: 'Default', description: 'The default domain', enabled: true },
      ...ds.domains.map((d) => ({ id: d, name: d, description: '', enabled: true })),
    ],
    projects: ds.projects.map((p) => ({ id: p.id, name: p.id, domainId: p.domainId, parentId: p.parentId, description: '', enabled: true })),
    users: ds.users.map((u) => ({ id: u.id, name: u.id, domainId: u.domainId, enabled: true })),
    groups: ds.groups.map((g) => ({ id: g.id, name: g.id, domainId: g.domainId, description: '' })),
    memberships: ds.memberships,
    roles: ds.roles.map((r) => ({ ...r, description: null, options: IMMUTABLE.includes(r.name) ? { immutable: true } : {}, extra: {} })),
    inferences: ds.implications.map((i) => ({ priorRoleId: i.prior, impliedRoleId: i.implied })),
    grants: ds.grants,
    resources: { [Symbol.iterator]: () => resources(ds)[Symbol.iterator]() },
    manilaLocks: ds.manilaLocks.map((l) => ({ ...l, lockContext: 'user', lockReason: null, createdAt: T0, updatedAt: null })),
    cdnLocks: ds.cdnLocks.map((l) => ({
      cdn: l.cdn, userId: l.userId, userName: l.userId, message: null, soft: l.soft,
      sharedUserIds: l.shared, sharedUserNames: l.shared, lastUpdated: T0,
    })),
    routeLocks: ds.routeLocks.map((l) => ({ ...l, createdAt: T0, updatedAt: T0 })),
  };
}

export async function loadDataset(ds: Dataset, stores: Stores): Promise<void> {
  const r = datasetRecords(ds);
  const dir = stores.directory;
  await each(r.domains, (d) => dir.domains.create(d));
  await each(r.projects, (p) => dir.projects.create(p));
  // The users as a deployment holds them: an evaluation resolves its subject in the directory
  // (src/domain/subjects.ts), and a subject it does not hold is searched by name as well.
  await each(r.users, (u) => dir.users.create(u));
  await each(r.groups, (g) => dir.groups.create(g));
  await each(r.memberships, (m) => dir.memberships.add(m.groupId, m.userId));
  await each(r.roles, (role) => stores.roles.create(role));
  await each(r.inferences, (i) => stores.inferences.add(i));
  await each(r.grants, (g) => stores.grants.add(g));
  // Straight from the dataset (not through the records' iterator): 200k at M.
  await each(ds.resources, (res) => stores.resources.put(resourceRecord(res)));
  await each(r.manilaLocks, (l) => stores.manilaLocks.create(l));
  await each(r.cdnLocks, (l) => stores.cdnLocks.create(l));
  await each(r.routeLocks, (l) => stores.routeLocks.acquire(l.route, l.resourceId, l.userId, T0));
}

/** Writes awaited together, this many at a time (see `each`). */
const WRITES_AT_ONCE = 1000;

/**
 * Runs `write` on every item, in order, awaiting the writes a thousand at a time rather than one
 * by one: a memory store applies a write when it is called (one callback at a time: see
 * memory-locks.ts), so the records end as one-by-one writes leave them, without an await
 * resuming this loop after each of the ~400k writes that seed dataset M (callgrind at M: seeding
 * 5.39 -> 4.98 G instructions). A write that fails rejects the load, as before.
 */
async function each<T>(items: Iterable<T>, write: (item: T) => Promise<unknown>): Promise<void> {
  let pending: Promise<unknown>[] = [];
  for (const item of items) {
    pending.push(write(item));
    if (pending.length === WRITES_AT_ONCE) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
}

/** The dataset into a fresh MongoDB database, in bulk. Returns milliseconds per part. */
export async function bulkLoadDataset(ds: Dataset, db: Db): Promise<Record<string, number>> {
  // Loaded here only: a memory-store bench server does not load the MongoDB driver, as a server would not.
  const { bulkLoad } = await import('../store/mongo/mongo-bulk-load.js');
  return bulkLoad(db, datasetRecords(ds));
}
