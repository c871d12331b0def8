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

  it('stores one row when identical adds race', async () => {
    const p = get().policyRules;
    const results = await Promise.all(Array.from({ length: 6 }, () => p.add(row('role:race'))));
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(await p.list()).toEqual([row('role:race')]);
  });
});
