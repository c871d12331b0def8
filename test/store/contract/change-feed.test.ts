/**
 * The change feed every store write goes through (src/store/change-feed.ts): writes hand their
 * after-images to the replica's read model; on MongoDB through an ordered, dense change log in
 * which writes to one record take effect in sequence order.
 */
import { expect, it } from 'vitest';
import type { ChangeOp } from '../../../src/store/change-ops.js';
import { forEachStore } from './store-kinds.js';

const resource = (id: string, owner: string) => ({
  type: 'vm', id, projectId: null, domainId: null, owner, group: null, status: null, attributes: {},
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
});

forEachStore('change feed', (get, kind) => {
  it('publishes the after-images of every write, in order', async () => {
    const stores = get();
    const seen: ChangeOp[] = [];
    stores.changes.attach({ apply: (ops) => seen.push(...ops), caughtUp: async () => {} });
    await stores.resources.put(resource('1', 'jdoe'));
    await stores.resources.setOwnership('vm', '1', { owner: 'bob' });
    await stores.grants.add({ actorType: 'user', actorId: 'bob', targetType: 'system', targetId: 'system', roleId: 'r', inherited: false });
    await stores.resources.delete('vm', '1');
    const log = stores.changeLog;
    const ops = log ? (await log.from(1, 100)).flatMap((r) => r.ops) : seen;
    expect(ops.map((o) => o.kind)).toEqual(['resource', 'resource', 'grant', 'resource']);
    expect(ops[1]).toMatchObject({ kind: 'resource', value: { owner: 'bob' } });
    expect(ops[3]).toEqual({ kind: 'resource', type: 'vm', id: '1', value: null });
    if (log) expect((await log.from(1, 100)).every((r) => r.state === 'done')).toBe(true);
    else expect(kind).toBe('memory');
  });

  it('numbers concurrent writes densely, and orders writes to one record', async () => {
    const stores = get();
    const log = stores.changeLog;
    if (!log) return expect(stores.changes.shared).toBe(false); // one process: nothing to order
    const before = await log.latest();
    await Promise.all(Array.from({ length: 10 }, (_, i) => stores.resources.put(resource(`c${i}`, `u${i}`))));
    const entries = await log.from(before + 1, 100);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => before + 1 + i));

    // A write to a record waits for an earlier write to it that is still running.
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = stores.changes.write(() => ['k'], async () => {
      order.push('first starts');
      await gate;
      order.push('first ends');
      return { result: 1, ops: [] };
    });
    await new Promise((r) => setTimeout(r, 50));
    const second = stores.changes.write(() => ['k'], async () => {
      order.push('second starts');
      return { result: 2, ops: [] };
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(order).toEqual(['first starts']);
    expect((await log.pending()).length).toBe(2); // both claimed; the second waits for the first
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first starts', 'first ends', 'second starts']);
  });
});
