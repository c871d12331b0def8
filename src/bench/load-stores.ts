/**
 * Writes a dataset straight into a fresh store bundle (before createPortcullis, so bootstrap sees
 * roles and stays out of the way). Timestamps are fixed so that two loads are identical.
 */
import type { ManilaLock } from '../store/lock-stores.js';
import type { Stores } from '../store/stores.js';
import type { Dataset } from './dataset-types.js';

const T0 = '2026-01-01T00:00:00.000Z';

export async function loadDataset(ds: Dataset, stores: Stores): Promise<void> {
  const dir = stores.directory;
  await dir.domains.create({ id: 'default', name: 'Default', description: 'The default domain', enabled: true });
  for (const d of ds.domains) await dir.domains.create({ id: d, name: d, description: '', enabled: true });
  for (const p of ds.projects) {
    await dir.projects.create({ id: p.id, name: p.id, domainId: p.domainId, parentId: p.parentId, description: '', enabled: true });
  }
  // User and group records are not written: decisions never read them (memberships and grants
  // carry everything), and the memory directory's create scans every record for name uniqueness,
  // which makes 20,000 users take ~7 s to seed (reported in the README's Benchmarks section).
  for (const m of ds.memberships) await dir.memberships.add(m.groupId, m.userId);
  for (const r of ds.roles) {
    const immutable = ['admin', 'manager', 'member', 'reader', 'service'].includes(r.name);
    await stores.roles.create({ ...r, description: null, options: immutable ? { immutable: true } : {}, extra: {} });
  }
  for (const i of ds.implications) await stores.inferences.add({ priorRoleId: i.prior, impliedRoleId: i.implied });
  for (const g of ds.grants) await stores.grants.add(g);
  for (const r of ds.resources) {
    await stores.resources.put({
      type: r.type,
      id: r.id,
      projectId: r.projectId,
      domainId: r.domainId,
      owner: r.owner,
      group: r.group,
      status: null,
      attributes: r.cdn ? { cdn: r.cdn } : {},
      createdAt: T0,
      updatedAt: T0,
    });
  }
  for (const l of ds.manilaLocks) {
    const lock: ManilaLock = { ...l, lockContext: 'user', lockReason: null, createdAt: T0, updatedAt: null };
    await stores.manilaLocks.create(lock);
  }
  for (const l of ds.cdnLocks) {
    await stores.cdnLocks.create({
      cdn: l.cdn, userId: l.userId, userName: l.userId, message: null, soft: l.soft,
      sharedUserIds: l.shared, sharedUserNames: l.shared, lastUpdated: T0,
    });
  }
  for (const l of ds.routeLocks) await stores.routeLocks.acquire(l.route, l.resourceId, l.userId, T0);
}
