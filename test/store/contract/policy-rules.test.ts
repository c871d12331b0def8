import { expect, it } from 'vitest';
import { forEachStore } from './store-kinds.js';

const row = (sub: string, cond = 'true') => ({ ptype: 'p2', values: [sub, 'x:read', cond, 'allow'] });

forEachStore('policy rule store', (get) => {
  it('adds rows once, lists them verbatim (commas and quotes included) and removes them', async () => {
    const p = get().policyRules;
    const tricky = row('role:a', `r2.sub.domain == "d,1" && r2.obj.name != 'x'`);
    expect(await p.add(tricky)).toBe(true);
    expect(await p.add(tricky)).toBe(false);
    expect(await p.add(row('role:b'))).toBe(true);
    expect(await p.add({ ptype: 'p3', values: ['route', 'other', 'create', 'deny'] })).toBe(true);
    const listed = await p.list();
    expect(listed).toHaveLength(3);
    expect(listed).toContainEqual(tricky);
    expect(await p.remove(tricky)).toBe(true);
    expect(await p.remove(tricky)).toBe(false);
    expect(await p.list()).not.toContainEqual(tricky);
  });

  it('keeps p rows that differ only in their condition (a fifth value) apart, beside the same row without one', async () => {
    const p = get().policyRules;
    const plain = { ptype: 'p', values: ['role:editor', 'todo', 'update', 'allow'] };
    const owned = { ptype: 'p', values: [...plain.values, 'r.obj.properties.ownerID == r.sub.id'] };
    const open = { ptype: 'p', values: [...plain.values, "r.obj.properties.status != 'archived'"] };
    for (const r of [plain, owned, open]) expect(await p.add(r)).toBe(true);
    expect(await p.add(owned)).toBe(false);
    expect(await p.list()).toEqual(expect.arrayContaining([plain, owned, open]));
    expect(await p.remove(owned)).toBe(true);
    expect(await p.list()).toHaveLength(2);
    expect(await p.remove(plain)).toBe(true);
    expect(await p.list()).toEqual([open]);
  });

  it('stores one row when identical adds race', async () => {
    const p = get().policyRules;
    const results = await Promise.all(Array.from({ length: 6 }, () => p.add(row('role:race'))));
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(await p.list()).toEqual([row('role:race')]);
  });
});
