import { expect, it } from 'vitest';
import type { Role } from '../../../src/store/role-store.js';
import { DuplicateError } from '../../../src/store/store-errors.js';
import { forEachStore } from './store-kinds.js';

const role = (id: string, name: string, domainId: string | null = null, extra: Record<string, unknown> = {}): Role => ({
  id,
  name,
  domainId,
  description: null,
  options: {},
  extra,
});

forEachStore('role store', (get) => {
  it('round-trips a role with options and arbitrary extra properties', async () => {
    const r = { ...role('r1', 'admin', null, { 'weird.key': [[1, 2]], $odd: { nested: true } }), options: { immutable: true } };
    expect(await get().roles.create(r)).toEqual(r);
    expect(await get().roles.get('r1')).toEqual(r);
  });

  it('treats (name, domain) as unique with null domain as one value', async () => {
    const { roles } = get();
    await roles.create(role('r1', 'reader'));
    await expect(roles.create(role('r2', 'reader'))).rejects.toThrow(DuplicateError);
    await roles.create(role('r3', 'reader', 'd1'));
    await expect(roles.create(role('r4', 'reader', 'd1'))).rejects.toThrow(/duplicate role name/);
    await expect(roles.create(role('r1', 'other'))).rejects.toThrow(/duplicate role id/);
    await roles.create(role('r5', 'writer'));
    await expect(roles.update(role('r5', 'reader'))).rejects.toThrow(DuplicateError);
    expect(await roles.update(role('ghost', 'x'))).toBeUndefined();
    expect((await roles.update(role('r5', 'editor')))?.name).toBe('editor');
  });

  it('lists by name and by domain (null: global only)', async () => {
    const { roles } = get();
    await roles.create(role('b', 'member'));
    await roles.create(role('a', 'member', 'd1'));
    await roles.create(role('c', 'reader', 'd1'));
    expect((await roles.list()).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect((await roles.list({ name: 'member' })).map((r) => r.id)).toEqual(['a', 'b']);
    expect((await roles.list({ domainId: null })).map((r) => r.id)).toEqual(['b']);
    expect((await roles.list({ domainId: 'd1' })).map((r) => r.id)).toEqual(['a', 'c']);
    expect(await roles.delete('a')).toBe(true);
    expect(await roles.delete('a')).toBe(false);
  });

  it('stores implied-role rules once and removes them with either role', async () => {
    const { inferences } = get();
    await inferences.add({ priorRoleId: 'admin', impliedRoleId: 'member' });
    await inferences.add({ priorRoleId: 'member', impliedRoleId: 'reader' });
    await expect(inferences.add({ priorRoleId: 'admin', impliedRoleId: 'member' })).rejects.toThrow(DuplicateError);
    expect(await inferences.has({ priorRoleId: 'admin', impliedRoleId: 'member' })).toBe(true);
    expect(await inferences.list({ priorRoleId: 'member' })).toEqual([{ priorRoleId: 'member', impliedRoleId: 'reader' }]);
    await inferences.removeForRole('member');
    expect(await inferences.list()).toEqual([]);
    expect(await inferences.remove({ priorRoleId: 'admin', impliedRoleId: 'member' })).toBe(false);
  });

  it('lets exactly one of many concurrent creates of the same name win', async () => {
    const { roles } = get();
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => roles.create(role(`r${i}`, 'same'))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof DuplicateError)).toHaveLength(7);
    expect(await roles.list({ name: 'same' })).toHaveLength(1);
  });
});
