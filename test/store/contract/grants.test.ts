import { expect, it } from 'vitest';
import type { Grant } from '../../../src/store/role-store.js';
import { forEachStore } from './store-kinds.js';

const g = (over: Partial<Grant> = {}): Grant => ({
  actorType: 'user',
  actorId: 'u1',
  targetType: 'project',
  targetId: 'p1',
  roleId: 'r1',
  inherited: false,
  ...over,
});

const sortGrants = (gs: Grant[]) => gs.map((x) => JSON.stringify(x)).sort();

forEachStore('grant store', (get) => {
  it('adds idempotently, tells inherited apart, and removes', async () => {
    const { grants } = get();
    expect(await grants.add(g())).toBe(true);
    expect(await grants.add(g())).toBe(false);
    expect(await grants.add(g({ inherited: true }))).toBe(true);
    expect(await grants.has(g())).toBe(true);
    expect(await grants.list()).toHaveLength(2);
    expect(await grants.remove(g())).toBe(true);
    expect(await grants.remove(g())).toBe(false);
    expect(await grants.list()).toEqual([g({ inherited: true })]);
  });

  it('round-trips every actor and target type and filters on each field', async () => {
    const { grants } = get();
    const all = [
      g(),
      g({ actorType: 'group', actorId: 'g1' }),
      g({ targetType: 'domain', targetId: 'd1' }),
      g({ actorType: 'group', actorId: 'g1', targetType: 'system', targetId: 'system', roleId: 'r2' }),
    ];
    for (const x of all) await grants.add(x);
    expect(sortGrants(await grants.list())).toEqual(sortGrants(all));
    expect(await grants.list({ actorType: 'group', targetType: 'system' })).toEqual([all[3]]);
    expect(sortGrants(await grants.list({ actorType: 'user' }))).toEqual(sortGrants([all[0]!, all[2]!]));
    expect(await grants.list({ targetId: 'd1' })).toEqual([all[2]]);
    expect(await grants.list({ roleId: 'r2', inherited: false })).toEqual([all[3]]);
    expect(await grants.removeWhere({ roleId: 'r1' })).toBe(3);
    expect(await grants.list()).toEqual([all[3]]);
  });

  it('stores one grant when many identical adds race', async () => {
    const { grants } = get();
    const results = await Promise.all(Array.from({ length: 8 }, () => grants.add(g())));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await grants.list()).toHaveLength(1);
  });
});
