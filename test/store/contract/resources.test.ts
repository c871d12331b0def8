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

  it('pages a filtered list (project, group, owner, domain without a project) and follows changes', async () => {
    const { resources } = get();
    for (const id of ['d', 'a', 'e', 'b', 'c']) await resources.put(res('vm', id, { group: id < 'c' ? 'g1' : null }));
    await resources.put(res('disk', 'a', { group: 'g1' }));
    await resources.put(res('vm', 'x', { projectId: null, domainId: 'd1' }));
    await resources.put(res('vm', 'y', { projectId: 'p2', domainId: 'd1' }));
    const ids = async (filter: Parameters<typeof resources.list>[0]) => {
      const out: string[] = [];
      let after: string | undefined;
      do {
        const page = await resources.list(filter, { limit: 2, ...(after ? { after } : {}) });
        out.push(...page.items.map((r) => `${r.type}/${r.id}`));
        after = page.next;
      } while (after);
      return out;
    };
    expect(await ids({ type: 'vm', projectId: 'p1' })).toEqual(['vm/a', 'vm/b', 'vm/c', 'vm/d', 'vm/e']);
    expect(await ids({ type: 'vm', group: 'g1' })).toEqual(['vm/a', 'vm/b']);
    expect(await ids({ group: 'g1' })).toEqual(['disk/a', 'vm/a', 'vm/b']);
    expect(await ids({ type: 'vm', domainId: 'd1', projectId: null })).toEqual(['vm/x']);
    expect(await ids({ type: 'vm', domainId: 'd1' })).toEqual(['vm/x', 'vm/y']);
    // A cursor at a record of an earlier type: the filtered list starts at its type's first record.
    const afterDisk = (await resources.list({}, { limit: 1 })).next!;
    expect((await resources.list({ type: 'vm', group: 'g1' }, { limit: 5, after: afterDisk })).items.map((r) => r.id)).toEqual(['a', 'b']);
    // Replacing, re-owning and deleting move records between the lists.
    await resources.put(res('vm', 'a', { projectId: 'p2', group: 'g2' }));
    await resources.setOwnership('vm', 'c', { group: 'g1' });
    await resources.delete('vm', 'b');
    expect(await ids({ type: 'vm', projectId: 'p1' })).toEqual(['vm/c', 'vm/d', 'vm/e']);
    expect(await ids({ type: 'vm', projectId: 'p2' })).toEqual(['vm/a', 'vm/y']);
    expect(await ids({ type: 'vm', group: 'g1' })).toEqual(['vm/c']);
    await resources.setOwnership('vm', 'd', { owner: 'u9' });
    expect(await ids({ type: 'vm', owner: 'u9' })).toEqual(['vm/d']);
    await resources.clearOwner('u9');
    expect(await ids({ type: 'vm', owner: 'u9' })).toEqual([]);
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
