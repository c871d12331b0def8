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
  for (const d of r.domains) await dir.domains.create(d);
  for (const p of r.projects) await dir.projects.create(p);
  // The users as a deployment holds them: an evaluation resolves its subject in the directory
  // (src/domain/subjects.ts), and a subject it does not hold is searched by name as well.
  for (const u of r.users) await dir.users.create(u);
  for (const g of r.groups) await dir.groups.create(g);
  for (const m of r.memberships) await dir.memberships.add(m.groupId, m.userId);
  for (const role of r.roles) await stores.roles.create(role);
  for (const i of r.inferences) await stores.inferences.add(i);
  for (const g of r.grants) await stores.grants.add(g);
  // Straight from the dataset (not through the records' iterator): 200k at M.
  for (const res of ds.resources) await stores.resources.put(resourceRecord(res));
  for (const l of r.manilaLocks) await stores.manilaLocks.create(l);
  for (const l of r.cdnLocks) await stores.cdnLocks.create(l);
  for (const l of r.routeLocks) await stores.routeLocks.acquire(l.route, l.resourceId, l.userId, T0);
}

/** The dataset into a fresh MongoDB database, in bulk. Returns milliseconds per part. */
export async function bulkLoadDataset(ds: Dataset, db: Db): Promise<Record<string, number>> {
  // Loaded here only: a memory-store bench server does not load the MongoDB driver, as a server would not.
  const { bulkLoad } = await import('../store/mongo/mongo-bulk-load.js');
  return bulkLoad(db, datasetRecords(ds));
}
