import { expect, it } from 'vitest';
import type { RegisteredResource } from '../../../src/store/resource-store.js';
import { forEachStore } from './store-kinds.js';

const res = (type: string, id: string, over: Partial<RegisteredResource> = {}): RegisteredResource => ({
  type,
  id,
  projectId: 'p1',
  domainId: null,
  owner: null,
  group: null,
  status: null,
  attributes: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

forEachStore('resource store', (get) => {
  it('creates, replaces keeping createdAt, and round-trips free attributes', async () => {
    const { resources } = get();
    const first = res('vm', '1', { attributes: { cdn: 'c1', 'a.b': [[1]], $x: null } });
    expect(await resources.put(first)).toEqual({ resource: first, created: true });
    const again = res('vm', '1', { owner: 'u1', createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2030-01-01T00:00:00.000Z' });
    const put = await resources.put(again);
    expect(put.created).toBe(false);
    expect(put.resource).toEqual({ ...again, createdAt: first.createdAt });
    expect(await resources.get('vm', '1')).toEqual({ ...again, createdAt: first.createdAt });
    expect(await resources.get('vm', '2')).toBeUndefined();
    expect(await resources.delete('vm', '1')).toBe(true);
    expect(await resources.delete('vm', '1')).toBe(false);
  });

  it('pages in (type, id) order with filters and an opaque cursor', async () => {
    const { resources } = get();
    for (const [type, id] of [['vm', 'b'], ['disk', 'z'], ['vm', 'a'], ['vm', 'c'], ['net', 'm']] as const) {
      await resources.put(res(type, id, { owner: id === 'c' ? 'other' : 'u1' }));
    }
    const p1 = await resources.list({}, { limit: 2 });
    expect(p1.items.map((r) => `${r.type}/${r.id}`)).toEqual(['disk/z', 'net/m']);
    const p2 = await resources.list({}, { limit: 2, after: p1.next! });
    expect(p2.items.map((r) => `${r.type}/${r.id}`)).toEqual(['vm/a', 'vm/b']);
    const p3 = await resources.list({}, { limit: 2, after: p2.next! });
    expect(p3.items.map((r) => `${r.type}/${r.id}`)).toEqual(['vm/c']);
    expect(p3.next).toBeUndefined();
    const mine = await resources.list({ type: 'vm', owner: 'u1' }, { limit: 10 });
    expect(mine.items.map((r) => r.id)).toEqual(['a', 'b']);
    expect(mine.next).toBeUndefined();
  });

  it('sets ownership atomically and clears a deleted owner', async () => {
    const { resources } = get();
    await resources.put(res('vm', '1', { owner: 'u1', group: 'g1' }));
    const owned = await resources.setOwnership('vm', '1', { owner: 'u2' });
    expect(owned).toMatchObject({ owner: 'u2', group: 'g1' });
    expect(owned!.updatedAt > '2026-01-01T00:00:00.000Z').toBe(true);
    expect(await resources.setOwnership('vm', 'ghost', { owner: 'u2' })).toBeUndefined();
    await resources.setOwnership('vm', '1', { group: 'g2' });
    await resources.clearOwner('u2');
    expect(await resources.get('vm', '1')).toMatchObject({ owner: null, group: 'g2' });
  });
});
