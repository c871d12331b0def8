import { expect, it } from 'vitest';
import type { CdnLock, ManilaLock } from '../../../src/store/lock-stores.js';
import { DuplicateError } from '../../../src/store/store-errors.js';
import { forEachStore } from './store-kinds.js';

const manila = (id: string, over: Partial<ManilaLock> = {}): ManilaLock => ({
  id,
  userId: 'u1',
  projectId: 'p1',
  lockContext: 'user',
  resourceType: 'share',
  resourceId: 's1',
  resourceAction: 'delete',
  lockReason: null,
  createdAt: `2026-01-0${id.slice(-1)}T00:00:00.000000`,
  updatedAt: null,
  ...over,
});

const cdn = (name: string, over: Partial<CdnLock> = {}): CdnLock => ({
  cdn: name,
  userId: 'u1',
  userName: 'alice',
  message: null,
  soft: true,
  sharedUserIds: [],
  sharedUserNames: [],
  lastUpdated: '2026-01-01T00:00:00Z',
  ...over,
});

const base = { sortKey: 'created_at', sortDir: 'asc' } as const;

forEachStore('manila lock store', (get) => {
  it('filters, sorts with id tie-break, pages and counts', async () => {
    const l = get().manilaLocks;
    await l.create(manila('l1', { lockReason: 'Maintenance [window]', userId: 'u2' }));
    await l.create(manila('l2', { resourceId: 's2', projectId: 'p2' }));
    await l.create(manila('l3', { lockReason: 'other' }));
    expect((await l.list(base)).items.map((x) => x.id)).toEqual(['l1', 'l2', 'l3']);
    expect((await l.list({ ...base, sortDir: 'desc' })).items.map((x) => x.id)).toEqual(['l3', 'l2', 'l1']);
    expect((await l.list({ ...base, projectId: 'p1' })).total).toBe(2);
    expect((await l.list({ ...base, lockReasonContains: 'MAINTENANCE [' })).items.map((x) => x.id)).toEqual(['l1']);
    expect((await l.list({ ...base, lockReasonContains: '.*' })).total).toBe(0);
    expect((await l.list({ ...base, createdSince: '2026-01-02', createdBefore: '2026-01-02T12:00:00' })).items.map((x) => x.id)).toEqual(['l2']);
    const page = await l.list({ ...base, limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 3, items: [{ id: 'l2' }] });
    expect(await l.list({ ...base, limit: 0 })).toEqual({ total: 3, items: [] });
    expect((await l.list({ ...base, sortKey: 'resource_id' })).items.map((x) => x.id)).toEqual(['l1', 'l3', 'l2']);
    expect((await l.list({ ...base, sortKey: 'user_id', sortDir: 'desc' })).items.map((x) => x.id)).toEqual(['l1', 'l3', 'l2']);
  });

  it('updates, finds by resource and deletes', async () => {
    const l = get().manilaLocks;
    await l.create(manila('l1'));
    await l.create(manila('l2'));
    await l.create(manila('l3', { resourceId: 'other' }));
    await l.create(manila('l4', { resourceType: 'access_rule' })); // same id, another type
    const updated = await l.update('l1', { resourceAction: 'show', lockReason: 'why', updatedAt: '2026-02-01T00:00:00.000000' });
    expect(updated).toEqual({ ...manila('l1'), resourceAction: 'show', lockReason: 'why', updatedAt: '2026-02-01T00:00:00.000000' });
    expect((await l.update('l1', { lockReason: null, updatedAt: 'x' }))?.lockReason).toBeNull();
    expect(await l.update('ghost', { updatedAt: 'x' })).toBeUndefined();
    expect((await l.forResource('s1')).map((x) => x.id).sort()).toEqual(['l1', 'l2', 'l4']);
    expect(await l.deleteForResource('share', 's1')).toBe(2);
    expect((await l.forResource('s1')).map((x) => x.id)).toEqual(['l4']);
    expect(await l.delete('l3')).toBe(true);
    expect(await l.delete('l3')).toBe(false);
    expect(await l.get('l1')).toBeUndefined();
  });
});

