/**
 * The bench seeds the memory stores with many writes in flight at once (src/bench/load-stores.ts);
 * the stores must end holding what the same writes give one at a time, each awaited. Nothing is
 * timed here.
 */
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/bench/dataset.js';
import { datasetRecords, loadDataset } from '../../src/bench/load-stores.js';
import { exportStores } from '../../src/domain/backup/backup.js';
import { createMemoryStores } from '../../src/store/memory/memory-stores.js';
import type { Stores } from '../../src/store/stores.js';

/** Every record of the dataset through the store API, one awaited write at a time. */
async function loadOneByOne(records: ReturnType<typeof datasetRecords>, stores: Stores): Promise<void> {
  const dir = stores.directory;
  for (const d of records.domains) await dir.domains.create(d);
  for (const p of records.projects) await dir.projects.create(p);
  for (const u of records.users) await dir.users.create(u);
  for (const g of records.groups) await dir.groups.create(g);
  for (const m of records.memberships) await dir.memberships.add(m.groupId, m.userId);
  for (const role of records.roles) await stores.roles.create(role);
  for (const i of records.inferences) await stores.inferences.add(i);
  for (const g of records.grants) await stores.grants.add(g);
  for (const r of records.resources) await stores.resources.put(r);
  for (const l of records.manilaLocks) await stores.manilaLocks.create(l);
  for (const l of records.cdnLocks) await stores.cdnLocks.create(l);
  for (const l of records.routeLocks) await stores.routeLocks.acquire(l.route, l.resourceId, l.userId, l.createdAt);
}

const contents = async (stores: Stores) => ({ ...(await exportStores(stores)), exported_at: undefined });

describe('bench store seeding', () => {
  it('leaves the memory stores as one awaited write at a time does (dataset S)', async () => {
    const ds = generateDataset('S');
    const seeded = createMemoryStores();
    await loadDataset(ds, seeded);
    const reference = createMemoryStores();
    await loadOneByOne(datasetRecords(ds), reference);
    const [got, want] = await Promise.all([contents(seeded), contents(reference)]);
    expect(got.resources.length).toBe(ds.resources.length);
    // The generator may draw a grant twice; a store keeps it once.
    expect(got.grants.length).toBe(new Set(ds.grants.map((g) => JSON.stringify(g))).size);
    expect(got).toEqual(want);
  }, 60_000);
});
