/**
 * The decision path reads the registry and the three lock families synchronously where the
 * store holds them in memory (the memory store, a replica's mirrors) and through the async reads
 * otherwise: both must gather the same facts.
 */
import { describe, expect, it } from 'vitest';
import { decisionView } from '../../src/domain/decision-view.js';
import { locksOn, locksOnSync, syncLockReads, type LockedResource } from '../../src/domain/lock-facts.js';
import { emptyMirrors, ReadModel } from '../../src/domain/read-model.js';
import { RoleGraph } from '../../src/engine/role-graph.js';
import type { CdnLock, ManilaLock, RouteLock } from '../../src/store/lock-stores.js';
import { createMemoryStores } from '../../src/store/memory/memory-stores.js';
import type { RegisteredResource } from '../../src/store/resource-store.js';
import type { Stores } from '../../src/store/stores.js';

const share: RegisteredResource = {
  type: 'share',
  id: 's1',
  projectId: 'p1',
  domainId: null,
  owner: null,
  group: null,
  status: null,
  attributes: { cdn: 'c1' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const manila = (id: string, resourceType: string): ManilaLock => ({
  id,
  userId: 'u1',
  projectId: 'p1',
  lockContext: 'user',
  resourceType,
  resourceId: 's1',
  resourceAction: 'delete',
  lockReason: null,
  createdAt: '2026-01-01T00:00:00.000000',
  updatedAt: null,
});
const cdnLock: CdnLock = { cdn: 'c1', userId: 'u2', userName: 'bob', message: null, soft: false, sharedUserIds: ['u3'], sharedUserNames: ['carol'], lastUpdated: '2026-01-01T00:00:00Z' };
const routeLock: RouteLock = { route: 'share', resourceId: 's1', userId: 'u4', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' };

const asked: LockedResource = { type: 'share', id: 's1', properties: share.attributes };
const expected = [
  { id: 'm1', kind: 'manila:delete', holder: 'u1' },
  { id: 'route:share:s1', kind: 'route', holder: 'u4' },
  { id: 'cdn_lock:c1', kind: 'cdn:hard', holder: 'u2', shared: ['u3'] },
];

async function memoryStores(): Promise<Stores> {
  const stores = createMemoryStores();
  await stores.resources.put(share);
  await stores.manilaLocks.create(manila('m1', 'share'));
  await stores.manilaLocks.create(manila('m2', 'snapshot')); // same id, another type: not this resource's
  await stores.cdnLocks.create(cdnLock);
  await stores.routeLocks.acquire('share', 's1', 'u4', routeLock.createdAt);
  return stores;
}

function mirrorView(): Stores {
  const model = new ReadModel(new RoleGraph(), emptyMirrors());
  const m = model.mirrors!;
  m.resources.restore(share);
  m.manilaLocks.restore(manila('m1', 'share'));
  m.manilaLocks.restore(manila('m2', 'snapshot'));
  m.cdnLocks.restore(cdnLock);
  m.routeLocks.restore(routeLock);
  return decisionView(createMemoryStores(), model, () => {});
}

describe('lock facts on the decision path', () => {
  for (const [name, make] of [
    ['memory store', memoryStores],
    ['replica mirrors', async () => mirrorView()],
  ] as const) {
    it(`reads the same facts synchronously as asynchronously from the ${name}`, async () => {
      const stores = await make();
      expect(stores.resources.getSync!('share', 's1')).toEqual(await stores.resources.get('share', 's1'));
      expect(stores.resources.getSync!('share', 'nope')).toBeUndefined();
      const reads = syncLockReads(stores)!;
      expect(locksOnSync(reads, asked)).toEqual(expected);
      expect(await locksOn(stores, asked)).toEqual(expected);
      expect(locksOnSync(reads, { type: 'share', id: 'free' })).toEqual([]);
    });
  }

  it('leaves a store without sync reads to the async path', async () => {
    const stores = await memoryStores();
    // The memory route lock store with its sync read hidden, as a store on a database has none.
    const routeLocks = Object.assign(Object.create(stores.routeLocks) as Stores['routeLocks'], { getSync: undefined });
    const asyncOnly: Stores = { ...stores, routeLocks };
    expect(syncLockReads(asyncOnly)).toBeUndefined();
    expect(await locksOn(asyncOnly, asked)).toEqual(expected);
  });

  it('refuses a sync read of stale mirrors as the async read does', async () => {
    const model = new ReadModel(new RoleGraph(), emptyMirrors());
    const stale = new Error('stale');
    const view = decisionView(createMemoryStores(), model, () => {
      throw stale;
    });
    expect(() => view.resources.getSync!('share', 's1')).toThrow(stale);
    await expect(view.resources.get('share', 's1')).rejects.toThrow(stale);
  });
});