forEachStore('cdn lock store', (get) => {
  it('holds one lock per CDN and deletes only for the owner when asked', async () => {
    const c = get().cdnLocks;
    expect(await c.create(cdn('c1'))).toEqual(cdn('c1'));
    await expect(c.create(cdn('c1', { userId: 'u2' }))).rejects.toThrow(DuplicateError);
    await c.create(cdn('a0', { userName: 'bob', userId: 'u2', soft: false, message: 'hi' }));
    expect((await c.list()).map((x) => x.cdn)).toEqual(['a0', 'c1']);
    expect(await c.list({ userName: 'bob' })).toEqual([cdn('a0', { userName: 'bob', userId: 'u2', soft: false, message: 'hi' })]);
    expect(await c.deleteIf('c1', 'u2')).toBeUndefined();
    expect((await c.deleteIf('c1', 'u1'))?.cdn).toBe('c1');
    expect((await c.deleteIf('a0'))?.cdn).toBe('a0');
    expect(await c.get('a0')).toBeUndefined();
  });

  it('lets one of many concurrent creates win', async () => {
    const c = get().cdnLocks;
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => c.create(cdn('race', { userId: `u${i}` }))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await c.list()).toHaveLength(1);
  });

  it('cascades a deleted user: their locks go and they leave shared lists', async () => {
    const c = get().cdnLocks;
    await c.create(cdn('mine', { userId: 'gone' }));
    await c.create(cdn('theirs', { sharedUserIds: ['gone', 'u3'], sharedUserNames: ['Gone', 'Three'] }));
    await c.deleteForUser('gone');
    expect(await c.get('mine')).toBeUndefined();
    expect(await c.get('theirs')).toMatchObject({ sharedUserIds: ['u3'], sharedUserNames: ['Three'] });
  });
});

forEachStore('route lock store', (get) => {
  it('acquires, re-acquires for the holder, conflicts for others, releases', async () => {
    const r = get().routeLocks;
    expect(await r.acquire('volume', '1', 'u1', 't1')).toBe('acquired');
    expect(await r.acquire('volume', '1', 'u1', 't2')).toBe('reacquired');
    expect(await r.get('volume', '1')).toEqual({ route: 'volume', resourceId: '1', userId: 'u1', createdAt: 't1', updatedAt: 't2' });
    expect(await r.acquire('volume', '1', 'u2', 't3')).toBe('conflict');
    expect(await r.release('volume', '1', 'u2')).toBe('forbidden');
    expect(await r.release('volume', '1', 'u1')).toBe('released');
    expect(await r.release('volume', '1', 'u1')).toBe('not_found');
    expect(await r.get('volume', '1')).toBeUndefined();
  });

  it('reads the lock of exactly the route and id asked for', async () => {
    const r = get().routeLocks;
    await r.acquire('a:b', 'c', 'u1', 't');
    await r.acquire('x', 'b:c', 'u2', 't');
    expect((await r.get('a:b', 'c'))?.userId).toBe('u1');
    expect(await r.get('a', 'b:c')).toBeUndefined();
  });

  it('gives exactly one of many concurrent acquirers the lock', async () => {
    const r = get().routeLocks;
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => r.acquire('vm', 'x', `u${i}`, 't')));
    expect(results.filter((x) => x === 'acquired')).toHaveLength(1);
    expect(results.filter((x) => x === 'conflict')).toHaveLength(9);
  });

  it('cascades user and resource deletion', async () => {
    const r = get().routeLocks;
    await r.acquire('vm', '1', 'u1', 't');
    await r.acquire('vm', '2', 'u2', 't');
    await r.deleteForUser('u1');
    expect(await r.get('vm', '1')).toBeUndefined();
    await r.deleteForResource('vm', '2');
    expect(await r.get('vm', '2')).toBeUndefined();
  });

  it('lists every lock in (route, id) order and reinstates one exactly as it was', async () => {
    const r = get().routeLocks;
    await r.acquire('vm', '2', 'u1', '2026-01-02T00:00:00Z');
    await r.acquire('disk', '9', 'u2', '2026-01-03T00:00:00Z');
    const old = { route: 'vm', resourceId: '1', userId: 'u3', createdAt: '2025-05-05T00:00:00Z', updatedAt: '2025-06-06T00:00:00Z' };
    expect(await r.reinstate(old)).toBe(true);
    expect(await r.reinstate({ ...old, userId: 'u4' })).toBe(false);
    expect(await r.get('vm', '1')).toEqual(old);
    expect((await r.list()).map((l) => `${l.route}:${l.resourceId}:${l.userId}`)).toEqual(['disk:9:u2', 'vm:1:u3', 'vm:2:u1']);
  });
});
